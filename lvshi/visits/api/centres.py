"""A centre's booking settings, rooms and extra sessions, and the officers'
day board, in the JSON API.

Settings, rooms and extra sessions: officers and organisation administrators
of the centre and authority officers above it; the board: officers of the
centre. Anything of another centre answers 404.
"""

from __future__ import annotations

import datetime as dt
from datetime import time
from typing import Annotated, Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from lvshi.calendar.workdays import local_date
from lvshi.core.actor import Actor
from lvshi.core.api import Id, IsoDate, LocalTime
from lvshi.core.errors import PermissionDenied
from lvshi.orgs import permissions, scope
from lvshi.orgs.models import Role

from .. import access
from ..models import BookingStatus, CentreConfig, ExtraSession, Room, RoomKind, SlotPattern
from ..selectors import board
from ..services import centres

router = Router()


class SettingsOut(Schema):
    centre_id: int
    centre: str
    open: bool = Field(description="whether the centre takes bookings online")
    earliest_days: int | None = None
    latest_days: int | None = None
    saturday_open: bool | None = None
    auto_approve: bool | None = None
    pattern: SlotPattern | None = None
    sessions: list[list[str]] | None = None
    slot_minutes: int | None = None
    opens_at: str | None = None
    closes_at: str | None = None
    legal_aid_priority_days: int | None = None
    slots: list[list[str]] = Field(default_factory=list, description="the day's slots as [start, end]")


class SettingsIn(Schema):
    earliest_days: int | None = Field(None, ge=0, le=centres.MAX_LATEST_DAYS)
    latest_days: int | None = Field(None, ge=0, le=centres.MAX_LATEST_DAYS)
    saturday_open: bool | None = None
    auto_approve: bool | None = None
    pattern: SlotPattern | None = None
    sessions: list[list[Annotated[str, Field(max_length=5)]]] | None = Field(
        None, max_length=6, description='[["08:30", "11:00"], …]'
    )
    slot_minutes: Literal[30, 60, 90] | None = None
    opens_at: LocalTime | None = None
    closes_at: LocalTime | None = None
    legal_aid_priority_days: int | None = Field(None, ge=0, le=centres.MAX_PRIORITY_DAYS)


class RoomOut(Schema):
    id: int
    name: str
    kind: RoomKind
    active: bool
    legal_aid_only: bool


class RoomIn(Schema):
    name: str = Field(max_length=50)
    kind: RoomKind = RoomKind.IN_PERSON
    legal_aid_only: bool = False


class RoomPatch(Schema):
    name: str | None = Field(None, max_length=50)
    active: bool | None = None
    legal_aid_only: bool | None = None


class ExtraSessionOut(Schema):
    id: int
    date: dt.date
    start: str
    end: str
    note: str


class ExtraSessionIn(Schema):
    date: IsoDate
    start: LocalTime
    end: LocalTime
    note: str = Field("", max_length=100)


class BoardRowOut(Schema):
    id: int
    centre_id: int
    date: dt.date
    start: str
    end: str
    status: BookingStatus
    room_kind: RoomKind
    legal_aid: bool
    lawyer: str
    firm: str
    licence_no: str
    detainee: str
    centre_number: str
    assistant: str = Field(description="the assistant named in the booking, if any")
    checked_in_at: str | None
    check_in_assistant: str
    state: str = Field(description="open / late / early / past, or the booking's status")


class BoardParams(Schema):
    date: IsoDate | None = None


def hhmm(value: time) -> str:
    return value.strftime("%H:%M")


def _settings_out(centre) -> dict:
    config = CentreConfig.objects.filter(organisation=centre).first()
    data = {"centre_id": centre.pk, "centre": centre.name, "open": config is not None}
    if config is not None:
        data.update({name: getattr(config, name) for name in centres.CONFIG_FIELDS})
        data["opens_at"], data["closes_at"] = hhmm(config.opens_at), hhmm(config.closes_at)
        data["slots"] = [[hhmm(s), hhmm(e)] for s, e in config.slots()]
    return data


def _room_out(room: Room) -> dict:
    return {
        "id": room.pk,
        "name": room.name,
        "kind": room.kind,
        "active": room.active,
        "legal_aid_only": room.legal_aid_only,
    }


def _extra_out(s: ExtraSession) -> dict:
    return {"id": s.pk, "date": s.date, "start": hhmm(s.start), "end": hhmm(s.end), "note": s.note}


@router.get(
    "/centres/{int:centre_id}/settings",
    response=SettingsOut,
    url_name="visit_centre_settings",
    summary="机构的会见设置（民警、机构管理员、监所管理民警）",
)
@permissions.operation(permissions.SIGNED_IN)
def get_settings(request, centre_id: Id):
    return _settings_out(access.centre_or_404(request.auth, centre_id))


@router.put(
    "/centres/{int:centre_id}/settings",
    response=SettingsOut,
    url_name="visit_centre_settings_put",
    summary="修改会见设置；未开通的机构由此开通网上预约",
)
@permissions.operation(permissions.SIGNED_IN)
def put_settings(request, centre_id: Id, payload: SettingsIn):
    centre = access.centre_or_404(request.auth, centre_id)
    values = {k: v for k, v in payload.dict().items() if v is not None}
    if "pattern" in values:
        values["pattern"] = str(values["pattern"].value if hasattr(values["pattern"], "value") else values["pattern"])
    centres.config_save(centre=centre, actor=Actor.of(request), values=values)
    return _settings_out(centre)


@router.get("/centres/{int:centre_id}/rooms", response=list[RoomOut], url_name="visit_rooms", summary="会见室")
@permissions.operation(permissions.SIGNED_IN)
def list_rooms(request, centre_id: Id):
    return [_room_out(r) for r in centres.rooms_of(access.centre_or_404(request.auth, centre_id))]


@router.post(
    "/centres/{int:centre_id}/rooms", response={201: RoomOut}, url_name="visit_rooms_create", summary="添加会见室"
)
@permissions.operation(permissions.SIGNED_IN)
def create_room(request, centre_id: Id, payload: RoomIn):
    centre = access.centre_or_404(request.auth, centre_id)
    room = centres.room_create(
        centre=centre,
        actor=Actor.of(request),
        name=payload.name,
        kind=str(payload.kind.value),
        legal_aid_only=payload.legal_aid_only,
    )
    return Status(201, _room_out(room))


@router.patch(
    "/rooms/{int:room_id}",
    response=RoomOut,
    url_name="visit_room_update",
    summary="改名、启用、停用会见室，或设为法律援助专用（已有预约的时段会检查容量）",
)
@permissions.operation(permissions.SIGNED_IN)
def update_room(request, room_id: Id, payload: RoomPatch):
    room = access.room_or_404(request.auth, room_id)
    room = centres.room_update(room=room, actor=Actor.of(request), **payload.dict())
    return _room_out(room)


@router.get(
    "/centres/{int:centre_id}/extra-sessions",
    response=list[ExtraSessionOut],
    url_name="visit_extra_sessions",
    summary="今天及以后的加开场次",
)
@permissions.operation(permissions.SIGNED_IN)
def list_extra_sessions(request, centre_id: Id):
    return [_extra_out(s) for s in centres.upcoming_extra_sessions(access.centre_or_404(request.auth, centre_id))]


@router.post(
    "/centres/{int:centre_id}/extra-sessions",
    response={201: ExtraSessionOut},
    url_name="visit_extra_sessions_create",
    summary="加开场次（日期须在今天之后）",
)
@permissions.operation(permissions.SIGNED_IN)
def create_extra_session(request, centre_id: Id, payload: ExtraSessionIn):
    centre = access.centre_or_404(request.auth, centre_id)
    session = centres.extra_session_create(
        centre=centre,
        actor=Actor.of(request),
        date=payload.date,
        start=payload.start,
        end=payload.end,
        note=payload.note,
    )
    return Status(201, _extra_out(session))


@router.delete(
    "/extra-sessions/{int:session_id}",
    response={204: None},
    url_name="visit_extra_session_delete",
    summary="删除加开场次（没有预约的、以后的场次）",
)
@permissions.operation(permissions.SIGNED_IN)
def delete_extra_session(request, session_id: Id):
    session = access.extra_session_or_404(request.auth, session_id)
    centres.extra_session_delete(session=session, actor=Actor.of(request))
    return Status(204, None)


@router.get(
    "/board",
    response=list[BoardRowOut],
    url_name="visit_board",
    summary="某日已通过、已会见和未到的预约（民警，默认今天）",
)
@permissions.operation(permissions.SIGNED_IN)
def get_board(request, params: Query[BoardParams]):
    if not scope.has_role(request.auth, Role.OFFICER):
        raise PermissionDenied(message=_("只有看守所民警可以查看会见安排。"))
    now = timezone.now()
    day = params.date or local_date(now)
    rows = []
    for b in board.board_bookings(request.auth, day):
        check_in = getattr(b, "check_in", None)
        rows.append(
            {
                "id": b.pk,
                "centre_id": b.centre_id,
                "date": b.date,
                "start": hhmm(b.start),
                "end": hhmm(b.end),
                "status": b.status,
                "room_kind": b.room_kind,
                "legal_aid": b.legal_aid,
                "lawyer": b.lawyer.name,
                "firm": b.firm_name,
                "licence_no": b.lawyer.licence_no or "",
                "detainee": b.detainee.name,
                "centre_number": b.detainee.centre_number,
                "assistant": b.assistant.name if b.assistant_id else "",
                "checked_in_at": check_in.at.isoformat() if check_in else None,
                "check_in_assistant": check_in.assistant_name if check_in else "",
                "state": board.board_row_state(b, now=now),
            }
        )
    return rows
