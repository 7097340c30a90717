"""Meeting records in the JSON API: the lawyer's own, or the records of the
officer's centres (with the lawyer's name, firm and licence number)."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Query, Router, Schema

from lvshi.core.api import Id, IsoDate, Limit, Offset, one_of
from lvshi.orgs import permissions

from ..models import BookingStatus, RoomKind, ViolationStatus
from ..selectors import records

router = Router()


RECORD_STATUS = one_of([value for value, _label in records.status_choices()])


class RecordParams(Schema):
    status: RECORD_STATUS | None = None
    from_: IsoDate | None = Field(None, alias="from", description="会见日期自")
    to: IsoDate | None = Field(None, description="会见日期至")
    q: str | None = Field(None, max_length=50, description="在押人员姓名（民警还可查律师姓名、执业证号）")
    centre: Id | None = Field(None, description="机构编号")
    limit: Limit = 20
    offset: Offset = 0


class RecordViolationOut(Schema):
    id: int
    date: date
    expires_on: date
    status: ViolationStatus
    status_label: str


class LawyerOut(Schema):
    id: int
    name: str
    firm: str
    licence_no: str


class RecordOut(Schema):
    id: int
    status: BookingStatus
    status_label: str
    centre_id: int
    centre: str
    detainee_id: int
    detainee: str
    date: date
    start: str
    end: str
    room_kind: RoomKind
    reason: str
    submitted_at: datetime
    violation: RecordViolationOut | None
    lawyer: LawyerOut | None = Field(None, description="民警查看时给出")


class RecordPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[RecordOut]


def _out(b, *, staff: bool) -> dict:
    v = records.violation_of(b)
    return {
        "id": b.pk,
        "status": b.status,
        "status_label": str(b.get_status_display()),
        "centre_id": b.centre_id,
        "centre": b.centre.name,
        "detainee_id": b.detainee_id,
        "detainee": b.detainee.name,
        "date": b.date,
        "start": b.start.strftime("%H:%M"),
        "end": b.end.strftime("%H:%M"),
        "room_kind": b.room_kind,
        "reason": b.reason,
        "submitted_at": b.submitted_at,
        "violation": {
            "id": v.pk,
            "date": v.date,
            "expires_on": v.expires_on,
            "status": v.status,
            "status_label": str(v.get_status_display()),
        }
        if v
        else None,
        "lawyer": {
            "id": b.lawyer_id,
            "name": b.lawyer.name,
            "firm": b.firm_name or "",
            "licence_no": b.lawyer.licence_no or "",
        }
        if staff
        else None,
    }


@router.get("/records", response=RecordPage, url_name="visit_records", summary="会见记录（律师：本人；民警：本机构）")
@permissions.operation(permissions.SIGNED_IN)
def list_records(request, params: Query[RecordParams]):
    staff = records.viewer(request.auth) == records.STAFF
    filters = records.parse_filters(
        status=params.status, q=params.q, centre=params.centre, start=params.from_, end=params.to
    )
    qs = records.records(request.auth, filters)
    return {
        "count": qs.count(),
        "limit": params.limit,
        "offset": params.offset,
        "items": [_out(b, staff=staff) for b in qs[params.offset : params.offset + params.limit]],
    }
