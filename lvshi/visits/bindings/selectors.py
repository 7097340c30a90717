from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from lvshi.orgs import permissions
from lvshi.orgs.models import Organisation

from ..models import (
    CENTRE_KINDS,
    MAX_LAWYERS_PER_DETAINEE,
    Binding,
    BindingDocument,
    Detainee,
    DocumentKind,
)
from .base import S

if TYPE_CHECKING:
    from collections.abc import Iterable

    from lvshi.accounts.models import User


# --- reads ---------------------------------------------------------------------------


def _documents_prefetch() -> Prefetch:
    return Prefetch(
        "documents", queryset=BindingDocument.objects.order_by("kind", "-uploaded_at", "-pk"), to_attr="all_documents"
    )


def bindings_of(lawyer: User, *, status: str | None = None, statuses: Iterable[str] | None = None) -> QuerySet[Binding]:
    """The lawyer's bindings with detainee, centre, case and documents (three queries)."""
    qs = Binding.objects.filter(lawyer=lawyer)
    if status:
        qs = qs.filter(status=status)
    if statuses:
        qs = qs.filter(status__in=list(statuses))
    return (
        qs.select_related("detainee", "detainee__centre", "case")
        .prefetch_related(_documents_prefetch())
        .order_by("-submitted_at", "-created_at", "-pk")
    )


def review_queue(user: User, *, status: str) -> QuerySet[Binding]:
    """Bindings of the centres the officer works for (all for platform admins),
    oldest submission first."""
    qs = Binding.objects.filter(status=status)
    qs = permissions.visible(user, qs, "visits.review_binding", field="detainee__centre")
    return (
        qs.select_related("detainee", "detainee__centre", "case", "lawyer")
        .prefetch_related(_documents_prefetch())
        .order_by("submitted_at", "pk")
    )


def review_counts(user: User) -> dict[str, int]:
    qs = Binding.objects.all()
    qs = permissions.visible(user, qs, "visits.review_binding", field="detainee__centre")
    return qs.aggregate(
        **{str(s): Count("pk", filter=Q(status=s)) for s in (S.PENDING, S.VERIFYING, S.ACTIVE)},
    )


def current_documents(binding: Binding) -> list[BindingDocument]:
    """The latest document of each kind (uses the prefetched list when there is one)."""
    docs = getattr(binding, "all_documents", None)
    if docs is None:
        docs = list(binding.documents.order_by("kind", "-uploaded_at", "-pk"))
    seen, result = set(), []
    for doc in docs:
        if doc.kind not in seen:
            seen.add(doc.kind)
            result.append(doc)
    order = list(DocumentKind.values)
    return sorted(result, key=lambda d: order.index(d.kind))


def active_count(detainee: Detainee) -> int:
    return Binding.objects.filter(detainee=detainee, status=S.ACTIVE).count()


def seats_warning(binding: Binding) -> str:
    """Told to the lawyer when submitting: the detainee already has two
    active lawyers, so verification waits for a recorded revocation."""
    if binding.status in (S.ENDED, S.WITHDRAWN, S.ACTIVE):
        return ""
    if active_count(binding.detainee) < MAX_LAWYERS_PER_DETAINEE:
        return ""
    return _(
        "该在押人员目前已有%(n)d名有效委托的律师。材料可以先提交，但现场核验前须由委托人出具书面解除委托书，"
        "经看守所登记解除其中一名律师的委托。"
    ) % {"n": MAX_LAWYERS_PER_DETAINEE}


def submit_centres() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind__in=CENTRE_KINDS, is_active=True).order_by("name", "pk")
