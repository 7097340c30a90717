"""Reads for the calendar pages."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from lvshi.orgs import permissions
from lvshi.orgs.models import Organisation, OrgKind

from .models import Closure
from .workdays import today

if TYPE_CHECKING:
    from typing import Any


CALENDAR_KINDS = (OrgKind.DETENTION_AUTHORITY, OrgKind.DETENTION_CENTRE, OrgKind.VIDEO_POINT, OrgKind.COURT)


def closure_orgs_for(user: Any) -> QuerySet[Organisation]:
    """Organisations whose closures *user* may declare."""
    qs = Organisation.objects.filter(is_active=True)
    qs = permissions.visible(user, qs, "calendar.manage_closures", field=None)
    return qs.order_by("path")


def closures_for(user: Any, *, past: bool = False) -> QuerySet[Closure]:
    """Closures *user* manages: upcoming ones, or those of the last 180 days."""
    qs = Closure.objects.select_related("organisation", "created_by")
    qs = permissions.visible(user, qs, "calendar.manage_closures")
    now = today()
    if past:
        return qs.filter(date__lt=now, date__gte=now - timedelta(days=180)).order_by("-date", "organisation__path")
    return qs.filter(date__gte=now).order_by("date", "organisation__path")


def calendar_orgs() -> QuerySet[Organisation]:
    """Organisations whose own calendar the month view offers."""
    return Organisation.objects.filter(is_active=True, kind__in=CALENDAR_KINDS).order_by("path")


def entries_of(user: Any, *, past: bool = False) -> QuerySet[Any]:
    """The lawyer's own schedule entries, from today on (or all)."""
    from django.utils import timezone

    from .models import ScheduleEntry

    qs = ScheduleEntry.objects.filter(lawyer=user)
    if not past:
        qs = qs.filter(end__gte=timezone.now())
    return qs.order_by("start", "pk")
