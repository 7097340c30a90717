"""Detainees, cases, and a detainee's release or transfer in the JSON API:
officers of the centre only; another centre's records answer 404."""

from __future__ import annotations

from datetime import date, datetime

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from lvshi.core.actor import Actor
from lvshi.core.api import Id, IsoDate, Limit, Offset
from lvshi.core.errors import DomainError
from lvshi.orgs import permissions
from lvshi.orgs.models import Organisation

from .. import access
from ..models import Case, Detainee, DetaineeStatus, Gender
from ..services import detainees as service

router = Router()


class DetaineeOut(Schema):
    id: int
    centre_id: int
    centre: str
    name: str
    gender: Gender
    birth_date: date
    centre_number: str
    status: DetaineeStatus
    status_label: str
    status_changed_at: datetime | None
    transferred_to: str


class DetaineePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[DetaineeOut]


class DetaineeListParams(Schema):
    q: str = Field("", description="姓名或监号")
    status: str = Field("", description="held / released / transferred")
    limit: Limit = 20
    offset: Offset = 0


class DetaineeIn(Schema):
    centre_id: Id | None = Field(None, description="看守所；民警只在一个看守所时可省略")
    name: str = Field(max_length=50)
    gender: Gender
    birth_date: IsoDate
    centre_number: str = Field(max_length=30)


class DetaineePatch(Schema):
    name: str | None = Field(None, max_length=50)
    gender: Gender | None = None
    birth_date: IsoDate | None = None
    centre_number: str | None = Field(None, max_length=30)


class LeaveIn(Schema):
    status: str = Field(description="released / transferred")
    transferred_to: str = Field("", max_length=100)
    note: str = Field("", max_length=300)


class DefendantOut(Schema):
    id: int
    name: str
    centre_number: str


class CaseOut(Schema):
    id: int
    centre_id: int
    number: str
    title: str
    defendants: list[DefendantOut]


class CaseIn(Schema):
    centre_id: Id | None = None
    number: str = Field(max_length=60)
    title: str = Field("", max_length=100)
    detainee_ids: list[Id] = Field(default_factory=list, max_length=50, description="同案被告人（本看守所的在押人员）")


class CaseListParams(Schema):
    q: str = ""
    limit: Limit = 20
    offset: Offset = 0


def _centre(user, centre_id: int | None) -> Organisation:
    if centre_id is None:
        centres = list(service.officer_centres(user)[:2])
        if len(centres) != 1:
            raise DomainError("centre_required", _("请用 centre_id 指明看守所。"))
        return centres[0]
    return access.detainee_centre_or_404(user, centre_id)


def _detainee_out(d: Detainee) -> dict:
    return {
        "id": d.pk,
        "centre_id": d.centre_id,
        "centre": d.centre.name,
        "name": d.name,
        "gender": d.gender,
        "birth_date": d.birth_date,
        "centre_number": d.centre_number,
        "status": d.status,
        "status_label": str(DetaineeStatus(d.status).label),
        "status_changed_at": d.status_changed_at,
        "transferred_to": d.transferred_to,
    }


def _case_out(c: Case) -> dict:
    return {
        "id": c.pk,
        "centre_id": c.centre_id,
        "number": c.number,
        "title": c.title,
        "defendants": [{"id": d.pk, "name": d.name, "centre_number": d.centre_number} for d in c.defendants.all()],
    }


@router.get("/detainees", response=DetaineePage, url_name="visit_detainees", summary="在押人员（本看守所民警）")
@permissions.operation("visits.manage_detainees")
def list_detainees(request, params: Query[DetaineeListParams]):
    qs = service.detainees_for(request.auth, q=params.q, status=params.status)
    return {
        "count": qs.count(),
        "limit": params.limit,
        "offset": params.offset,
        "items": [_detainee_out(d) for d in qs[params.offset : params.offset + params.limit]],
    }


@router.post("/detainees", response={201: DetaineeOut}, url_name="visit_detainees_create", summary="登记在押人员")
@permissions.operation("visits.manage_detainees")
def create_detainee(request, payload: DetaineeIn):
    centre = _centre(request.auth, payload.centre_id)
    values = payload.dict(exclude={"centre_id"})
    values["gender"] = str(values["gender"].value if hasattr(values["gender"], "value") else values["gender"])
    detainee = service.detainee_create(centre=centre, actor=Actor.of(request), values=values)
    return Status(201, _detainee_out(detainee))


@router.get("/detainees/{int:detainee_id}", response=DetaineeOut, url_name="visit_detainee", summary="在押人员")
@permissions.operation(permissions.SIGNED_IN)
def get_detainee(request, detainee_id: Id):
    return _detainee_out(access.detainee_or_404(request.auth, detainee_id))


@router.patch(
    "/detainees/{int:detainee_id}", response=DetaineeOut, url_name="visit_detainee_update", summary="修改在押人员信息"
)
@permissions.operation(permissions.SIGNED_IN)
def update_detainee(request, detainee_id: Id, payload: DetaineePatch):
    detainee = access.detainee_or_404(request.auth, detainee_id)
    values = {k: v for k, v in payload.dict().items() if v is not None}
    if "gender" in values:
        values["gender"] = str(getattr(values["gender"], "value", values["gender"]))
    return _detainee_out(service.detainee_update(detainee=detainee, actor=Actor.of(request), values=values))


@router.post(
    "/detainees/{int:detainee_id}/leave",
    response=DetaineeOut,
    url_name="visit_detainee_leave",
    summary="办理释放或转所：解除委托、取消未进行的预约并通知律师",
)
@permissions.operation(permissions.SIGNED_IN)
def leave_detainee(request, detainee_id: Id, payload: LeaveIn):
    detainee = access.detainee_or_404(request.auth, detainee_id)
    detainee = service.detainee_leave(
        detainee=detainee,
        actor=Actor.of(request),
        status=payload.status,
        transferred_to=payload.transferred_to,
        note=payload.note,
    )
    return _detainee_out(detainee)


@router.get("/cases", response=list[CaseOut], url_name="visit_cases", summary="案件与同案被告人")
@permissions.operation("visits.manage_detainees")
def list_cases(request, params: Query[CaseListParams]):
    qs = service.cases_for(request.auth, q=params.q)
    return [_case_out(c) for c in qs[params.offset : params.offset + params.limit]]


@router.post("/cases", response={201: CaseOut}, url_name="visit_cases_create", summary="登记案件")
@permissions.operation("visits.manage_detainees")
def create_case(request, payload: CaseIn):
    centre = _centre(request.auth, payload.centre_id)
    defendants = list(Detainee.objects.filter(pk__in=payload.detainee_ids, centre=centre))
    if len(defendants) != len(set(payload.detainee_ids)):
        raise DomainError("detainee_not_found", _("只能关联本看守所的在押人员，请核对后重试。"))
    case = service.case_create(
        centre=centre, actor=Actor.of(request), number=payload.number, title=payload.title, detainees=defendants
    )
    return Status(201, _case_out(case))
