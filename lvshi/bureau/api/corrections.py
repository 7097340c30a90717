"""Correction requests (A2) in the API."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated

from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from lvshi.core.actor import Actor
from lvshi.core.api import Id, Limit, Offset, one_of
from lvshi.core.errors import DomainError
from lvshi.orgs import permissions

from .. import access, selectors
from ..models import Correction, CorrectionStatus
from ..services import corrections as svc

router = Router()
READ = "bureau.view_corrections"


class FieldChangeOut(Schema):
    field: str
    label: str
    before: str = Field(description="申请时的记录")
    after: str = Field(description="申请更正为")


class CorrectionOut(Schema):
    id: int
    organisation: str
    lawyer_id: int | None
    penalty_id: int | None
    status: CorrectionStatus
    body: str = Field(description="当前处理机关")
    reason: str
    decision: str
    changes: list[FieldChangeOut]
    files: list[str]
    created_at: datetime


def _out(c: Correction) -> dict:
    return {
        "id": c.pk,
        "organisation": c.organisation.name,
        "lawyer_id": c.lawyer_id,
        "penalty_id": c.penalty_id,
        "status": c.status,
        "body": c.body.name,
        "reason": c.reason,
        "decision": c.decision,
        "changes": [{"field": k, **v} for k, v in c.changes.items()],
        "files": [f.name for f in c.files.all()],
        "created_at": c.created_at,
    }


class CorrectionFilters(Schema):
    scope: one_of(["todo", "all"], "todo：由本机关处理的；all：管辖范围内（律师事务所为本所）全部") = "all"  # type: ignore[valid-type]
    offset: Offset = 0
    limit: Limit = 50


@router.get("/corrections", response=list[CorrectionOut], url_name="bureau_corrections", summary="更正申请")
@permissions.operation(READ)
def list_corrections(request, filters: Query[CorrectionFilters]):
    qs = selectors.corrections(request.auth, tab=filters.scope).prefetch_related("files")
    return [_out(c) for c in qs[filters.offset : filters.offset + filters.limit]]


@router.post(
    "/corrections",
    response={201: CorrectionOut},
    url_name="bureau_correction_new",
    summary="提交更正申请（multipart：changes 为 JSON 对象，files 为证明材料）",
)
@permissions.operation("bureau.request_correction")
def request_correction(
    request,
    changes: Form[Annotated[str, Field(min_length=2, max_length=5000, description='如 {"name": "张明"}')]],
    reason: Form[Annotated[str, Field(min_length=1, max_length=500)]],
    lawyer_id: Form[Id | None] = None,
    penalty_id: Form[Id | None] = None,
    files: File[list[UploadedFile] | None] = None,
):
    if "files" in request.POST:
        raise DomainError("files_not_files", "证明材料 files 须以文件上传（multipart 的文件部分）。")
    try:
        wanted = json.loads(changes)
    except ValueError:
        wanted = None
    if not isinstance(wanted, dict):
        raise DomainError(
            "changes_invalid", 'changes 应为 JSON 对象，如 {"name": "张明"}。', details={"field": "changes"}
        )
    firm = access.own_firm(request.auth)
    if firm is None:
        raise DomainError("not_a_firm", "更正申请由律师事务所管理员提交。", status=403)
    c = svc.correction_request(
        actor=Actor.of(request),
        organisation=firm,
        changes=wanted,
        reason=reason,
        lawyer_id=lawyer_id,
        penalty_id=penalty_id,
        uploads=files or [],
    )
    return Status(201, _out(c))


class CorrectionOpinionIn(Schema):
    opinion: Annotated[str, Field(max_length=300)] = ""


class CorrectionRejectIn(Schema):
    reason: Annotated[str, Field(min_length=1, max_length=300)]


DECIDE = "bureau.decide_correction"


@router.post(
    "/corrections/{int:correction_id}/approve",
    response=CorrectionOut,
    url_name="bureau_correction_approve",
    summary="同意更正（名册同步修改）",
)
@permissions.operation(READ)
def approve(request, correction_id: Id, payload: CorrectionOpinionIn):
    c = access.correction_or_404(request.auth, correction_id, DECIDE)
    return _out(svc.correction_approve(correction=c, actor=Actor.of(request), opinion=payload.opinion))


@router.post(
    "/corrections/{int:correction_id}/forward",
    response=CorrectionOut,
    url_name="bureau_correction_forward",
    summary="报省级处理",
)
@permissions.operation(READ)
def forward(request, correction_id: Id, payload: CorrectionOpinionIn):
    c = access.correction_or_404(request.auth, correction_id, DECIDE)
    return _out(svc.correction_forward(correction=c, actor=Actor.of(request), opinion=payload.opinion))


@router.post(
    "/corrections/{int:correction_id}/reject",
    response=CorrectionOut,
    url_name="bureau_correction_reject",
    summary="不予更正",
)
@permissions.operation(READ)
def reject(request, correction_id: Id, payload: CorrectionRejectIn):
    c = access.correction_or_404(request.auth, correction_id, DECIDE)
    return _out(svc.correction_reject(correction=c, actor=Actor.of(request), reason=payload.reason))
