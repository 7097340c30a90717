"""Meetings in the JSON API: centres and their public availability, the
lawyer's bindings and bookings, and the officers' review."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema, Status

from lvshi.core.actor import Actor
from lvshi.core.api import Id, IsoDate, Limit, Offset, SlotStart, StepOut
from lvshi.core.errors import DomainError
from lvshi.orgs import permissions

from .. import access, flows, selectors, services
from ..models import (
    Booking,
    BookingStatus,
    RoomKind,
)
from ..services.booking import IDEMPOTENCY_KEY_MAX

router = Router()


class SlotOut(Schema):
    start: str
    end: str


class CentreOut(Schema):
    id: int
    name: str
    kind: str
    address: str
    phone: str
    earliest_days: int
    latest_days: int
    saturday_open: bool
    legal_aid_priority_days: int = Field(description="legal-aid cases may book this many days beyond latest_days")
    slots: list[SlotOut]


class AvailabilitySlotOut(Schema):
    start: str
    end: str
    kind: RoomKind
    capacity: int
    reserved: int = Field(description="rooms only legal-aid cases may book")
    free: int = Field(description="rooms any booking may take")
    free_legal_aid: int = Field(description="rooms a legal-aid booking may take (reserved rooms included)")


class AvailabilityOut(Schema):
    centre_id: int
    date: date
    open: bool
    reason: str = Field(description="why the centre is closed that day")
    slots: list[AvailabilitySlotOut]


class AvailabilityParams(Schema):
    date: IsoDate


# A day holds at most 48 half-hour slots.
SLOTS_PER_DAY_MAX = 48


class BookingIn(Schema):
    detainee_id: Id
    date: IsoDate
    slot: SlotStart | Annotated[list[SlotStart], Field(min_length=1, max_length=SLOTS_PER_DAY_MAX)] = Field(
        description='slot start "HH:MM", or several of one day'
    )
    room_kind: RoomKind = RoomKind.IN_PERSON
    assistant_id: Id | None = Field(None, description="an assistant or lawyer of your firm who comes along")
    centre_id: Id | None = Field(
        None,
        description="where the meeting takes place: the detainee's centre (default) or a video point serving it "
        "(kind video_point in GET /centres; room_kind video only)",
    )


class BookingOut(Schema):
    id: int
    status: BookingStatus
    status_label: str
    detainee_id: int
    detainee: str
    centre_id: int
    centre: str
    date: date
    start: str
    end: str
    room_kind: RoomKind
    legal_aid: bool
    assistant_id: int | None
    assistant: str
    reason: str
    submitted_at: datetime
    cancel_until: datetime


class BookingsOut(Schema):
    bookings: list[BookingOut]


class BookingPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[BookingOut]


class BookingListParams(Schema):
    status: BookingStatus | None = None
    limit: Limit = 20
    offset: Offset = 0


class RejectIn(Schema):
    reason: str = Field(max_length=300)


def hhmm(value: time) -> str:
    return value.strftime("%H:%M")


def _booking_out(b: Booking) -> dict:
    return {
        "id": b.pk,
        "status": b.status,
        "status_label": str(BookingStatus(b.status).label),
        "detainee_id": b.detainee_id,
        "detainee": b.detainee.name,
        "centre_id": b.centre_id,
        "centre": b.centre.name,
        "date": b.date,
        "start": hhmm(b.start),
        "end": hhmm(b.end),
        "room_kind": b.room_kind,
        "legal_aid": b.legal_aid,
        "assistant_id": b.assistant_id,
        "assistant": b.assistant.name if b.assistant_id else "",
        "reason": b.reason,
        "submitted_at": b.submitted_at,
        "cancel_until": selectors.cancel_deadline(b),
    }


def _parse_slot(value: str) -> time:
    try:
        return datetime.strptime(value.strip(), "%H:%M").time()
    except ValueError:
        raise DomainError("unknown_slot", _("时段应写作“HH:MM”，例如 08:30。")) from None


# --- public --------------------------------------------------------------------------


@router.get("/centres", auth=None, response=list[CentreOut], url_name="visit_centres", summary="可预约会见的机构")
@permissions.operation(permissions.PUBLIC)
def list_centres(request):
    return [
        {
            "id": c.organisation_id,
            "name": c.organisation.name,
            "kind": c.organisation.kind,
            "address": c.organisation.address,
            "phone": c.organisation.phone,
            "earliest_days": c.earliest_days,
            "latest_days": c.latest_days,
            "saturday_open": c.saturday_open,
            "legal_aid_priority_days": c.legal_aid_priority_days,
            "slots": [{"start": hhmm(s), "end": hhmm(e)} for s, e in c.slots()],
        }
        for c in selectors.centres()
    ]


@router.get(
    "/centres/{int:centre_id}/availability",
    auth=None,
    response=AvailabilityOut,
    url_name="visit_availability",
    summary="某日各时段的空闲会见室（公开，不含个人信息）",
)
@permissions.operation(permissions.PUBLIC)
def availability(request, centre_id: Id, params: Query[AvailabilityParams]):
    config = selectors.config_with_rooms(centre_id)
    if config is None or not config.organisation.is_active:
        raise DomainError("not_found", _("未找到该机构，或该机构未开通网上预约。"), status=404)
    is_open, reason = selectors.day_open(config, params.date)
    slots = selectors.availability(centre_id, params.date, config=config) if is_open else []
    return {
        "centre_id": centre_id,
        "date": params.date,
        "open": is_open,
        "reason": reason,
        "slots": [{**s, "start": hhmm(s["start"]), "end": hhmm(s["end"])} for s in slots],
    }


# --- lawyers -----------------------------------------------------------------------------


@router.post(
    "/bookings",
    response={201: BookingsOut},
    url_name="visit_bookings_create",
    summary="预约会见（每个时段一条预约；Idempotency-Key 防止重复提交）",
)
@permissions.operation(permissions.SIGNED_IN)
def create_bookings(
    request,
    payload: BookingIn,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        max_length=IDEMPOTENCY_KEY_MAX,
        description="同一请求重发时使用同一个键（如 UUID），最长 80 个字符",
    ),
):
    raw = [payload.slot] if isinstance(payload.slot, str) else payload.slot
    # The detainee comes with the lawyer's binding to them; an unknown id
    # gets the same answer as a detainee the lawyer is not bound to. Only
    # lawyers book: the service checks it, from its first read.
    bookings = services.booking_create(
        actor=Actor.of(request),
        detainee=payload.detainee_id,
        date=payload.date,
        slot_start=[_parse_slot(s) for s in raw],
        room_kind=payload.room_kind,
        assistant_id=payload.assistant_id,
        idempotency_key=idempotency_key,
        centre=payload.centre_id,
    )
    return Status(201, {"bookings": [_booking_out(b) for b in bookings]})


class BookingStepOut(StepOut):
    source: BookingStatus
    target: BookingStatus


@router.get(
    "/bookings/{int:booking_id}/history",
    response=list[BookingStepOut],
    url_name="visit_booking_history",
    summary="预约的办理记录（谁、何时、从什么状态到什么状态、原因）",
)
@permissions.operation(permissions.SIGNED_IN)
def booking_history(request, booking_id: Id):
    booking = access.booking_history_or_404(request.auth, booking_id)
    return [step.__dict__ for step in flows.BOOKING.history(booking)]


class AssistantOut(Schema):
    id: int
    name: str


@router.get(
    "/assistants",
    response=list[AssistantOut],
    url_name="visit_assistants",
    summary="可陪同会见的本所律师助理（预约时的 assistant_id）",
)
@permissions.operation("visits.book")
def list_assistants(request):
    return [{"id": u.pk, "name": u.name} for u in selectors.assistants_for(request.auth)]


@router.get("/bookings", response=BookingPage, url_name="visit_bookings", summary="我的会见预约")
@permissions.operation(permissions.SIGNED_IN)
def list_bookings(request, params: Query[BookingListParams]):
    qs = selectors.bookings_for(request.auth, status=params.status)
    return {
        "count": qs.count(),
        "limit": params.limit,
        "offset": params.offset,
        "items": [_booking_out(b) for b in qs[params.offset : params.offset + params.limit]],
    }


@router.post(
    "/bookings/{int:booking_id}/cancel", response=BookingOut, url_name="visit_booking_cancel", summary="取消预约"
)
@permissions.operation(permissions.SIGNED_IN)
def cancel_booking(request, booking_id: Id):
    booking = access.own_booking_or_404(request.auth, booking_id)
    return _booking_out(services.booking_cancel(booking=booking, actor=Actor.of(request)))


# --- officers ------------------------------------------------------------------------------


@router.post(
    "/bookings/{int:booking_id}/approve", response=BookingOut, url_name="visit_booking_approve", summary="审核通过"
)
@permissions.operation(permissions.SIGNED_IN)
def approve_booking(request, booking_id: Id):
    booking = access.booking_for_review_or_404(request.auth, booking_id)
    return _booking_out(services.booking_approve(booking=booking, actor=Actor.of(request)))


@router.post(
    "/bookings/{int:booking_id}/reject", response=BookingOut, url_name="visit_booking_reject", summary="审核不通过"
)
@permissions.operation(permissions.SIGNED_IN)
def reject_booking(request, booking_id: Id, payload: RejectIn):
    booking = access.booking_for_review_or_404(request.auth, booking_id)
    return _booking_out(services.booking_reject(booking=booking, actor=Actor.of(request), reason=payload.reason))
