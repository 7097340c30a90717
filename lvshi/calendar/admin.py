"""Admin for the official holiday tables and closures. Changes made here are
audited like those made through the pages."""

from django.contrib import admin
from django.db import transaction

from lvshi.audit.services import audit_record
from lvshi.core.actor import Actor

from .models import Closure, HolidayDate, HolidayYear, TravelTime


class AuditedAdmin(admin.ModelAdmin):
    audit_prefix = ""

    def snapshot(self, obj) -> dict:
        return {}

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(
            action=f"{self.audit_prefix}_{'update' if change else 'create'}",
            actor=Actor.of(request),
            obj=obj,
            after=self.snapshot(obj),
            message="admin",
        )

    @transaction.atomic
    def delete_model(self, request, obj):
        before = self.snapshot(obj)
        super().delete_model(request, obj)
        audit_record(
            action=f"{self.audit_prefix}_delete", actor=Actor.of(request), obj=obj, before=before, message="admin"
        )

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class HolidayDateInline(admin.TabularInline):
    model = HolidayDate
    extra = 3
    fields = ("date", "kind", "name")


@admin.register(HolidayYear)
class HolidayYearAdmin(AuditedAdmin):
    audit_prefix = "calendar.holiday_year"
    list_display = ("year", "published", "source", "updated_at")
    list_filter = ("published",)
    inlines = [HolidayDateInline]

    def snapshot(self, obj) -> dict:
        return {"year": obj.year, "published": obj.published, "source": obj.source}

    @transaction.atomic
    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        audit_record(
            action="calendar.holiday_dates_update",
            actor=Actor.of(request),
            obj=obj,
            after={"dates": [[d.date.isoformat(), d.kind, d.name] for d in obj.dates.all()]},
            message="admin",
        )


@admin.register(Closure)
class ClosureAdmin(AuditedAdmin):
    audit_prefix = "calendar.closure"
    list_display = ("date", "organisation", "reason", "created_by", "created_at")
    list_filter = ("date",)
    search_fields = ("organisation__name", "reason")
    raw_id_fields = ("organisation",)
    readonly_fields = ("created_by", "created_at")
    date_hierarchy = "date"

    def snapshot(self, obj) -> dict:
        return {"organisation": obj.organisation_id, "date": obj.date.isoformat(), "reason": obj.reason}

    def save_model(self, request, obj, form, change):
        if not obj.created_by_id:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(TravelTime)
class TravelTimeAdmin(AuditedAdmin):
    """The time to allow between two regions (one row per pair, either order)."""

    audit_prefix = "calendar.travel_time"
    list_display = ("region_a", "region_b", "minutes")
    search_fields = ("region_a", "region_b")

    def snapshot(self, obj) -> dict:
        return {"region_a": obj.region_a, "region_b": obj.region_b, "minutes": obj.minutes}
