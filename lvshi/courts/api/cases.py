"""Courts (public) and the lawyer's cases: list, search, bind by code."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ninja import Field, Query, Router, Schema

from lvshi.core.actor import Actor
from lvshi.orgs import permissions

from .. import selectors
from ..models import CaseStatus, CaseType, PartyRole
from ..services.cases import case_bind

router = Router()


class CasePartyOut(Schema):
    name: str
    role: PartyRole
    role_label: str


class CourtCaseOut(Schema):
    id: int
    number: str = Field(description="案号，如（2026）渝01民初123号")
    court: str
    case_type: CaseType
    cause: str
    claim_amount: Decimal | None
    status: CaseStatus
    status_label: str
    judge: str
    accepted_at: datetime
    parties: list[CasePartyOut]


def case_out(c) -> dict:
    return {
        "id": c.pk,
        "number": c.number,
        "court": c.court.organisation.name,
        "case_type": c.case_type,
        "cause": c.cause,
        "claim_amount": c.claim_amount,
        "status": c.status,
        "status_label": c.get_status_display(),
        "judge": c.judge.name,
        "accepted_at": c.accepted_at,
        "parties": [{"name": p.name, "role": p.role, "role_label": p.get_role_display()} for p in c.parties.all()],
    }


class CaseQuery(Schema):
    q: str = Field("", max_length=50, description="按案号、当事人名称或案由查找")
    status: CaseStatus | None = None


@router.get(
    "/cases",
    response=list[CourtCaseOut],
    url_name="court_cases",
    summary="我的案件（作为代理人自动关联的和凭查询码绑定的）",
)
@permissions.operation("courts.file")
def list_cases(request, query: Query[CaseQuery]):
    return [case_out(c) for c in selectors.lawyer_cases(request.auth, q=query.q, status=query.status or "")[:200]]


class BindIn(Schema):
    code: str = Field(max_length=20, description="受理通知书上的查询码")
    password: str = Field(max_length=20, description="受理通知书上的密码")


@router.post(
    "/cases/bind",
    response=CourtCaseOut,
    url_name="court_case_bind",
    summary="凭受理通知书的查询码和密码绑定案件（连续输错5次锁定30分钟，429 bind_locked）",
)
@permissions.operation("courts.file")
def bind_case(request, body: BindIn):
    case = case_bind(actor=Actor.of(request), code=body.code, password=body.password)
    return case_out(selectors.lawyer_cases(request.auth).get(pk=case.pk))
