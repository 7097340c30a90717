from django.contrib import admin

from lvshi.accounts.admin import AuditedAdmin

from .models import Firm, Lawyer


@admin.register(Lawyer)
class LawyerAdmin(AuditedAdmin):
    list_display = ("licence_no", "name", "kind", "status", "organisation", "updated_at")
    list_filter = ("status", "kind")
    search_fields = ("licence_no", "name")
    raw_id_fields = ("organisation",)
    exclude = ("id_number_hash", "id_number_encrypted")
    readonly_fields = ("id_number_masked",)
    audit_fields = ("licence_no", "name", "kind", "status", "organisation")


@admin.register(Firm)
class FirmAdmin(AuditedAdmin):
    list_display = ("organisation", "credit_code", "form", "status")
    list_filter = ("status", "form")
    search_fields = ("organisation__name", "credit_code")
    raw_id_fields = ("organisation",)
    audit_fields = ("credit_code", "form", "status", "head")
