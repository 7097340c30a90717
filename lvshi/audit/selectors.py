"""Reading the audit trail."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone

from lvshi.orgs.models import Organisation
from lvshi.orgs.scope import grants, is_platform_admin

from .models import AuditEvent
from .rules import AUDIT_ROLES

if TYPE_CHECKING:
    from typing import Any


def events_visible_to(user: Any) -> QuerySet[AuditEvent]:
    """Events of the organisations the user audits (and their subtrees);
    everything for platform administrators; nothing for anyone else."""
    events = AuditEvent.objects.all()
    if is_platform_admin(user):
        return events
    scope = Q(pk__in=[])
    for grant in grants(user):
        if grant.role in AUDIT_ROLES:
            scope |= Q(org_path__startswith=grant.path)
    return events.filter(scope)


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


def event_list(
    *,
    user: Any,
    action: str = "",
    actor: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    result: str = "",
) -> QuerySet[AuditEvent]:
    """Filtered events, newest first. *action* matches a prefix
    (``auth.`` → every sign-in event); dates are local calendar days,
    both ends included."""
    events = events_visible_to(user)
    if action:
        events = events.filter(action__startswith=action)
    if actor:
        events = events.filter(actor_label__icontains=actor)
    if date_from:
        events = events.filter(occurred_at__gte=_start_of(date_from))
    if date_to:
        events = events.filter(occurred_at__lt=_start_of(date_to + timedelta(days=1)))
    if result:
        events = events.filter(result=result)
    return events.select_related("organisation").order_by("-occurred_at", "-id")


def audit_home_organisation(user: Any) -> Organisation | None:
    """Where a reader of the trail belongs, so that their reads are seen by
    the auditors of that organisation."""
    for grant in grants(user):
        if grant.role in AUDIT_ROLES:
            return Organisation.objects.only("id", "path", "name").filter(pk=grant.org_id).first()
    return None
