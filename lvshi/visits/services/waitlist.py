"""The waitlist (候补) for full slots.

* A lawyer whose slot is full for them joins the slot's line
  (:func:`waitlist_join`); one open entry per lawyer, detainee and slot.
* Every room released (cancellation, rejection, no-show, an entry leaving or
  expiring, the detainee leaving) goes through :func:`pass_on`: when someone
  waits for the slot, the room is not given back but held for the first in
  line who may use it (created_at, pk; a legal-aid entry may take a room
  reserved for legal aid, any other entry only an open room). The entry is
  ``offered`` for :data:`OFFER_MINUTES` minutes and the lawyer is told in the
  inbox and by SMS.
* :func:`waitlist_accept` before the deadline books the held room (no second
  room is taken); from the deadline on the offer is ``offer_expired``.
* :func:`expire_offers` (the ``expire_waitlist_offers`` command, every few
  minutes) expires offers past their deadline and passes their rooms on, and
  closes waiting entries whose slot has started.

A held room counts as taken in the slot's load row (and as an open room for
an entry that is not legal aid), so at every moment
``taken == holding bookings + offered entries``. Entries are claimed with
conditional updates (``UPDATE … WHERE status = 'waiting'``), so two releases
never offer one entry twice, one release offers one entry at most, and two
workers expiring offers at the same time each handle an offer once.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvshi.audit.services import audit_record
from lvshi.calendar.workdays import SHANGHAI, local_date
from lvshi.core.actor import Actor
from lvshi.core.errors import Conflict, DomainError, NotFound
from lvshi.notify.services import notify_user
from lvshi.orgs import permissions

from .. import flows
from ..capacity import LOAD_FIELDS, claim_room, ensure_load, free_of, give_back_room
from ..models import (
    WAITLIST_OPEN,
    Booking,
    Detainee,
    RoomKind,
    SlotLoad,
    WaitlistEntry,
    WaitlistStatus,
)
from ..selectors import centre_config
from ..selectors.lockout import check_not_locked
from .outcome import _booking_created, settle
from .requests import active_binding, check_assistant, check_not_busy, check_request

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

    from lvshi.accounts.models import User


OFFER_MINUTES = 15
SYSTEM = "waitlist"
FLOW = flows.WAITLIST


def starts_at(day: date, start: time) -> datetime:
    return datetime.combine(day, start, tzinfo=SHANGHAI)


def _when(entry: WaitlistEntry) -> str:
    return f"{entry.date.isoformat()} {entry.start:%H:%M}-{entry.end:%H:%M}"


def _snapshot(entry: WaitlistEntry) -> dict:
    return {
        "status": entry.status,
        "date": entry.date.isoformat(),
        "start": entry.start.strftime("%H:%M"),
        "room_kind": entry.room_kind,
        "legal_aid": entry.legal_aid,
        "offer_expires_at": entry.offer_expires_at.isoformat() if entry.offer_expires_at else None,
    }


# --- holding released rooms ------------------------------------------------------


def offer_next(
    *, centre_id: int, day: date, start: time, kind: str, now: datetime | None = None
) -> WaitlistEntry | None:
    """Hold a free room of the slot for the first waiting entry that may use
    it; returns that entry, or None (nobody waits, the slot has started, or
    no room is free for those who wait). Call inside a transaction."""
    now = now or timezone.now()
    if starts_at(day, start) <= now:
        return None
    waiting = list(
        WaitlistEntry.objects.filter(
            centre_id=centre_id, date=day, start=start, room_kind=kind, status=WaitlistStatus.WAITING
        )
        .select_related("centre", "detainee", "lawyer")
        .order_by("created_at", "pk")
    )
    open_rooms_left = True
    for entry in waiting:
        if not entry.legal_aid and not open_rooms_left:
            continue
        if not claim_room(centre_id, day, start, kind, legal_aid=entry.legal_aid):
            if entry.legal_aid:
                return None  # no room at all
            open_rooms_left = False  # only a room reserved for legal aid is free
            continue
        expires = now + timedelta(minutes=OFFER_MINUTES)
        try:
            FLOW.apply(
                entry,
                "offer",
                actor=Actor.system(SYSTEM),
                values={"offered_at": now, "offer_expires_at": expires},
                fields=["offer_expires_at"],
            )
        except Conflict:
            # The entry left or was offered a room by another release meanwhile.
            give_back_room(centre_id, day, start, kind, legal_aid=entry.legal_aid)
            continue
        notify_user(
            entry.lawyer,
            kind="visit_waitlist_offer",
            context={
                "centre": entry.centre.name,
                "when": _when(entry),
                "detainee": entry.detainee.name,
                "deadline": timezone.localtime(expires, SHANGHAI).strftime("%Y-%m-%d %H:%M"),
            },
        )
        return entry
    return None


def pass_on(
    *, centre_id: int, day: date, start: time, kind: str, legal_aid: bool, now: datetime | None = None
) -> WaitlistEntry | None:
    """A room of the slot, taken by a legal-aid holder or not, is released:
    hold it for the first in line who may use it, or give it back. Returns
    the entry now holding it, or None. Call inside a transaction."""
    give_back_room(centre_id, day, start, kind, legal_aid=legal_aid)
    return offer_next(centre_id=centre_id, day=day, start=start, kind=kind, now=now)


def _close(
    entry: WaitlistEntry,
    name: str,
    *,
    now: datetime,
    actor: Actor,
    sources: Iterable[str] = WAITLIST_OPEN,
    details: dict[str, Any] | None = None,
    **condition: Any,
) -> bool:
    """Close an open entry by transition *name* (see :data:`FLOW`); a room
    held for it goes onwards. False when the entry was no longer in one of
    *sources* (or *condition* did not hold).

    An entry only moves from waiting to offered, never back, so trying
    ``waiting`` first and ``offered`` second never misses it, and tells
    whether a room was held for it."""
    for source in (WaitlistStatus.WAITING, WaitlistStatus.OFFERED):
        if source not in sources:
            continue
        try:
            FLOW.apply(
                entry, name, actor=actor, only_from=[source], where=condition, values={"ended_at": now}, details=details
            )
        except Conflict:
            continue
        held = source == WaitlistStatus.OFFERED
        break
    else:
        return False
    if held:
        pass_on(
            centre_id=entry.centre_id,
            day=entry.date,
            start=entry.start,
            kind=entry.room_kind,
            legal_aid=entry.legal_aid,
            now=now,
        )
    return True


@transaction.atomic
def close_for_detainee(*, detainee: Detainee, now: datetime | None = None) -> int:
    """The detainee was released or transferred: close their open entries
    (cancelled); rooms held for offered entries go onwards (to the next in
    line for the slot, or back to free). Returns how many were closed."""
    now = now or timezone.now()
    closed = 0
    entries = WaitlistEntry.objects.filter(detainee=detainee, status__in=WAITLIST_OPEN).select_related("centre")
    for entry in entries.order_by("pk"):
        if _close(entry, "close", now=now, actor=Actor.system(SYSTEM), details={"reason": "detainee_left"}):
            closed += 1
    return closed


# --- the lawyer's side ------------------------------------------------------------


def _deadline(entry: WaitlistEntry) -> str:
    return timezone.localtime(entry.offer_expires_at, SHANGHAI).strftime("%Y-%m-%d %H:%M")


@transaction.atomic
def waitlist_join(
    *,
    actor: Actor,
    detainee: Detainee,
    date: date,
    slot_start: time,
    room_kind: str = RoomKind.IN_PERSON,
    centre: int | None = None,
) -> WaitlistEntry:
    """Wait for a room in a slot that is full for this lawyer (the same
    checks as a booking; a legal-aid case waits only when even the rooms
    reserved for legal aid are taken). One open entry per lawyer, detainee
    and slot. *centre* is the place of the meeting, as for a booking (a video
    point serving the detainee's centre; default the centre itself)."""
    permissions.require(actor.user, "visits.book")
    lawyer = actor.user
    checked = check_request(
        lawyer=lawyer, detainee=detainee, day=date, starts=[slot_start], room_kind=room_kind, centre=centre
    )
    binding, config, slots = checked.checked_binding, checked.checked_config, checked.slots
    end = slots[slot_start]
    now = timezone.now()
    if starts_at(date, slot_start) <= now:
        raise DomainError("slot_started", _("该时段已经开始，不能再候补。请选择其他时段。"))
    check_not_busy(lawyer=lawyer, detainee=detainee, day=date, start=slot_start, end=end)
    mine = WaitlistEntry.objects.filter(
        lawyer=lawyer, detainee=detainee, date=date, start=slot_start, room_kind=room_kind, status__in=WAITLIST_OPEN
    )
    if mine.exists():
        raise DomainError("already_waiting", _("您已在该时段的候补名单中，请在“我的候补”中查看。"))
    ensure_load(config, date, slot_start, end, room_kind)
    load = (
        SlotLoad.objects.filter(centre_id=config.organisation_id, date=date, start=slot_start, room_kind=room_kind)
        .values_list(*LOAD_FIELDS)
        .get()
    )
    free = free_of(*load, legal_aid=binding.legal_aid)
    if free > 0:
        raise DomainError(
            "slot_not_full",
            _("%(day)s %(start)s-%(end)s 还有可预约的会见室，无需候补，请直接预约。")
            % {"day": date.isoformat(), "start": slot_start.strftime("%H:%M"), "end": end.strftime("%H:%M")},
        )
    entry = WaitlistEntry(
        lawyer=lawyer,
        detainee=detainee,
        centre_id=config.organisation_id,
        date=date,
        start=slot_start,
        end=end,
        room_kind=room_kind,
        legal_aid=binding.legal_aid,
        created_at=now,
    )
    entry.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as exc:
        raise Conflict("already_waiting", _("您已在该时段的候补名单中，请在“我的候补”中查看。"), status=409) from exc
    audit_record(
        action="visits.waitlist_join", actor=actor, obj=entry, organisation=config.organisation, after=_snapshot(entry)
    )
    return entry


def _own(lawyer: User, entry: WaitlistEntry) -> None:
    if entry.lawyer_id != lawyer.pk:
        raise NotFound()


@transaction.atomic
def waitlist_accept(*, actor: Actor, entry: WaitlistEntry, assistant_id: int | None = None) -> Booking:
    """Book the room held for *entry*, before its deadline: the booking uses
    the held room (no second room is taken); its status is what the centre's
    auto-approval says."""
    lawyer = actor.user
    _own(lawyer, entry)
    now = timezone.now()
    try:
        FLOW.apply(entry, "accept", actor=actor, where={"offer_expires_at__gt": now}, values={"ended_at": now})
    except Conflict as lost:
        entry.refresh_from_db()
        if entry.status in (WaitlistStatus.OFFERED, WaitlistStatus.EXPIRED) and entry.offered_at:
            raise DomainError(
                "offer_expired",
                _("为您保留的会见室已于 %(deadline)s 过期，已顺延给下一位候补律师。请重新选择时段预约或候补。")
                % {"deadline": _deadline(entry)},
            ) from lost
        raise Conflict(
            "waitlist_not_offered",
            _("该候补当前状态为“%(status)s”，没有为您保留的会见室。请刷新“我的候补”查看最新状态。")
            % {"status": WaitlistStatus(entry.status).label},
            status=409,
        ) from lost
    check_not_locked(lawyer)
    active_binding(lawyer, entry.detainee)
    check_not_busy(lawyer=lawyer, detainee=entry.detainee, day=entry.date, start=entry.start, end=entry.end)
    assistant = check_assistant(lawyer, assistant_id)
    config = centre_config(entry.centre_id)
    booking = Booking(
        lawyer=lawyer,
        detainee=entry.detainee,
        centre_id=entry.centre_id,
        date=entry.date,
        start=entry.start,
        end=entry.end,
        room_kind=entry.room_kind,
        legal_aid=entry.legal_aid,
        assistant=assistant,
        submitted_at=now,
    )
    try:
        with transaction.atomic():
            settle(booking, config, now)
    except IntegrityError as exc:
        raise Conflict(
            "booking_conflict", _("该时段刚刚被您或该在押人员的其他预约占用，请刷新后重新选择。"), status=409
        ) from exc
    WaitlistEntry.objects.filter(pk=entry.pk).update(booking=booking)
    entry.booking = booking
    _booking_created(booking, actor=actor, config=config, waitlist_entry=entry.pk)
    return booking


@transaction.atomic
def waitlist_leave(*, actor: Actor, entry: WaitlistEntry) -> WaitlistEntry:
    """The lawyer leaves the line; a room held for the entry goes onwards as
    a released room would."""
    lawyer = actor.user
    _own(lawyer, entry)
    if not _close(entry, "leave", now=timezone.now(), actor=actor):
        entry.refresh_from_db()
        raise Conflict(
            "waitlist_closed",
            _("该候补当前状态为“%(status)s”，无需退出。请刷新“我的候补”查看最新状态。")
            % {"status": WaitlistStatus(entry.status).label},
            status=409,
        )
    return entry


def release_room(booking: Booking, *, now: datetime | None = None) -> WaitlistEntry | None:
    """Give back the room *booking* held. Every release goes through here
    (cancellation, rejection, no-show, the detainee leaving), in the
    transaction that changes the booking. When someone waits for the slot,
    the room is held for the first of them instead (see :mod:`.waitlist`);
    returns that waitlist entry, or None."""
    return pass_on(
        centre_id=booking.centre_id,
        day=booking.date,
        start=booking.start,
        kind=booking.room_kind,
        legal_aid=booking.legal_aid,
        now=now,
    )


# --- expiry ----------------------------------------------------------------------


def expire_offers(now: datetime | None = None) -> int:
    """Expire offers past their deadline (their rooms go to the next in line,
    or back to free) and close waiting entries whose slot has started.
    Each entry in its own transaction, claimed with a conditional update:
    safe on several machines at once. Returns how many this call closed."""
    now = now or timezone.now()
    closed = 0
    due = WaitlistEntry.objects.filter(status=WaitlistStatus.OFFERED, offer_expires_at__lte=now)
    for pk in due.order_by("offer_expires_at", "pk").values_list("pk", flat=True):
        closed += _expire_one(pk, now, sources=(WaitlistStatus.OFFERED,), offer_expires_at__lte=now)
    started = WaitlistEntry.objects.filter(status=WaitlistStatus.WAITING, date__lte=local_date(now))
    for pk, day, start in started.order_by("pk").values_list("pk", "date", "start"):
        if starts_at(day, start) <= now:
            closed += _expire_one(pk, now, sources=(WaitlistStatus.WAITING,))
    return closed


@transaction.atomic
def _expire_one(pk: int, now: datetime, *, sources: Iterable[str], **condition: Any) -> bool:
    entry = WaitlistEntry.objects.select_related("centre").get(pk=pk)
    # False: accepted, left or expired by another worker meanwhile.
    return _close(entry, "expire", now=now, actor=Actor.system("expire_waitlist_offers"), sources=sources, **condition)
