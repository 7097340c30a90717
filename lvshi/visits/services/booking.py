"""Bookings (V4, V5): made, cancelled, withdrawn, approved and rejected.

Every refusal is a :class:`~lvshi.core.errors.DomainError` with a stable
code and a Chinese message that says what to do; nothing is changed then.
Capacity is taken with a conditional update of the slot's load row inside the
booking's transaction (:mod:`..capacity`), so the database refuses an
overbooking even when two requests pass the checks at the same moment."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvshi.core.actor import Actor
from lvshi.core.errors import Conflict, DomainError, NotFound
from lvshi.core.text import max_length
from lvshi.orgs import permissions
from lvshi.orgs.models import Organisation

from .. import flows
from ..capacity import Loads, free_rooms, take_room
from ..models import Binding, Booking, CentreConfig, Detainee, RoomKind
from ..selectors.window import cancel_deadline, hhmm
from . import waitlist
from .outcome import _READ_FOREIGN_KEYS, _booking_created, notify_decision, settle
from .requests import booking_row, check_assistant, check_not_busy, check_request, slot_full_error

if TYPE_CHECKING:
    from lvshi.accounts.models import User


def _request_hash(
    detainee_id: int,
    day: date,
    slots: Sequence[time],
    kind: str,
    assistant_id: int | None = None,
    centre_id: int | None = None,
) -> str:
    body = {"detainee": detainee_id, "date": day.isoformat(), "slots": sorted(map(hhmm, slots)), "kind": kind}
    if assistant_id:
        body["assistant"] = assistant_id
    if centre_id:
        body["centre"] = centre_id
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def _replay(lawyer: User, key: str, request_hash: str) -> list[Booking] | None:
    # The exclude repeats the condition of the partial unique index on the
    # key, so that SQLite uses it too (PostgreSQL proves it by itself).
    earlier = list(
        Booking.objects.filter(lawyer=lawyer, idempotency_key=key)
        .exclude(idempotency_key="")
        .select_related("detainee", "centre", "assistant")
        .order_by("start", "pk")
    )
    if not earlier:
        return None
    if any(b.request_hash != request_hash for b in earlier):
        raise Conflict(
            "idempotency_conflict",
            _("该 Idempotency-Key 已用于另一份预约申请。新的申请请使用新的 Idempotency-Key。"),
            status=409,
        )
    return earlier


class _SlotTaken(Exception):
    """The guard refused a room of *start*: another request took the last one."""

    def __init__(self, start: time):
        super().__init__(start)
        self.start = start


# A longer key is refused, never cut (two keys alike in their first 80
# characters would otherwise be one).
IDEMPOTENCY_KEY_MAX = max_length(Booking, "idempotency_key")


def booking_create(
    *,
    actor: Actor,
    detainee: Detainee | int,
    date: date,
    slot_start: time | Iterable[time],
    room_kind: str = RoomKind.IN_PERSON,
    assistant_id: int | None = None,
    idempotency_key: str | None = None,
    centre: Organisation | int | None = None,
) -> list[Booking]:
    """Book one room per chosen slot for *lawyer* to meet *detainee* (the
    detainee or its id) on *date*. A user who is not a practising lawyer
    of an active organisation is refused (403, ``visits.book``) before
    anything else; the request's first read says so for a bound lawyer.

    *centre* is the place of the meeting (the organisation or its id): by
    default the detainee's centre; or a video point (远程视频会见点) that
    serves that centre (:func:`selectors.serves`), where only video
    meetings are booked and the window, open days, slots, rooms and
    legal-aid rules are the point's own (its ``CentreConfig``).

    *slot_start* is one start time or several (one booking each, all or
    none). *assistant_id* names an assistant (or lawyer) of the lawyer's firm
    who comes along. With an *idempotency_key*, a replay of the same request
    returns the same bookings, and the same key with another request is a 409.

    The checks only read, so they run before the write transaction: a
    refusal (most requests of a crowd) never holds SQLite's write lock, and
    a slot that is already full is refused from one read of the window's
    loads, which also gives the alternatives. Only a request that may
    succeed opens the transaction, where the conditional update of the
    slot's load (:func:`claim_room`) decides; a slot that looked free but
    was taken meanwhile is refused there."""
    lawyer = actor.user
    starts = [slot_start] if isinstance(slot_start, time) else sorted(set(slot_start))
    if not starts:
        raise DomainError("unknown_slot", _("请至少选择一个时段。"))
    detainee_id = detainee if isinstance(detainee, int) else detainee.pk
    key = (idempotency_key or "").strip()
    if len(key) > IDEMPOTENCY_KEY_MAX:
        raise DomainError(
            "invalid_idempotency_key",
            _("Idempotency-Key 最长 %(n)d 个字符，请换一个较短的键（如 UUID）。") % {"n": IDEMPOTENCY_KEY_MAX},
            status=422,
        )
    centre_id = centre.pk if isinstance(centre, Organisation) else centre
    request_hash = _request_hash(detainee_id, date, starts, room_kind, assistant_id, centre_id) if key else ""
    row = booking_row(lawyer, detainee, key, centre_id)
    if not (row is not None and row.practises):
        permissions.require(lawyer, "visits.book")
    if key and (row is None or row.replayed):
        earlier = _replay(lawyer, key, request_hash)
        if earlier is not None:
            return earlier
    checked = check_request(
        lawyer=lawyer, detainee=detainee, day=date, starts=starts, room_kind=room_kind, request=row, centre=centre_id
    )
    binding, config, slots, loads = checked.checked_binding, checked.checked_config, checked.slots, checked.loads
    assistant = check_assistant(lawyer, assistant_id)
    legal_aid = binding.legal_aid
    now = timezone.now()
    for start in starts:
        if free_rooms(config, loads, date, start, room_kind, legal_aid=legal_aid) <= 0:
            raise slot_full_error(
                config, date, start, slots[start], room_kind, legal_aid=legal_aid, now=now, loads=loads
            )
    try:
        return _booking_create(
            actor=actor,
            binding=binding,
            config=config,
            day=date,
            slots={start: slots[start] for start in starts},
            room_kind=room_kind,
            assistant=assistant,
            key=key,
            request_hash=request_hash,
            now=now,
            loads=loads,
        )
    except _SlotTaken as lost:
        raise slot_full_error(
            config, date, lost.start, slots[lost.start], room_kind, legal_aid=legal_aid, now=now
        ) from None
    except IntegrityError:
        # A concurrent request with the same key, or for the same lawyer or
        # detainee at the same time, committed first.
        if key:
            earlier = _replay(lawyer, key, request_hash)
            if earlier is not None:
                return earlier
        raise Conflict(
            "booking_conflict", _("该时段刚刚被您或该在押人员的其他预约占用，请刷新后重新选择。"), status=409
        ) from None


@transaction.atomic
def _booking_create(
    *,
    actor: Actor,
    binding: Binding,
    config: CentreConfig,
    day: date,
    slots: dict[time, time],
    room_kind: str,
    assistant: User | None,
    key: str,
    request_hash: str,
    now: datetime,
    loads: Loads,
) -> list[Booking]:
    """The writes of :func:`booking_create`, in one transaction: per slot,
    the lawyer and the detainee are free then, a room is taken (or
    :class:`_SlotTaken`, which undoes the rooms taken before it), the booking
    is saved and audited. The slot's load row is locked before the audit
    chain's head, as in every transaction that touches both."""
    lawyer = actor.user
    detainee = binding.detainee
    created = []
    for start, end in slots.items():
        check_not_busy(lawyer=lawyer, detainee=detainee, day=day, start=start, end=end)
        seen = (day, start, room_kind) in loads
        if not take_room(config, day, start, end, room_kind, legal_aid=binding.legal_aid, seen=seen):
            raise _SlotTaken(start)
        booking = Booking(
            lawyer=lawyer,
            detainee=detainee,
            centre=config.organisation,
            date=day,
            start=start,
            end=end,
            room_kind=room_kind,
            legal_aid=binding.legal_aid,
            assistant=assistant,
            submitted_at=now,
            idempotency_key=key,
            request_hash=request_hash,
        )
        settle(booking, config, now, exclude=_READ_FOREIGN_KEYS)
        _booking_created(booking, actor=actor, config=config)
        created.append(booking)
    return created


@transaction.atomic
def booking_cancel(*, booking: Booking, actor: Actor) -> Booking:
    """The lawyer cancels, until 18:00 (Asia/Shanghai) on the day before."""
    if booking.lawyer_id != actor.user.pk:
        raise NotFound()
    deadline = cancel_deadline(booking)
    if timezone.now() >= deadline:
        raise DomainError(
            "cancel_too_late",
            _(
                "会见前一日18:00后不能在网上取消预约（本次截止时间为 %(deadline)s）。"
                "如确实无法到场，请电话联系%(centre)s。"
            )
            % {"deadline": deadline.strftime("%Y-%m-%d %H:%M"), "centre": booking.centre.name},
        )
    flows.BOOKING.apply(booking, "cancel", actor=actor, values={"cancelled_at": timezone.now()})
    waitlist.release_room(booking)
    return booking


def booking_withdraw(*, booking: Booking, actor: Actor, reason: str, now: datetime) -> bool:
    """Cancel a booking still ahead because its binding ended or its detainee
    left, and give back its room. False when it was decided, cancelled or
    checked in meanwhile (nothing changed). Call inside a transaction."""
    try:
        flows.BOOKING.apply(
            booking, "withdraw", actor=actor, values={"reason": reason[:300], "cancelled_at": now}, fields=["reason"]
        )
    except Conflict:
        return False
    waitlist.release_room(booking, now=now)
    return True


@transaction.atomic
def booking_approve(*, booking: Booking, actor: Actor) -> Booking:
    flows.BOOKING.apply(
        booking, "approve", actor=actor, values={"decided_at": timezone.now(), "decided_by": actor.user}
    )
    notify_decision(booking, "booking_approved")
    return booking


@transaction.atomic
def booking_reject(*, booking: Booking, actor: Actor, reason: str) -> Booking:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required", _("请填写不通过的原因，律师将在通知中看到。"))
    flows.BOOKING.apply(
        booking,
        "reject",
        actor=actor,
        reason=reason,
        values={"reason": reason, "decided_at": timezone.now(), "decided_by": actor.user},
        fields=["reason"],
    )
    waitlist.release_room(booking)
    notify_decision(booking, "booking_rejected")
    return booking
