"""Monitoring and tracking (A8): each body sees the pending and overdue
work of its own and its sub-bodies, by body, in four grouped counts
whatever their number: applications (past their step's period), correction
requests and complaints (open longer than their guide period) and reports
waiting to be checked."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q

from lvshi.calendar.workdays import SHANGHAI
from lvshi.orgs.models import Organisation, OrgKind

from .models import WITH_BODY, Application, Complaint, Correction, Report, ReportStatus
from .scope import BODY_ROLES, jurisdiction_q

CORRECTION_DAYS = 20  # a correction request open longer stands out
COMPLAINT_DAYS = 60  # a complaint open longer stands out
REPORT_DAYS = 15  # a report submitted longer ago and not checked stands out


@dataclass
class BodyWork:
    body: Organisation
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def pending(self) -> int:
        return sum(v for k, v in self.counts.items() if not k.endswith("_late"))

    @property
    def late(self) -> int:
        return sum(v for k, v in self.counts.items() if k.endswith("_late"))


KINDS = ("applications", "corrections", "complaints", "reports")


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=SHANGHAI)


def work_by_body(user: Any, *, today: date) -> list[BodyWork]:
    """Every body within the user's reach with its open work (bodies with none included)."""
    bodies = list(
        Organisation.objects.filter(
            jurisdiction_q(user, BODY_ROLES, field=None),
            kind__in=[OrgKind.JUSTICE_BUREAU, OrgKind.BAR_ASSOCIATION],
            is_active=True,
        ).order_by("path")
    )
    rows = {b.pk: BodyWork(b, dict.fromkeys([f"{k}{s}" for k in KINDS for s in ("", "_late")], 0)) for b in bodies}
    ids = list(rows)
    queries: list[tuple[str, Any, Q]] = [
        ("applications", Application.objects.filter(body_id__in=ids, status__in=WITH_BODY), Q(due_on__lt=today)),
        (
            "corrections",
            Correction.objects.filter(body_id__in=ids, status__in=["submitted", "forwarded"]),
            Q(entered_at__lt=_start_of(today - timedelta(days=CORRECTION_DAYS))),
        ),
        (
            "complaints",
            Complaint.objects.filter(body_id__in=ids, status__in=["registered", "handling"]),
            Q(received_on__lt=today - timedelta(days=COMPLAINT_DAYS)),
        ),
        (
            "reports",
            Report.objects.filter(body_id__in=ids, status=ReportStatus.SUBMITTED),
            Q(submitted_at__lt=_start_of(today - timedelta(days=REPORT_DAYS))),
        ),
    ]
    for kind, qs, late in queries:
        for body_id, pending, overdue in (
            qs.values("body_id")
            .annotate(n=Count("pk"), late=Count("pk", filter=late))
            .values_list("body_id", "n", "late")
        ):
            rows[body_id].counts[kind] = pending
            rows[body_id].counts[f"{kind}_late"] = overdue
    return list(rows.values())
