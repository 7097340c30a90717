"""Work reports (A5): the firm fills and submits a period's form; its
supervising bureau accepts it or returns it with reasons; a bureau sends
its sum of the period (its firms' accepted reports and its sub-bodies' sent
sums) up the tree, again whenever it changes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvshi.audit.services import audit_record
from lvshi.calendar.workdays import local_date
from lvshi.core.actor import Actor
from lvshi.core.errors import Conflict, DomainError
from lvshi.orgs.models import FIRM_KINDS, Organisation, OrgKind
from lvshi.orgs.permissions import require

from .. import sums
from ..flows import REPORT
from ..models import ITEMS, PERIOD_RE, Report, ReportStatus, ReportSum

MAX_VALUE = 10**12


def clean_period(period: Any) -> str:
    text = str(period or "").strip().upper()
    if not PERIOD_RE.match(text):
        raise DomainError("period_invalid", _("报表期间应写成 2026、2026-H1 或 2026-Q3。"), details={"field": "period"})
    if sums.period_end(text).year > local_date(timezone.now()).year + 1:
        raise DomainError("period_invalid", _("报表期间不能晚于明年。"), details={"field": "period"})
    return text


def clean_values(raw: Mapping[str, Any] | None) -> dict[str, int]:
    raw = raw if isinstance(raw, Mapping) else {}
    out: dict[str, int] = {}
    for key, label in ITEMS:
        value = raw.get(key, 0)
        if value in (None, ""):
            value = 0
        try:
            number = int(str(value).strip())
        except ValueError:
            number = -1
        if isinstance(value, float) or not 0 <= number <= MAX_VALUE:
            raise DomainError(
                f"{key}_invalid", _("%(label)s应为不小于0的整数。") % {"label": label}, details={"field": key}
            )
        out[key] = number
    return out


def report_save(*, actor: Actor, organisation: Organisation, period: Any, values: Mapping[str, Any] | None) -> Report:
    """Fill (or correct, while a draft or returned) a firm's report of a period."""
    if organisation.kind not in FIRM_KINDS or organisation.parent is None:
        raise DomainError("not_a_firm", _("工作报表由律师事务所填报。"))
    draft = Report(organisation=organisation, body=organisation.parent, created_by=actor.user)
    require(actor.user, "bureau.own_report", draft)
    period, cleaned = clean_period(period), clean_values(values)
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(organisation=organisation, period=period).first()
        if report is None:
            report = Report(organisation=organisation, body=organisation.parent, created_by=actor.user, period=period)
        elif report.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
            raise Conflict("report_locked", _("该期报表已报送，主管机关退回后才能修改。"))
        report.values = cleaned
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError as exc:
            raise Conflict("report_exists", _("该期报表已存在，请刷新页面后修改。")) from exc
        audit_record(action="bureau.report_save", actor=actor, obj=report, after={"period": period, **cleaned})
    return report


def report_submit(*, report: Report, actor: Actor) -> Report:
    REPORT.apply(report, "submit", actor=actor, values={"submitted_at": timezone.now(), "reason": ""})
    return report


def report_accept(*, report: Report, actor: Actor) -> Report:
    REPORT.apply(report, "accept", actor=actor, values={"decided_at": timezone.now()})
    return report


def report_return(*, report: Report, actor: Actor, reason: str) -> Report:
    REPORT.apply(report, "return", actor=actor, reason=reason, values={"decided_at": timezone.now(), "reason": reason})
    return report


def sum_send(*, body: Organisation, actor: Actor, period: Any) -> ReportSum:
    """Send *body*'s sum of *period* up the tree (again: the latest replaces the last)."""
    require(actor.user, "bureau.send_sum", body)
    if body.kind != OrgKind.JUSTICE_BUREAU:
        raise DomainError("not_a_bureau", _("报表由司法行政机关汇总。"))
    period = clean_period(period)
    total = sums.summary(body, period, today=local_date(timezone.now()))
    with transaction.atomic():
        sent, _made = ReportSum.objects.update_or_create(
            body=body,
            period=period,
            defaults={
                "values": total.values,
                "firms": total.firms_counted,
                "sent_by": actor.user,
                "sent_at": timezone.now(),
            },
        )
        audit_record(
            action="bureau.report_sum_send",
            actor=actor,
            obj=sent,
            organisation=body,
            after={"period": period, "firms": total.firms_counted, **total.values},
        )
    return sent
