"""The waitlist in the JSON API: join a full slot, see your entries, accept
a room held for you, leave."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from lvshi.calendar.workdays import SHANGHAI
from lvshi.core.actor import Actor
from lvshi.core.api import Id, IsoDate, SlotStart, StepOut
from lvshi.core.errors import DomainError
from lvshi.orgs import permissions

from .. import access, flows, selectors
from ..models import Detainee, RoomKind, WaitlistEntry, WaitlistStatus
from ..services import waitlist
from .booking import BookingOut, _booking_out, _parse_slot, hhmm

router = Router()


class WaitlistIn(Schema):
    detainee_id: Id
    date: IsoDate
    slot: SlotStart
    room_kind: RoomKind = RoomKind.IN_PERSON
    centre_id: Id | None = Field(
        None, description="the place of the meeting: a video point serving the detainee's centre"
    )


class AcceptIn(Schema):
    assistant_id: Id | None = Field(None, description="an assistant or lawyer of your firm who comes along")


class WaitlistOut(Schema):
    id: int
    status: WaitlistStatus
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
    position: int | None = Field(description="place in the slot's line while waiting (1 = next)")
    created_at: datetime
    offer_expires_at: datetime | None = Field(description="accept before this moment while offered")
    booking_id: int | None


def _entry_out(e: WaitlistEntry) -> dict:
    return {
        "id": e.pk,
        "status": e.status,
        "status_label": str(WaitlistStatus(e.status).label),
        "detainee_id": e.detainee_id,
        "detainee": e.detainee.name,
        "centre_id": e.centre_id,
        "centre": e.centre.name,
        "date": e.date,
        "start": hhmm(e.start),
        "end": hhmm(e.end),
        "room_kind": e.room_kind,
        "legal_aid": e.legal_aid,
        "position": getattr(e, "position", None) if e.status == WaitlistStatus.WAITING else None,
        "created_at": timezone.localtime(e.created_at, SHANGHAI),
        "offer_expires_at": (
            timezone.localtime(e.offer_expires_at, SHANGHAI) if e.status == WaitlistStatus.OFFERED else None
        ),
        "booking_id": e.booking_id,
    }


def _detainee(detainee_id: Id) -> Detainee:
    detainee = Detainee.objects.select_related("centre").filter(pk=detainee_id).first()
    if detainee is None:
        # The same answer as for a detainee the lawyer is not bound to.
        raise DomainError(
            "not_bound",
            _("您与该在押人员没有有效的委托关系，不能预约会见。请先在“委托关系”中提交委托材料，核验通过后再预约。"),
        )
    return detainee


@router.post("/waitlist", response={201: WaitlistOut}, url_name="visit_waitlist_join", summary="候补已约满的时段")
@permissions.operation("visits.book")
def join_waitlist(request, payload: WaitlistIn):
    entry = waitlist.waitlist_join(
        actor=Actor.of(request),
        detainee=_detainee(payload.detainee_id),
        date=payload.date,
        slot_start=_parse_slot(payload.slot),
        room_kind=payload.room_kind,
        centre=payload.centre_id,
    )
    entry = selectors.waitlist_for(request.auth).get(pk=entry.pk)
    return Status(201, _entry_out(entry))


@router.get("/waitlist", response=list[WaitlistOut], url_name="visit_waitlist", summary="我的候补")
@permissions.operation(permissions.SIGNED_IN)
def list_waitlist(request):
    return [_entry_out(e) for e in selectors.waitlist_for(request.auth)[:100]]


@router.post(
    "/waitlist/{int:entry_id}/accept",
    response={201: BookingOut},
    url_name="visit_waitlist_accept",
    summary="确认预约为您保留的会见室（保留期15分钟）",
)
@permissions.operation(permissions.SIGNED_IN)
def accept_waitlist(request, entry_id: Id, payload: AcceptIn):
    entry = access.own_waitlist_entry_or_404(request.auth, entry_id)
    booking = waitlist.waitlist_accept(actor=Actor.of(request), entry=entry, assistant_id=payload.assistant_id)
    return Status(201, _booking_out(booking))


@router.post(
    "/waitlist/{int:entry_id}/leave", response=WaitlistOut, url_name="visit_waitlist_leave", summary="退出候补"
)
@permissions.operation(permissions.SIGNED_IN)
def leave_waitlist(request, entry_id: Id):
    entry = access.own_waitlist_entry_or_404(request.auth, entry_id)
    return _entry_out(waitlist.waitlist_leave(actor=Actor.of(request), entry=entry))


class WaitlistStepOut(StepOut):
    source: WaitlistStatus
    target: WaitlistStatus


@router.get(
    "/waitlist/{int:entry_id}/history",
    response=list[WaitlistStepOut],
    url_name="visit_waitlist_history",
    summary="候补的办理记录（谁、何时、从什么状态到什么状态、原因）",
)
@permissions.operation("visits.book")
def waitlist_history(request, entry_id: Id):
    entry = access.own_waitlist_entry_or_404(request.auth, entry_id)
    return [step.__dict__ for step in flows.WAITLIST.history(entry)]
