"""Complaints and penalties (A4) in the API."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from lvshi.core.actor import Actor
from lvshi.core.api import Id, IsoDate, Limit, Offset, one_of
from lvshi.core.errors import DomainError
from lvshi.orgs import permissions

from .. import access, selectors
from ..models import Complaint, LawyerComplaintStatus, Penalty, PenaltyKind
from ..services import discipline as svc

router = Router()
READ = "bureau.view_complaints"


class PenaltyOut(Schema):
    id: int
    body: str = Field(description="决定机关")
    kind: PenaltyKind
    decision_no: str
    lawyer_id: int | None
    firm: str
    reason: str
    decided_on: date
    starts_on: date | None
    ends_on: date | None
    amount: Decimal | None
    public_until: date | None = Field(description="公示截止；null 为不公示")


class LawyerComplaintStepOut(Schema):
    at: datetime
    actor: str
    text: str


class LawyerComplaintOut(Schema):
    id: int
    body: str = Field(description="受理机关")
    status: LawyerComplaintStatus
    complainant: str
    lawyer_id: int | None
    lawyer: str | None
    firm: str
    facts: str
    first_opinion: str
    received_on: date
    evidence: list[str] = Field(description="证据材料文件名（页面中下载）")
    steps: list[LawyerComplaintStepOut]
    penalties: list[PenaltyOut]


# What a complaint's answer reads besides the complaint: one query each, whatever the rows.
PARTS = ("evidence", "steps__actor", "penalties__body", "penalties__firm")


def _penalty(p: Penalty) -> dict:
    return {
        "id": p.pk,
        "body": p.body.name,
        "kind": p.kind,
        "decision_no": p.decision_no,
        "lawyer_id": p.lawyer_id,
        "firm": p.firm.name,
        "reason": p.reason,
        "decided_on": p.decided_on,
        "starts_on": p.starts_on,
        "ends_on": p.ends_on,
        "amount": p.amount,
        "public_until": p.public_until,
    }


def _out(c: Complaint) -> dict:
    return {
        "id": c.pk,
        "body": c.body.name,
        "status": c.status,
        "complainant": c.complainant,
        "lawyer_id": c.lawyer_id,
        "lawyer": c.lawyer.name if c.lawyer else None,
        "firm": c.firm.name,
        "facts": c.facts,
        "first_opinion": c.first_opinion,
        "received_on": c.received_on,
        "evidence": [e.name for e in c.evidence.all()],
        "steps": [{"at": s.at, "actor": s.actor.name, "text": s.text} for s in c.steps.all()],
        "penalties": [_penalty(p) for p in c.penalties.all()],
    }


class LawyerComplaintFilters(Schema):
    status: one_of(["", *LawyerComplaintStatus.values], "状态；空为全部") = ""  # type: ignore[valid-type]
    q: Annotated[str, Field(max_length=50)] = ""
    offset: Offset = 0
    limit: Limit = 50


class LawyerComplaintPageOut(Schema):
    total: int
    items: list[LawyerComplaintOut]


@router.get("/complaints", response=LawyerComplaintPageOut, url_name="bureau_complaints", summary="投诉（管辖范围内）")
@permissions.operation(READ)
def list_complaints(request, filters: Query[LawyerComplaintFilters]):
    qs = selectors.complaints(request.auth, status=filters.status, q=filters.q).prefetch_related(*PARTS)
    return {"total": qs.count(), "items": [_out(c) for c in qs[filters.offset : filters.offset + filters.limit]]}


Short = Annotated[str, Field(min_length=1, max_length=50)]
Text = Annotated[str, Field(min_length=1, max_length=5000)]


@router.post(
    "/complaints",
    response={201: LawyerComplaintOut},
    url_name="bureau_complaint_new",
    summary="登记投诉（multipart，可附证据材料）",
)
@permissions.operation("bureau.handle_complaint")
def register(
    request,
    complainant: Form[Short],
    facts: Form[Text],
    first_opinion: Form[Annotated[str, Field(min_length=1, max_length=500)]],
    received_on: Form[IsoDate],
    lawyer_id: Form[Id | None] = None,
    firm_id: Form[Id | None] = None,
    complainant_phone: Form[Annotated[str, Field(max_length=20)] | None] = None,
    files: File[list[UploadedFile] | None] = None,
):
    if "files" in request.POST:
        raise DomainError("files_not_files", "证据材料 files 须以文件上传（multipart 的文件部分）。")
    body = access.acting_body_or_404(request.auth)
    data = {
        "complainant": complainant,
        "facts": facts,
        "first_opinion": first_opinion,
        "received_on": received_on,
        "lawyer": lawyer_id,
        "firm": firm_id,
        "complainant_phone": complainant_phone,
    }
    c = svc.complaint_register(actor=Actor.of(request), body=body, data=data, uploads=files or [])
    return Status(201, _out(access.complaint_or_404(request.auth, c.pk)))


@router.get(
    "/complaints/{int:complaint_id}", response=LawyerComplaintOut, url_name="bureau_complaint", summary="一件投诉"
)
@permissions.operation(READ)
def get_complaint(request, complaint_id: Id):
    return _out(access.complaint_or_404(request.auth, complaint_id))


class StepIn(Schema):
    text: Annotated[str, Field(min_length=1, max_length=1000)]


@router.post(
    "/complaints/{int:complaint_id}/steps",
    response=LawyerComplaintOut,
    url_name="bureau_complaint_step",
    summary="登记处理情况（受理机关）",
)
@permissions.operation(READ)
def add_step(request, complaint_id: Id, payload: StepIn):
    c = access.complaint_or_404(request.auth, complaint_id, "bureau.handle_complaint")
    svc.complaint_step(complaint=c, actor=Actor.of(request), text=payload.text)
    return _out(access.complaint_or_404(request.auth, complaint_id))


Amount = Annotated[str, Field(pattern=r"^\d{1,10}(\.\d{1,2})?$", description="金额（元），罚款、没收违法所得必填")]


class PenaltyIn(Schema):
    kind: PenaltyKind
    decision_no: Annotated[str, Field(min_length=1, max_length=50)]
    reason: Annotated[str, Field(min_length=1, max_length=500)]
    decided_on: IsoDate
    starts_on: IsoDate | None = None
    ends_on: IsoDate | None = None
    amount: Amount | None = None
    public_until: IsoDate | None = None


class ComplaintDecideIn(Schema):
    penalty: PenaltyIn | None = Field(None, description="同时登记的处罚或处分；省略为不予处罚")


@router.post(
    "/complaints/{int:complaint_id}/decide",
    response=LawyerComplaintOut,
    url_name="bureau_complaint_decide",
    summary="作出处理决定（受理机关）",
)
@permissions.operation(READ)
def decide(request, complaint_id: Id, payload: ComplaintDecideIn):
    c = access.complaint_or_404(request.auth, complaint_id, "bureau.handle_complaint")
    svc.complaint_decide(
        complaint=c, actor=Actor.of(request), penalty=payload.penalty.dict() if payload.penalty else None
    )
    return _out(access.complaint_or_404(request.auth, complaint_id))


class DismissIn(Schema):
    reason: Annotated[str, Field(min_length=1, max_length=300)]


@router.post(
    "/complaints/{int:complaint_id}/dismiss",
    response=LawyerComplaintOut,
    url_name="bureau_complaint_dismiss",
    summary="不予处理（受理机关）",
)
@permissions.operation(READ)
def dismiss(request, complaint_id: Id, payload: DismissIn):
    c = access.complaint_or_404(request.auth, complaint_id, "bureau.handle_complaint")
    svc.complaint_dismiss(complaint=c, actor=Actor.of(request), reason=payload.reason)
    return _out(access.complaint_or_404(request.auth, complaint_id))


@router.get("/penalties", response=list[PenaltyOut], url_name="bureau_penalties", summary="处罚处分（管辖范围内）")
@permissions.operation(READ)
def list_penalties(request, q: Annotated[str, Field(max_length=50)] = "", offset: Offset = 0, limit: Limit = 50):
    return [_penalty(p) for p in selectors.penalties(request.auth, q=q)[offset : offset + limit]]
