"""Summing work reports up the tree (A5), as reads.

A bureau's sum of a period is its own firms' accepted reports plus the sums
its sub-bodies *sent* it (``ReportSum``): each level answers for its own
part, as the paper process did. :func:`subtree_total` adds every accepted
report below a body directly, to check the sent sums against (the two agree
once every level has sent its sum after accepting its firms' reports)."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q

from lvshi.orgs.models import FIRM_KINDS, Organisation, OrgKind

from .models import PERIOD_RE, Report, ReportStatus, ReportSum
from .models.reports import ITEM_KEYS

DUE_DAYS = 15  # a period's reports are due this many days after it ends


def period_end(period: str) -> date:
    match = PERIOD_RE.match(period)
    if match is None:
        raise ValueError(period)
    year, part = int(match.group(1)), match.group(2)
    if part is None:
        return date(year, 12, 31)
    month = 6 * int(part[1]) if part[0] == "H" else 3 * int(part[1])
    return date(year, month, calendar.monthrange(year, month)[1])


def period_due(period: str) -> date:
    return period_end(period) + timedelta(days=DUE_DAYS)


def zero() -> dict[str, int]:
    return dict.fromkeys(ITEM_KEYS, 0)


def add(total: dict[str, int], values: Mapping[str, object]) -> dict[str, int]:
    for key in ITEM_KEYS:
        value = values.get(key, 0)
        total[key] += value if isinstance(value, int) else 0
    return total


def total_of(rows: Iterable[Mapping[str, object]]) -> dict[str, int]:
    total = zero()
    for values in rows:
        add(total, values)
    return total


@dataclass
class FirmLine:
    organisation: Organisation
    report: Report | None
    late: bool

    @property
    def missing(self) -> bool:
        return self.report is None or self.report.status == ReportStatus.DRAFT


@dataclass
class BodyLine:
    organisation: Organisation
    sent: ReportSum | None


@dataclass
class Summary:
    body: Organisation
    period: str
    values: dict[str, int] = field(default_factory=zero)
    firms_counted: int = 0
    firms: list[FirmLine] = field(default_factory=list)
    bodies: list[BodyLine] = field(default_factory=list)
    sent: ReportSum | None = None

    @property
    def missing_firms(self) -> int:
        return sum(1 for f in self.firms if f.missing)

    @property
    def late_firms(self) -> int:
        return sum(1 for f in self.firms if f.late)

    @property
    def missing_bodies(self) -> int:
        return sum(1 for b in self.bodies if b.sent is None)


def summary(body: Organisation, period: str, *, today: date) -> Summary:
    """*body*'s sum of *period* and its parts: its firms (with their report,
    late or missing) and its sub-bodies (with the sum they sent). A few
    queries whatever the number of firms."""
    out = Summary(body=body, period=period)
    children = list(Organisation.objects.filter(parent=body, is_active=True).order_by("name"))
    firm_orgs = [o for o in children if o.kind in FIRM_KINDS]
    sub_bodies = [o for o in children if o.kind == OrgKind.JUSTICE_BUREAU]
    reports = {
        r.organisation_id: r
        for r in Report.objects.filter(organisation__in=firm_orgs, period=period).only(
            "organisation_id", "status", "values", "submitted_at", "period", "reason"
        )
    }
    due = period_due(period)
    for org in firm_orgs:
        report = reports.get(org.pk)
        submitted = report.submitted_at.date() if report and report.submitted_at else None
        late = (submitted is None and today > due) or (submitted is not None and submitted > due)
        out.firms.append(FirmLine(org, report, late))
        if report is not None and report.status == ReportStatus.ACCEPTED:
            add(out.values, report.values)
            out.firms_counted += 1
    sums = {s.body_id: s for s in ReportSum.objects.filter(body__in=[*sub_bodies, body], period=period)}
    for org in sub_bodies:
        sent = sums.get(org.pk)
        out.bodies.append(BodyLine(org, sent))
        if sent is not None:
            add(out.values, sent.values)
            out.firms_counted += sent.firms
    out.sent = sums.get(body.pk)
    return out


def subtree_total(body: Organisation, period: str) -> tuple[dict[str, int], int]:
    """Every accepted report of *period* below *body*, added directly."""
    rows = Report.objects.filter(
        Q(organisation__path__startswith=body.path), period=period, status=ReportStatus.ACCEPTED
    ).values_list("values", flat=True)
    total, count = zero(), 0
    for values in rows.iterator(chunk_size=2000):
        add(total, values)
        count += 1
    return total, count
