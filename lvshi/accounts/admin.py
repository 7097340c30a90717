"""Django admin: only platform admins who have passed two-factor get in.

The admin has no log-in form of its own: it sends people to the platform's
sign-in page (captcha, lock-out, two-factor). Identity numbers appear only
masked; ciphertexts, blind indexes, token hashes and TOTP secrets never.
Every change made here is audited.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms.models import model_to_dict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from lvshi.audit.services import audit_record
from lvshi.core import crypto
from lvshi.core.actor import Actor
from lvshi.orgs.scope import is_platform_admin

from .identity import normalize_id_number
from .middleware import owes_second_factor
from .models import ApiToken, User
from .otp import SmsDevice


class PlatformAdminSite(OTPAdminSite):
    site_header = _("律师服务平台 · 系统管理")
    site_title = _("系统管理")

    def has_permission(self, request):
        user = request.user
        return is_platform_admin(user) and user.is_verified()

    def login(self, request, extra_context=None):
        """No admin log-in form: the platform's sign-in page does it all."""
        index = reverse("admin:index", current_app=self.name)
        target = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = index
        if self.has_permission(request):
            return redirect(target)
        if not request.user.is_authenticated:
            return redirect_to_login(target)
        if owes_second_factor(request.user):
            return redirect("accounts:otp_verify")
        raise PermissionDenied


# The default site (admin.site) becomes the two-factor platform-admin site.
admin.site.__class__ = PlatformAdminSite

for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


class AuditedAdmin(admin.ModelAdmin):
    """Records every save and delete in the audit trail."""

    audit_fields: tuple[str, ...] = ()

    def _snapshot(self, obj) -> dict:
        return model_to_dict(obj, fields=list(self.audit_fields))

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            before = None
            if change:
                before = self._snapshot(type(obj).objects.get(pk=obj.pk))
            super().save_model(request, obj, form, change)
            audit_record(
                action=f"admin.{obj._meta.model_name}_{'change' if change else 'add'}",
                actor=Actor.of(request),
                obj=obj,
                before=before,
                after=self._snapshot(obj),
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit_record(
                action=f"admin.{obj._meta.model_name}_delete",
                actor=Actor.of(request),
                obj=obj,
                before=self._snapshot(obj),
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(User)
class UserAdmin(AuditedAdmin):
    list_display = ("name", "id_number_masked", "licence_no", "licence_status", "two_factor_method", "is_active")
    list_filter = ("licence_status", "is_active", "is_staff", "is_superuser", "two_factor_method")
    search_fields = ("name", "licence_no")
    search_help_text = _("按姓名、执业证号或完整的18位身份证号码搜索")
    fields = (
        "id_number_masked",
        "name",
        "mobile",
        "email",
        "licence_no",
        "licence_status",
        "two_factor_method",
        "is_active",
        "is_staff",
        "is_superuser",
        "date_joined",
        "last_login",
    )
    readonly_fields = ("id_number_masked", "licence_status", "two_factor_method", "date_joined", "last_login")
    audit_fields = ("name", "mobile", "email", "licence_no", "is_active", "is_staff", "is_superuser")
    ordering = ("-date_joined",)

    def has_add_permission(self, request):
        # Accounts are made by registration or by organisation admins.
        return False

    def has_delete_permission(self, request, obj=None):
        # Deactivate instead: the audit trail keeps pointing at the person.
        return False

    def get_search_results(self, request, queryset, search_term):
        try:
            id_number = normalize_id_number(search_term)
        except Exception:  # noqa: BLE001 - not an ID number: ordinary search
            return super().get_search_results(request, queryset, search_term)
        return queryset.filter(id_number_hash=crypto.blind_index(id_number)), False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Read only: tokens are issued by sign-in and revoked by sign-out."""

    list_display = ("pk", "user", "created_at", "expires_at", "revoked_at", "last_used_at", "ip")
    list_filter = ("revoked_at",)
    fields = ("user", "created_at", "expires_at", "revoked_at", "last_used_at", "ip")
    readonly_fields = fields
    list_select_related = ("user",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(AuditedAdmin):
    """Authenticators, without their secrets. Deleting one makes its owner
    set up a new authenticator at the next sign-in (lost phone)."""

    list_display = ("user", "name", "confirmed", "created_at", "last_used_at")
    list_filter = ("confirmed",)
    fields = ("user", "name", "confirmed", "created_at", "last_used_at", "throttling_failure_count")
    readonly_fields = fields
    list_select_related = ("user",)
    audit_fields = ("user", "name", "confirmed")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SmsDevice)
class SmsDeviceAdmin(TOTPDeviceAdmin):
    fields = ("user", "name", "confirmed", "created_at", "last_used_at")  # type: ignore[assignment]
    readonly_fields = fields  # type: ignore[assignment]
