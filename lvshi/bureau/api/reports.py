"""Work reports (A5) in the API: fill and submit (the firm), accept or
return (the supervising bureau), a body's sum of a period and its parts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from lvshi.calendar.workdays import local_date
from lvshi.core.actor import Actor
from lvshi.core.api import Id, Limit, Offset, one_of
from lvshi.core.errors import DomainError
from lvshi.orgs import permissions

from .. import access, selectors, sums
from ..models import Report, ReportStatus
from ..services import reports as svc

router = Router()
READ = "bureau.view_reports"
Period = Annotated[str, Field(pattern=r"^20\d{2}(-(H[12]|Q[1-4]))?$", description="报表期间：2026、2026-H1 或 2026-Q3")]
Count = Annotated[int, Field(ge=0, le=svc.MAX_VALUE)]


class ReportValues(Schema):
    criminal: Count = 0
    civil: Count = 0
    administrative: Count = 0
    non_litigation: Count = 0
    consulting: Count = 0
    legal_aid: Count = 0
    revenue: Count = Field(0, description="业务收入（元）")
    lawyers: Count = 0
    interns: Count = 0
    staff: Count = 0


class ReportOut(Schema):
    id: int
    organisation_id: int
    organisation: str
    body: str = Field(description="主管机关")
    period: str
    status: ReportStatus
    values: ReportValues
    reason: str
    submitted_at: datetime | None
    due: date = Field(description="报送期限")


def _out(r: Report) -> dict:
    return {
        "id": r.pk,
        "organisation_id": r.organisation_id,
        "organisation": r.organisation.name,
        "body": r.body.name,
        "period": r.period,
        "status": r.status,
        "values": r.values,
        "reason": r.reason,
        "submitted_at": r.submitted_at,
        "due": sums.period_due(r.period),
    }


class ReportFilters(Schema):
    status: one_of(["", *ReportStatus.values], "状态；空为全部") = ""  # type: ignore[valid-type]
    period: Annotated[str, Field(max_length=7, description="报表期间；空为全部")] = ""
    offset: Offset = 0
    limit: Limit = 50


class ReportPageOut(Schema):
    total: int
    items: list[ReportOut]


@router.get("/reports", response=ReportPageOut, url_name="bureau_reports", summary="工作报表（本所或管辖范围内）")
@permissions.operation(READ)
def list_reports(request, filters: Query[ReportFilters]):
    qs = selectors.reports(request.auth, status=filters.status, period=filters.period)
    return {"total": qs.count(), "items": [_out(r) for r in qs[filters.offset : filters.offset + filters.limit]]}


class ReportIn(Schema):
    period: Period
    values: ReportValues


@router.post(
    "/reports", response={201: ReportOut}, url_name="bureau_report_save", summary="填报（或修改草稿、被退回的）本所报表"
)
@permissions.operation("bureau.own_report")
def save_report(request, payload: ReportIn):
    firm = access.own_firm(request.auth)
    if firm is None:
        raise DomainError("not_a_firm", "工作报表由律师事务所管理员填报。", status=403)
    r = svc.report_save(actor=Actor.of(request), organisation=firm, period=payload.period, values=payload.values.dict())
    return Status(201, _out(access.report_or_404(request.auth, r.pk)))


@router.post("/reports/{int:report_id}/submit", response=ReportOut, url_name="bureau_report_submit", summary="报送")
@permissions.operation(READ)
def submit(request, report_id: Id):
    r = access.report_or_404(request.auth, report_id, "bureau.own_report")
    svc.report_submit(report=r, actor=Actor.of(request))
    return _out(access.report_or_404(request.auth, report_id))


@router.post(
    "/reports/{int:report_id}/accept",
    response=ReportOut,
    url_name="bureau_report_accept",
    summary="审核通过（主管机关）",
)
@permissions.operation(READ)
def accept(request, report_id: Id):
    r = access.report_or_404(request.auth, report_id, "bureau.check_report")
    svc.report_accept(report=r, actor=Actor.of(request))
    return _out(access.report_or_404(request.auth, report_id))


class ReturnReportIn(Schema):
    reason: Annotated[str, Field(min_length=1, max_length=300)]


@router.post(
    "/reports/{int:report_id}/return", response=ReportOut, url_name="bureau_report_return", summary="退回（主管机关）"
)
@permissions.operation(READ)
def return_(request, report_id: Id, payload: ReturnReportIn):
    r = access.report_or_404(request.auth, report_id, "bureau.check_report")
    svc.report_return(report=r, actor=Actor.of(request), reason=payload.reason)
    return _out(access.report_or_404(request.auth, report_id))


class SumFilters(Schema):
    period: Period
    body_id: Id | None = Field(None, description="机关；省略时为您所在的机关。可下钻到管辖范围内的下级机关")


class PartOut(Schema):
    organisation_id: int
    name: str
    status: str = Field(description="律师事务所：报表状态，missing 为未报送；下级机关：sent 或 missing")
    late: bool
    firms: int = Field(description="计入合计的律师事务所数")


class SumOut(Schema):
    body_id: int
    body: str
    period: str
    due: date
    values: ReportValues
    firms: int = Field(description="计入合计的律师事务所数（含各级下级机关）")
    sent_at: datetime | None = Field(description="本机关报送上级的时间")
    bodies: list[PartOut]
    direct_firms: list[PartOut]


@router.get("/report-sums", response=SumOut, url_name="bureau_report_sums", summary="本机关（或下级机关）的报表汇总")
@permissions.operation("bureau.send_sum")
def report_sums(request, filters: Query[SumFilters]):
    return _sum_out(access.body_or_404(request.auth, filters.body_id), filters.period)


def _sum_out(body, period: str) -> dict:
    s = sums.summary(body, period, today=local_date(timezone.now()))
    return {
        "body_id": body.pk,
        "body": body.name,
        "period": period,
        "due": sums.period_due(period),
        "values": s.values,
        "firms": s.firms_counted,
        "sent_at": s.sent.sent_at if s.sent else None,
        "bodies": [
            {
                "organisation_id": b.organisation.pk,
                "name": b.organisation.name,
                "status": "sent" if b.sent else "missing",
                "late": False,
                "firms": b.sent.firms if b.sent else 0,
            }
            for b in s.bodies
        ],
        "direct_firms": [
            {
                "organisation_id": f.organisation.pk,
                "name": f.organisation.name,
                "status": "missing" if f.missing or f.report is None else f.report.status,
                "late": f.late,
                "firms": 1 if f.report is not None and f.report.status == ReportStatus.ACCEPTED else 0,
            }
            for f in s.firms
        ],
    }


class SendIn(Schema):
    period: Period
    body_id: Id | None = None


@router.post("/report-sums", response=SumOut, url_name="bureau_report_sum_send", summary="报送本机关的汇总到上级")
@permissions.operation("bureau.send_sum")
def send(request, payload: SendIn):
    body = access.body_or_404(request.auth, payload.body_id)
    svc.sum_send(body=body, actor=Actor.of(request), period=payload.period)
    return _sum_out(body, payload.period)
