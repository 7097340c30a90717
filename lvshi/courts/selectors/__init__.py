"""Reads of court services: the lawyer's lists and the court's queues. A
bounded number of queries each, whatever the data size."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from lvshi.calendar.workdays import local_date
from lvshi.orgs.permissions import allowed, visible

from .. import deadlines
from ..models import (
    Case,
    CaseStatus,
    Court,
    Filing,
    FilingStatus,
    Hearing,
    HearingRequest,
    HearingStatus,
    NoticeStatus,
    Party,
    PaymentNotice,
    RequestStatus,
    ServiceStatus,
)
from .casework import (  # noqa: F401  (one import path for every read)
    case_materials,
    court_documents,
    exchange_items,
    exchange_table,
    judge_exchanges,
    judge_threads,
    lawyer_documents,
    lawyer_exchanges,
    lawyer_reviews,
    lawyer_threads,
    materials_to_receive,
    pending_reviews,
    review_log,
    thread_messages,
)

COURT = "case__court__organisation"
_WORKBENCH_ATTR = "_courts_workbench"


def public_courts() -> QuerySet[Court]:
    return Court.objects.filter(organisation__is_active=True).select_related("organisation").order_by("code")


def courts_for(case_type: str) -> list[Court]:
    return [c for c in public_courts() if not case_type or case_type in c.case_types]


def lawyer_cases(user: Any, *, q: str = "", status: str = "") -> QuerySet[Case]:
    qs = Case.objects.filter(links__lawyer=user)
    if status in CaseStatus.values:
        qs = qs.filter(status=status)
    q = (q or "").strip()[:50]
    if q:
        qs = qs.filter(Q(number__contains=q) | Q(parties__name__contains=q) | Q(cause__contains=q))
    return (
        qs.distinct()
        .select_related("court__organisation", "judge")
        .prefetch_related(Prefetch("parties", queryset=Party.objects.only("pk", "case_id", "name", "role", "position")))
        .order_by("-accepted_at", "-pk")
    )


def filings_of(user: Any, *, status: str = "") -> QuerySet[Filing]:
    qs = Filing.objects.filter(lawyer=user).exclude(status=FilingStatus.DELETED)
    if status in FilingStatus.values:
        qs = qs.filter(status=status)
    # The completeness check of each row reads its parties, agents and files.
    return (
        qs.select_related("court__organisation", "case", "lawyer")
        .prefetch_related("parties", "agents", "files")
        .order_by("-updated_at", "-pk")
    )


def _late_filing(boundary: datetime) -> Q:
    """A submitted filing whose seven days ran out before today (see deadlines.overdue_before)."""
    return Q(submitted_at__lt=boundary)


def _late_notice(boundary: datetime) -> Q:
    return Q(status=NoticeStatus.UNPAID, issued_at__lt=boundary)


def review_queue(user: Any, *, status: str = FilingStatus.SUBMITTED, overdue: bool = False) -> QuerySet[Filing]:
    qs = visible(user, Filing.objects.all(), "courts.review_filing", field="court__organisation")
    qs = qs.filter(status=status if status in FilingStatus.values else FilingStatus.SUBMITTED)
    if overdue:
        qs = qs.filter(_late_filing(deadlines.overdue_before(deadlines.REVIEW_DAYS)))
    return qs.select_related("court__organisation", "lawyer").order_by("submitted_at", "pk")


def lawyer_notices(user: Any, *, status: str = "") -> QuerySet[PaymentNotice]:
    qs = PaymentNotice.objects.filter(case__links__lawyer=user)
    if status in NoticeStatus.values:
        qs = qs.filter(status=status)
    return qs.select_related(COURT).order_by("status", "-issued_at", "-pk").distinct()


def court_notices(user: Any, *, overdue: bool = False) -> QuerySet[PaymentNotice]:
    qs = visible(user, PaymentNotice.objects.all(), "courts.adjust_fee", field=COURT)
    if overdue:
        qs = qs.filter(_late_notice(deadlines.overdue_before(deadlines.PAY_DAYS)))
    return qs.select_related(COURT).order_by("status", "issued_at", "pk")


def lawyer_hearings(user: Any, *, past: bool = False) -> QuerySet[Hearing]:
    now = timezone.now()
    qs = Hearing.objects.filter(case__links__lawyer=user).exclude(status=HearingStatus.CANCELLED)
    qs = qs.filter(start__lt=now).order_by("-start") if past else qs.filter(end__gte=now).order_by("start")
    return qs.select_related(COURT, "room").prefetch_related(
        Prefetch("requests", queryset=HearingRequest.objects.filter(lawyer=user).order_by("-pk"), to_attr="mine")
    )


def court_hearings(user: Any, *, week: bool = False) -> QuerySet[Hearing]:
    qs = visible(user, Hearing.objects.all(), "courts.schedule_hearing", field=COURT).filter(
        status=HearingStatus.SCHEDULED
    )
    now = timezone.now()
    if week:
        today = local_date(now)
        qs = qs.filter(start__date__gte=today, start__date__lt=today + timedelta(days=7))
    else:
        qs = qs.filter(end__gte=now)
    return qs.select_related(COURT, "room", "judge").order_by("start", "pk")


def court_cases(user: Any, *, q: str = "") -> QuerySet[Case]:
    qs = visible(user, Case.objects.all(), "courts.view_court_cases", field="court__organisation")
    q = (q or "").strip()[:50]
    if q:
        qs = qs.filter(Q(number__contains=q) | Q(parties__name__contains=q)).distinct()
    return qs.select_related("court__organisation", "judge", "clerk").order_by("-accepted_at", "-pk")


def pending_requests(user: Any) -> QuerySet[HearingRequest]:
    qs = visible(
        user, HearingRequest.objects.all(), "courts.decide_request", field="hearing__case__court__organisation"
    )
    return (
        qs.filter(status=RequestStatus.PENDING)
        .select_related("hearing__case__court__organisation", "hearing__room", "lawyer")
        .order_by("created_at", "pk")
    )


def _threads(user: Any) -> dict[str, int]:
    waiting = (
        judge_threads(user, waiting=True)
        .order_by()
        .aggregate(total=Count("pk"), overdue=Count("pk", filter=Q(waiting_since__lt=deadlines.reply_overdue_before())))
    )
    return {"messages": waiting["total"], "messages_overdue": waiting["overdue"]}


def workbench_counts(user: Any) -> dict[str, int]:
    """The court workbench's queues (C13), read once per request (the
    staff home's to-do entries share them): one query per queue the user
    works (a clerk's are not read for a judge, nor a judge's for a clerk)."""
    cached = getattr(user, _WORKBENCH_ATTR, None)
    if cached is not None:
        return cached
    counts = dict.fromkeys(WORKBENCH_QUEUES, 0)
    may = partial(allowed, user)
    # Both periods are seven days: one boundary serves filings and fees.
    boundary = deadlines.overdue_before(deadlines.REVIEW_DAYS) if may("courts.adjust_fee") else None
    if may("courts.review_filing") and boundary is not None:
        filings = (
            review_queue(user)
            .order_by()
            .aggregate(total=Count("pk"), overdue=Count("pk", filter=_late_filing(boundary)))
        )
        counts.update(filings=filings["total"], filings_overdue=filings["overdue"])
    if boundary is not None:
        counts["fees_overdue"] = court_notices(user).order_by().filter(_late_notice(boundary)).count()
    if may("courts.schedule_hearing"):
        counts["hearings_week"] = court_hearings(user, week=True).count()
    if may("courts.decide_request"):
        counts["requests"] = pending_requests(user).count()
    if may("courts.receive_material"):
        counts["materials"] = materials_to_receive(user).count()
    if may("courts.serve_document"):
        counts["documents_unsigned"] = court_documents(user).filter(status=ServiceStatus.TO_SIGN).count()
    if may("courts.decide_review"):
        counts["reviews"] = pending_reviews(user).count()
    if may("courts.exchange_evidence"):
        counts["exchanges_open"] = judge_exchanges(user).filter(deadline__gt=timezone.now()).count()
    if may("courts.answer_message"):
        counts.update(_threads(user))
    setattr(user, _WORKBENCH_ATTR, counts)
    return counts


WORKBENCH_QUEUES = (
    "filings",
    "filings_overdue",
    "fees_overdue",
    "hearings_week",
    "requests",
    "materials",
    "documents_unsigned",
    "reviews",
    "exchanges_open",
    "messages",
    "messages_overdue",
)
