"""Check-in, no-shows, violations and the booking lock-out (V7, V8).

* An officer of the centre registers the lawyer's arrival on the day, until
  :data:`NO_SHOW_AFTER` after the slot starts (the centre's clock,
  Asia/Shanghai).
* :func:`mark_no_shows` (the ``mark_no_shows`` command, every few minutes)
  turns approved bookings nobody registered by then into no-shows: the room
  is released and the lawyer gets one :class:`Violation`, valid for
  :data:`VIOLATION_MONTHS` months from the meeting day. Each booking is
  claimed with ``UPDATE … WHERE status = 'approved'``, so two workers never
  both count it; ``Violation.booking`` is unique as well.
* :data:`LOCK_AFTER` active violations not yet used by a lock → the lawyer's
  online booking is locked for :data:`LOCK_MONTHS` months (until ``ends_on``,
  the first day booking is possible again). The violations are then attached
  to the lock and no longer count towards another one.
* The lawyer may appeal each violation once; an authority officer at or above
  the centre decides. Upholding voids the violation, and if it was part of an
  active lock, lifts that lock (its other violations count again). An
  authority officer may also lift a lock with a reason.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvshi.audit.diff import snapshot
from lvshi.audit.services import audit_record
from lvshi.calendar.workdays import local_date
from lvshi.core.actor import Actor
from lvshi.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from lvshi.core.text import clean_text
from lvshi.notify.services import notify_user
from lvshi.orgs import scope

from .. import flows
from ..models import (
    Appeal,
    AppealStatus,
    Booking,
    BookingLock,
    BookingStatus,
    CheckIn,
    LockStatus,
    Violation,
    ViolationStatus,
)
from ..selectors.lockout import active_lock, no_show_at, starts_at
from .outcome import notify_decision
from .waitlist import release_room

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from lvshi.accounts.models import User
    from lvshi.orgs.models import Organisation


VIOLATION_MONTHS = 12
LOCK_AFTER = 3
LOCK_MONTHS = 6
APPEAL_MAX = 1000


def add_months(day: date, months: int) -> date:
    """The same day *months* later (the month's last day when it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _when(booking: Booking) -> str:
    return f"{booking.date.isoformat()} {booking.start:%H:%M}-{booking.end:%H:%M}"


# --- check-in --------------------------------------------------------------------


@transaction.atomic
def booking_check_in(*, actor: Actor, booking: Booking, assistant_name: str | None = None) -> CheckIn:
    """Register the lawyer's arrival for an approved booking of the officer's
    centre, on the meeting day, until 20 minutes after the slot starts."""
    officer = actor.user
    if not scope.can(officer, "visits.check_in", booking):
        raise PermissionDenied(message=_("只有本看守所的民警可以办理会见登记。"))
    assistant_name = clean_text(
        assistant_name, field=(get_user_model(), "name"), code="assistant_name", label=_("律师助理姓名")
    )
    now = timezone.now()
    if local_date(now) != booking.date:
        raise DomainError(
            "not_meeting_day",
            _("该预约的会见日期是 %(day)s，只能在当天办理会见登记。") % {"day": booking.date.isoformat()},
        )
    if now >= no_show_at(booking):
        raise DomainError(
            "check_in_closed",
            _("会见开始20分钟后（%(deadline)s）不能再办理登记，该预约按未到处理。")
            % {"deadline": no_show_at(booking).strftime("%H:%M")},
        )
    flows.BOOKING.apply(booking, "check_in", actor=actor, details={"assistant_name": assistant_name})
    check_in = CheckIn.objects.create(booking=booking, officer=officer, assistant_name=assistant_name, at=now)
    return check_in


# --- no-shows and violations ---------------------------------------------------------


def due_no_shows(now: datetime | None = None) -> list[int]:
    """Approved bookings whose 20 minutes have passed (ids, in order)."""
    now = now or timezone.now()
    candidates = Booking.objects.filter(status=BookingStatus.APPROVED, date__lte=local_date(now)).only(
        "pk", "date", "start"
    )
    return [b.pk for b in candidates if now >= no_show_at(b)]


def mark_no_shows(*, now: datetime | None = None) -> int:
    """Turn due bookings into no-shows; returns how many this call claimed."""
    now = now or timezone.now()
    return sum(1 for pk in due_no_shows(now) if _mark_one(pk, now))


def expire_unreviewed(*, now: datetime | None = None) -> int:
    """Bookings still under review when their meeting starts lapse: they are
    refused with a reason that says so, the room is given back and the lawyer
    told (no violation: the lawyer did nothing wrong). Returns how many this
    call claimed; safe on several machines at once."""
    now = now or timezone.now()
    candidates = Booking.objects.filter(status=BookingStatus.UNDER_REVIEW, date__lte=local_date(now)).only(
        "pk", "date", "start"
    )
    return sum(1 for b in candidates if now >= starts_at(b) and _expire_one(b.pk, now))


@transaction.atomic
def _expire_one(pk: int, now: datetime) -> bool:
    reason = _("会见开始时预约仍未审核，已自动失效。如仍需会见，请重新预约或联系看守所。")
    booking = Booking.objects.select_related("centre", "lawyer", "detainee").get(pk=pk)
    try:
        flows.BOOKING.apply(
            booking,
            "lapse",
            actor=Actor.system("mark_no_shows"),
            reason=reason,
            values={"reason": reason, "decided_at": now},
            fields=["reason"],
        )
    except Conflict:
        return False  # decided, cancelled or claimed by another worker meanwhile
    release_room(booking)
    notify_decision(booking, "booking_rejected")
    return True


@transaction.atomic
def _mark_one(pk: int, now: datetime) -> bool:
    booking = Booking.objects.select_related("centre", "lawyer", "detainee").get(pk=pk)
    try:
        flows.BOOKING.apply(booking, "no_show", actor=Actor.system("mark_no_shows"))
    except Conflict:
        return False  # checked in, cancelled or claimed by another worker meanwhile
    release_room(booking)
    violation = Violation.objects.create(
        lawyer=booking.lawyer,
        booking=booking,
        centre=booking.centre,
        date=booking.date,
        expires_on=add_months(booking.date, VIOLATION_MONTHS),
    )
    notify_user(
        booking.lawyer,
        kind="visit_no_show",
        context={"centre": booking.centre.name, "when": _when(booking), "expires": violation.expires_on.isoformat()},
    )
    _maybe_lock(booking.lawyer, booking.centre, now)
    return True


def counting_violations(lawyer: User, today: date) -> QuerySet[Violation]:
    """Violations that count towards the next lock."""
    return Violation.objects.filter(
        lawyer=lawyer, status=ViolationStatus.ACTIVE, expires_on__gt=today, lock__isnull=True
    )


def _maybe_lock(lawyer: User, centre: Organisation, now: datetime) -> BookingLock | None:
    # One lawyer's violations are counted one transaction at a time.
    get_user_model().objects.select_for_update().filter(pk=lawyer.pk).first()
    today = local_date(now)
    if active_lock(lawyer, today=today) is not None:
        return None
    counted = list(counting_violations(lawyer, today).order_by("date", "pk")[:LOCK_AFTER])
    if len(counted) < LOCK_AFTER:
        return None
    lock = BookingLock.objects.create(
        lawyer=lawyer,
        centre=centre,
        starts_on=today,
        ends_on=add_months(today, LOCK_MONTHS),
        reason=_("累计违约%(count)s次（%(dates)s）")
        % {"count": LOCK_AFTER, "dates": "、".join(v.date.isoformat() for v in counted)},
    )
    Violation.objects.filter(pk__in=[v.pk for v in counted]).update(lock=lock)
    audit_record(
        action="visits.lock_create",
        obj=lock,
        organisation=centre,
        actor_label="mark_no_shows",
        after=snapshot(lock, ["lawyer", "starts_on", "ends_on", "reason"]),
    )
    notify_user(lawyer, kind="visit_locked", context={"count": LOCK_AFTER, "ends": lock.ends_on.isoformat()})
    return lock


# --- appeals and lifting ------------------------------------------------------------------


@transaction.atomic
def violation_appeal(*, actor: Actor, violation: Violation, text: str) -> Appeal:
    lawyer = actor.user
    if violation.lawyer_id != lawyer.pk:
        raise NotFound()
    text = clean_text(text, field=(Appeal, "text"), required=_("请填写申诉理由，例如未能到场的原因和证明材料。"))
    if violation.status != ViolationStatus.ACTIVE:
        raise Conflict("violation_void", _("该违约记录已撤销，无需申诉。"), status=409)
    appeal, created = Appeal.objects.get_or_create(violation=violation, defaults={"lawyer": lawyer, "text": text})
    if not created:
        raise Conflict("already_appealed", _("每条违约记录只能申诉一次，您已提交过申诉。"), status=409)
    audit_record(
        action="visits.violation_appeal",
        actor=actor,
        obj=appeal,
        organisation=violation.centre,
        after={"violation": violation.pk, "text": text},
    )
    return appeal


def _lift(lock: BookingLock, *, actor: Actor, reason: str) -> bool:
    try:
        flows.LOCK.apply(
            lock,
            "lift",
            actor=actor,
            reason=reason,
            values={"lifted_at": timezone.now(), "lifted_by": actor.user, "lift_reason": reason},
            fields=["lift_reason"],
        )
    except Conflict:
        return False
    notify_user(lock.lawyer, kind="visit_lock_lifted", context={"reason": reason})
    return True


@transaction.atomic
def appeal_decide(*, actor: Actor, appeal: Appeal, uphold: bool, note: str = "") -> Appeal:
    """Uphold (the violation is voided) or reject an appeal."""
    if not scope.can(actor.user, "visits.decide_appeal", appeal):
        raise PermissionDenied(message=_("只有监所管理民警可以处理违约申诉。"))
    note = clean_text(note, field=(Appeal, "note"))
    if not uphold and not note:
        raise DomainError("note_required", _("驳回申诉时请填写理由，律师将在通知中看到。"))
    flows.APPEAL.apply(
        appeal,
        "uphold" if uphold else "reject",
        actor=actor,
        reason=note,
        values={"note": note, "decided_at": timezone.now(), "decided_by": actor.user},
        fields=["note"],
    )
    violation = appeal.violation
    if uphold:
        flows.VIOLATION.apply(violation, "void", actor=actor)
        lock = violation.lock
        if lock is not None and lock.status == LockStatus.ACTIVE:
            _lift(lock, actor=actor, reason=_("违约申诉成立"))
            # The lock's other violations count again towards a new one.
            Violation.objects.filter(lock=lock).exclude(pk=violation.pk).update(lock=None)
    notify_user(
        appeal.lawyer,
        kind="visit_appeal_decided",
        context={
            "date": violation.date.isoformat(),
            "result": str(AppealStatus(appeal.status).label),
            "note": note,
        },
    )
    return appeal


@transaction.atomic
def lock_lift(*, actor: Actor, lock: BookingLock, reason: str) -> BookingLock:
    if not scope.can(actor.user, "visits.lift_lock", lock):
        raise PermissionDenied(message=_("只有监所管理民警可以解除预约锁定。"))
    reason = clean_text(reason, field=(BookingLock, "lift_reason"), code="reason", required=_("请填写解除锁定的原因。"))
    if not _lift(lock, actor=actor, reason=reason):
        raise flows.LOCK.wrong_status(lock, flows.LOCK.by_name["lift"])
    return lock
