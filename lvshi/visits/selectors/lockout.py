"""Reads for violations, appeals and the booking lock-out (V7, V8): whether
a lawyer is locked out now, the lawyer's own record, the authority
officers' appeal queue and list of locks. Each function loads its rows in a
fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvshi.calendar.workdays import SHANGHAI, local_date
from lvshi.core.errors import DomainError
from lvshi.orgs import permissions, scope
from lvshi.orgs.models import Role

from ..models import Appeal, AppealStatus, Booking, BookingLock, LockStatus, Violation, ViolationStatus

if TYPE_CHECKING:
    from lvshi.accounts.models import User


NO_SHOW_AFTER = timedelta(minutes=20)


def starts_at(booking: Booking) -> datetime:
    return datetime.combine(booking.date, booking.start, tzinfo=SHANGHAI)


def no_show_at(booking: Booking) -> datetime:
    """From this moment an approved booking nobody registered is a no-show."""
    return starts_at(booking) + NO_SHOW_AFTER


def in_force(today: date) -> Q:
    """The one condition of a lock that keeps its lawyer from booking on
    *today*: active, started, not yet ended (``ends_on`` is the first day
    booking is possible again). The booking request's statement takes it
    from here too (:func:`lvshi.visits.services.requests._booking_row_sql`)."""
    return Q(status=LockStatus.ACTIVE, starts_on__lte=today, ends_on__gt=today)


def active_lock(lawyer: User, *, today: date | None = None) -> BookingLock | None:
    today = today or local_date(timezone.now())
    return BookingLock.objects.filter(in_force(today), lawyer=lawyer).order_by("-ends_on").first()


def check_not_locked(lawyer: User) -> None:
    """Refuse online booking while the lawyer is locked out."""
    lock = active_lock(lawyer)
    if lock is not None:
        raise DomainError(
            "booking_locked",
            _("您的网上预约已被锁定（%(reason)s），%(ends)s起恢复。如有异议，可在“违约记录”中对违约提出申诉。")
            % {"reason": lock.reason, "ends": lock.ends_on.isoformat()},
            details={"ends_on": lock.ends_on.isoformat(), "lock_id": lock.pk},
        )


# What a violation means for the lawyer today.
STATES = {
    "active": gettext_lazy("有效"),
    "void": gettext_lazy("已撤销"),
    "locked": gettext_lazy("已计入锁定"),
    "expired": gettext_lazy("已过期"),
}


@dataclass(frozen=True)
class ViolationRow:
    violation: Violation
    state: str
    appeal: Appeal | None
    can_appeal: bool

    @property
    def state_label(self) -> str:
        return str(STATES[self.state])


def violation_state(violation: Violation, today: date) -> str:
    if violation.status == ViolationStatus.VOID:
        return "void"
    if violation.expires_on <= today:
        return "expired"
    if violation.lock_id is not None:
        return "locked"
    return "active"


def violation_row(violation: Violation, *, today: date | None = None) -> ViolationRow:
    today = today or local_date(timezone.now())
    try:
        appeal = violation.appeal
    except Appeal.DoesNotExist:
        appeal = None
    return ViolationRow(
        violation=violation,
        state=violation_state(violation, today),
        appeal=appeal,
        can_appeal=appeal is None and violation.status == ViolationStatus.ACTIVE,
    )


def lawyer_violations(lawyer: User, *, today: date | None = None) -> list[ViolationRow]:
    """The lawyer's violations, newest first, each with its appeal (one query)."""
    today = today or local_date(timezone.now())
    qs = Violation.objects.filter(lawyer=lawyer).select_related("centre", "booking", "booking__detainee", "appeal")
    return [violation_row(v, today=today) for v in qs.order_by("-date", "-pk")]


def lawyer_lock(lawyer: User) -> BookingLock | None:
    """The lawyer's lock in force today, if any."""
    return active_lock(lawyer)


def is_authority(user: User) -> bool:
    return scope.has_role(user, Role.AUTHORITY_OFFICER)


def may_see_authority_pages(user: User) -> bool:
    return scope.is_platform_admin(user) or is_authority(user)


def pending_appeals(user: User) -> QuerySet[Appeal]:
    """Appeals waiting for a decision at centres at or below the user's
    authority, oldest first, with the facts of the missed meeting."""
    qs = Appeal.objects.filter(status=AppealStatus.PENDING).select_related(
        "lawyer",
        "violation",
        "violation__centre",
        "violation__booking",
        "violation__booking__detainee",
        "violation__booking__check_in",
    )
    return permissions.visible(user, qs, "visits.view_appeals", field="violation__centre").order_by("created_at", "pk")


def no_show_time(appeal: Appeal) -> datetime:
    return no_show_at(appeal.violation.booking)


def locks(user: User, *, q: str = "") -> QuerySet[BookingLock]:
    """Locks of lawyers at centres in the user's scope: active ones first,
    then the newest; *q* matches the lawyer's name or licence number."""
    qs = BookingLock.objects.select_related("lawyer", "centre", "lifted_by")
    qs = permissions.visible(user, qs, "visits.view_appeals", field="centre")
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(lawyer__name__icontains=q) | Q(lawyer__licence_no__icontains=q))
    first = Case(When(status=LockStatus.ACTIVE, then=Value(0)), default=Value(1), output_field=IntegerField())
    return qs.annotate(_order=first).order_by("_order", "-starts_on", "-pk")
