"""Reads of the casework after filing (C4, C5, C9, C10, C11): the lawyer's
lists and the court's queues, a bounded number of queries each."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from lvshi.audit.models import AuditEvent
from lvshi.orgs.permissions import visible

from ..models import (
    Exchange,
    ExchangeItem,
    ExchangeRecipient,
    FileReview,
    Material,
    MaterialStatus,
    Message,
    Opinion,
    ReviewStatus,
    ServedDocument,
    ServiceStatus,
    Thread,
    Volume,
)

COURT = "case__court__organisation"


# --- the lawyer -------------------------------------------------------------------------


def case_materials(case: Any, user: Any) -> QuerySet[Material]:
    """The lawyer's own materials of a case (another side's are not shown)."""
    return Material.objects.filter(case=case, lawyer=user).select_related("decided_by").order_by("-submitted_at", "-pk")


def lawyer_documents(user: Any, *, status: str = ServiceStatus.TO_SIGN) -> QuerySet[ServedDocument]:
    return (
        ServedDocument.objects.filter(recipient=user, status=status).select_related(COURT).order_by("-sent_at", "-pk")
    )


def lawyer_exchanges(user: Any) -> QuerySet[ExchangeRecipient]:
    return (
        ExchangeRecipient.objects.filter(lawyer=user)
        .select_related("exchange__case__court__organisation")
        .annotate(items=Count("exchange__items", distinct=True))
        .prefetch_related(
            Prefetch("exchange__items", queryset=ExchangeItem.objects.select_related("material")), "opinions"
        )
        .order_by("-exchange__created_at", "-pk")
    )


def exchange_items(recipient: ExchangeRecipient) -> list[tuple[ExchangeItem, Opinion | None]]:
    """The items sent to the lawyer, each with the lawyer's opinion (if any);
    from the list's prefetched rows when there are some."""
    cache = getattr(recipient, "_prefetched_objects_cache", {})
    if "opinions" in cache and "items" in getattr(recipient.exchange, "_prefetched_objects_cache", {}):
        items = list(recipient.exchange.items.all())
        mine = {o.item_id: o for o in recipient.opinions.all()}
    else:
        items = list(ExchangeItem.objects.filter(exchange_id=recipient.exchange_id).select_related("material"))
        mine = {o.item_id: o for o in Opinion.objects.filter(recipient=recipient)}
    return [(item, mine.get(item.pk)) for item in items]


def lawyer_threads(user: Any) -> QuerySet[Thread]:
    return Thread.objects.filter(lawyer=user).select_related(COURT).order_by("-last_at", "-pk")


def thread_messages(thread: Thread) -> QuerySet[Message]:
    return thread.messages.select_related("author").prefetch_related("attachments")


def lawyer_reviews(user: Any) -> QuerySet[FileReview]:
    return (
        FileReview.objects.filter(lawyer=user)
        .select_related(COURT)
        .prefetch_related(Prefetch("volumes", queryset=Volume.objects.order_by("pk")))
        .order_by("-created_at", "-pk")
    )


def review_log(review: FileReview, user: Any) -> QuerySet[AuditEvent]:
    """The lawyer's own page views of a review, newest first."""
    return AuditEvent.objects.filter(
        action="courts.review_page", object_type="courts.filereview", object_id=str(review.pk), actor=user
    ).order_by("-occurred_at", "-id")


# --- the court --------------------------------------------------------------------------


def materials_to_receive(user: Any) -> QuerySet[Material]:
    qs = visible(user, Material.objects.all(), "courts.receive_material", field=COURT)
    return qs.filter(status=MaterialStatus.SUBMITTED).select_related(COURT, "lawyer").order_by("submitted_at", "pk")


def court_documents(user: Any) -> QuerySet[ServedDocument]:
    qs = visible(user, ServedDocument.objects.all(), "courts.serve_document", field=COURT)
    return (
        qs.select_related(COURT, "recipient", "notification")
        .prefetch_related("notification__deliveries")
        .order_by("-sent_at", "-pk")
    )


def judge_exchanges(user: Any) -> QuerySet[Exchange]:
    qs = visible(user, Exchange.objects.all(), "courts.exchange_evidence", field=COURT)
    return (
        qs.filter(case__judge=user)
        .select_related(COURT)
        .annotate(
            sent=Count("recipients", distinct=True),
            submitted=Count("recipients", filter=Q(recipients__submitted_at__isnull=False), distinct=True),
        )
        .order_by("-created_at", "-pk")
    )


def exchange_table(exchange: Exchange) -> tuple[list[ExchangeRecipient], list]:
    """Every side's opinions side by side: the recipients, and per item
    ``(item, [(recipient, opinion or None), …])``."""
    recipients = list(exchange.recipients.select_related("lawyer").order_by("pk"))
    items = list(exchange.items.select_related("material__lawyer"))
    opinions = {(o.recipient_id, o.item_id): o for o in Opinion.objects.filter(recipient__exchange=exchange)}
    rows = [(item, [(r, opinions.get((r.pk, item.pk))) for r in recipients]) for item in items]
    return recipients, rows


def judge_threads(user: Any, *, waiting: bool = False, before: datetime | None = None) -> QuerySet[Thread]:
    qs = visible(user, Thread.objects.all(), "courts.answer_message", field=COURT).filter(case__judge=user)
    if waiting:
        qs = qs.filter(waiting_since__isnull=False)
    if before is not None:
        qs = qs.filter(waiting_since__lt=before)
    return qs.select_related(COURT, "lawyer").order_by("waiting_since", "-last_at", "pk")


def pending_reviews(user: Any) -> QuerySet[FileReview]:
    qs = visible(user, FileReview.objects.all(), "courts.decide_review", field=COURT)
    return (
        qs.filter(case__judge=user, status=ReviewStatus.PENDING)
        .select_related(COURT, "lawyer")
        .order_by("created_at", "pk")
    )
