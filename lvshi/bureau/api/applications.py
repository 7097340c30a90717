"""Applications (A3) in the API: the firm creates, submits and withdraws;
the body of the current step receives, returns, forwards, approves or
refuses; anyone within reach reads an application and its trace."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from ninja import Field, Query, Router, Schema, Status

from lvshi.core.actor import Actor
from lvshi.core.api import Id, Limit, Offset, one_of
from lvshi.core.errors import DomainError
from lvshi.orgs import permissions

from .. import access, business, selectors
from ..models import Application, ApplicationReturnCode, ApplicationStatus, Business, StepAction
from ..services import applications as svc

router = Router()
READ = "bureau.view_application"

Opinion = Annotated[str, Field(min_length=1, max_length=300, description="意见")]


class ApplicationFilters(Schema):
    scope: one_of(["todo", "all"], "todo：现由本机关（或本所）办理的；all：管辖范围内全部") = "todo"  # type: ignore[valid-type]
    business: one_of(["", *Business.values], "业务类型；空为全部") = ""  # type: ignore[valid-type]
    q: Annotated[str, Field(max_length=50, description="编号、申请单位或律师姓名的一部分")] = ""
    offset: Offset = 0
    limit: Limit = 50


class ClockOut(Schema):
    limit: int = Field(description="本环节（或接收）的期限，工作日")
    used: int = Field(description="已用工作日")
    due: date | None = Field(description="期限届满日；退回补正期间为 null")
    paused: bool
    overdue: bool


class ApplicationStepOut(Schema):
    action: StepAction
    body: str = Field(description="办理机关")
    actor: str = Field(description="办理人")
    opinion: str
    return_code: ApplicationReturnCode | None
    originals: bool = Field(description="纸质材料已收到")
    days: int | None = Field(description="本环节用时（工作日）")
    at: datetime


class ApplicationOut(Schema):
    id: int
    number: str | None
    business: Business
    status: ApplicationStatus
    organisation_id: int
    organisation: str = Field(description="申请单位")
    lawyer_id: int | None
    lawyer: str | None
    year: int | None
    body: str | None = Field(description="当前办理机关")
    step: int = Field(description="当前环节（从0起）")
    clock: ClockOut | None
    originals_received_at: datetime | None
    return_code: ApplicationReturnCode | None
    data: dict[str, str] = Field(description="申请内容（身份证号码只显示前4位和后4位）")
    created_at: datetime
    submitted_at: datetime | None
    decided_at: datetime | None


class ApplicationDetailOut(ApplicationOut):
    steps: list[ApplicationStepOut]


class ApplicationPageOut(Schema):
    total: int
    items: list[ApplicationOut]


def _out(a: Application, *, steps: bool = False) -> dict[str, Any]:
    clock = getattr(a, "clock", None)
    shown = dict(business.shown(a.business, a.data))
    out: dict[str, Any] = {
        "id": a.pk,
        "number": a.number,
        "business": a.business,
        "status": a.status,
        "organisation_id": a.organisation_id,
        "organisation": a.organisation.name,
        "lawyer_id": a.lawyer_id,
        "lawyer": a.lawyer.name if a.lawyer else None,
        "year": a.year,
        "body": a.body.name if a.body else None,
        "step": a.step,
        "clock": (
            {
                "limit": clock.limit,
                "used": clock.used,
                "due": clock.due,
                "paused": clock.paused,
                "overdue": clock.overdue,
            }
            if clock
            else None
        ),
        "originals_received_at": a.originals_received_at,
        "return_code": a.return_code or None,
        "data": shown,
        "created_at": a.created_at,
        "submitted_at": a.submitted_at,
        "decided_at": a.decided_at,
    }
    if steps:
        out["steps"] = [
            {
                "action": s.action,
                "body": s.body.name,
                "actor": s.actor.name,
                "opinion": s.opinion,
                "return_code": s.return_code or None,
                "originals": s.originals,
                "days": s.days,
                "at": s.at,
            }
            for s in selectors.trace(a)
        ]
    return out


@router.get("/applications", response=ApplicationPageOut, url_name="bureau_applications", summary="业务申请")
@permissions.operation(READ)
def list_applications(request, filters: Query[ApplicationFilters]):
    qs = selectors.applications(request.auth, tab=filters.scope, business=filters.business, q=filters.q)
    rows = selectors.with_clocks(list(qs[filters.offset : filters.offset + filters.limit]))
    return {"total": qs.count(), "items": [_out(a) for a in rows]}


class ApplicationIn(Schema):
    business: Business
    organisation_id: Id | None = Field(
        None, description="申请单位；省略时为您管理的律师事务所（设立申请为您所在的司法局）"
    )
    lawyer_id: Id | None = Field(None, description="律师（执业变更、注销和年度考核必填）")
    year: int | None = Field(None, ge=2000, le=2100, description="考核年度（年度考核、年度检查必填）")
    data: dict[str, Annotated[str, Field(max_length=2000)]] = Field(
        default_factory=dict, description="申请表各项：各业务类型的字段见页面“提出申请”"
    )


def _applicant(user, business_type: str, organisation_id: int | None):
    org = access.applicant(user, business_type, organisation_id)
    if org is None:
        raise DomainError(
            "applicant_unknown",
            "请指定您管理的律师事务所（设立律师事务所由市司法局登记）。",
            status=403,
        )
    return org


@router.post(
    "/applications",
    response={201: ApplicationDetailOut},
    url_name="bureau_application_new",
    summary="新建业务申请（草稿）",
)
@permissions.operation("bureau.apply")
def create_application(request, payload: ApplicationIn):
    org = _applicant(request.auth, payload.business, payload.organisation_id)
    a = svc.application_create(
        actor=Actor.of(request),
        organisation=org,
        business_type=payload.business,
        data=payload.data,
        lawyer_id=payload.lawyer_id,
        year=payload.year,
    )
    return Status(201, _out(access.application_or_404(request.auth, a.pk), steps=True))


@router.get(
    "/applications/{int:application_id}",
    response=ApplicationDetailOut,
    url_name="bureau_application",
    summary="一件申请及其办理过程",
)
@permissions.operation(READ)
def get_application(request, application_id: Id):
    a = access.application_or_404(request.auth, application_id)
    selectors.with_clocks([a])
    return _out(a, steps=True)


def _after(request, a: Application) -> dict[str, Any]:
    fresh = access.application_or_404(request.auth, a.pk)
    selectors.with_clocks([fresh])
    return _out(fresh, steps=True)


class ReceiveIn(Schema):
    originals: bool = Field(False, description="纸质申请材料已收到")
    opinion: Annotated[str, Field(max_length=300)] = ""


class ApplicationReturnIn(Schema):
    code: ApplicationReturnCode
    reason: Opinion


class ApplicationOpinionIn(Schema):
    opinion: Opinion


@router.post(
    "/applications/{int:application_id}/submit",
    response=ApplicationDetailOut,
    url_name="bureau_application_submit",
    summary="提交（或退回后重新提交）",
)
@permissions.operation(READ)
def submit(request, application_id: Id):
    a = access.application_or_404(request.auth, application_id, "bureau.own_application")
    return _after(request, svc.application_submit(application=a, actor=Actor.of(request)))


@router.post(
    "/applications/{int:application_id}/withdraw",
    response=ApplicationDetailOut,
    url_name="bureau_application_withdraw",
    summary="撤回申请",
)
@permissions.operation(READ)
def withdraw(request, application_id: Id):
    a = access.application_or_404(request.auth, application_id, "bureau.own_application")
    return _after(request, svc.application_withdraw(application=a, actor=Actor.of(request)))


HANDLE = "bureau.handle_application"


@router.post(
    "/applications/{int:application_id}/receive",
    response=ApplicationDetailOut,
    url_name="bureau_application_receive",
    summary="接收（本环节办理机关）",
)
@permissions.operation(READ)
def receive(request, application_id: Id, payload: ReceiveIn):
    a = access.application_or_404(request.auth, application_id, HANDLE)
    done = svc.application_receive(
        application=a, actor=Actor.of(request), originals=payload.originals, opinion=payload.opinion
    )
    return _after(request, done)


@router.post(
    "/applications/{int:application_id}/return",
    response=ApplicationDetailOut,
    url_name="bureau_application_return",
    summary="退回申请单位补正",
)
@permissions.operation(READ)
def return_(request, application_id: Id, payload: ApplicationReturnIn):
    a = access.application_or_404(request.auth, application_id, HANDLE)
    done = svc.application_return(application=a, actor=Actor.of(request), code=payload.code, reason=payload.reason)
    return _after(request, done)


@router.post(
    "/applications/{int:application_id}/forward",
    response=ApplicationDetailOut,
    url_name="bureau_application_forward",
    summary="审查同意，报送上级",
)
@permissions.operation(READ)
def forward(request, application_id: Id, payload: ApplicationOpinionIn):
    a = access.application_or_404(request.auth, application_id, HANDLE)
    return _after(request, svc.application_forward(application=a, actor=Actor.of(request), opinion=payload.opinion))


@router.post(
    "/applications/{int:application_id}/approve",
    response=ApplicationDetailOut,
    url_name="bureau_application_approve",
    summary="批准（名册同步变更）",
)
@permissions.operation(READ)
def approve(request, application_id: Id, payload: ApplicationOpinionIn):
    a = access.application_or_404(request.auth, application_id, HANDLE)
    return _after(request, svc.application_approve(application=a, actor=Actor.of(request), opinion=payload.opinion))


@router.post(
    "/applications/{int:application_id}/refuse",
    response=ApplicationDetailOut,
    url_name="bureau_application_refuse",
    summary="不予批准",
)
@permissions.operation(READ)
def refuse(request, application_id: Id, payload: ApplicationOpinionIn):
    a = access.application_or_404(request.auth, application_id, HANDLE)
    return _after(request, svc.application_refuse(application=a, actor=Actor.of(request), reason=payload.opinion))
