from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvshi.audit.diff import diff
from lvshi.audit.services import audit_record
from lvshi.calendar.workdays import SHANGHAI, today
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.core.text import clean_text
from lvshi.core.uploads import CheckedUpload, check_upload, store_upload
from lvshi.notify.services import notify_user

from ..models import (
    HOLDING,
    Binding,
    BindingDocument,
    Booking,
    Detainee,
    DocumentKind,
)
from ..services.booking import booking_withdraw
from .base import FLOW

# --- helpers ---------------------------------------------------------------------------


def _move(binding: Binding, name: str, *, actor: Actor, fields=(), message="", reason="", **values) -> Binding:
    """Carry out transition *name* (see :data:`FLOW`). Returns a copy of
    *binding* as it was; *binding* is reloaded."""
    return FLOW.apply(binding, name, actor=actor, reason=reason, values=values, fields=fields, message=message)


def _audit(
    binding: Binding, old: Binding | None, action: str, *, actor: Actor | None, fields, message: str = ""
) -> None:
    before, after = diff(old, binding, fields)
    audit_record(
        action=f"visits.binding_{action}",
        actor=actor,
        obj=binding,
        organisation=binding.detainee.centre,
        before=before,
        after=after,
        message=message,
    )


def _context(binding: Binding, **extra) -> dict:
    return {"centre": binding.detainee.centre.name, "detainee": binding.detainee.name, **extra}


def _reason(text: str | None, *, code: str, required_message: str) -> str:
    text = clean_text(text, field=(Binding, "return_reason"), code="reason", label=_("原因"))
    if not text:
        raise DomainError(code, required_message)
    return text


def _check_documents(documents: Mapping[str, Any], kinds, *, required) -> dict[str, CheckedUpload]:
    missing = [DocumentKind(k).label for k in required if not documents.get(k)]
    if missing:
        raise DomainError("document_missing", _("请上传：%(kinds)s。") % {"kinds": "、".join(map(str, missing))})
    return {k: check_upload(documents[k], label=str(DocumentKind(k).label)) for k in kinds if documents.get(k)}


def _store(binding: Binding, checked: Mapping[str, CheckedUpload], uploaded_by) -> list[BindingDocument]:
    docs = []
    for kind, upload in checked.items():
        doc = BindingDocument(
            binding=binding,
            kind=kind,
            name=upload.name,
            content_type=upload.content_type,
            size=upload.size,
            sha256=upload.sha256,
            uploaded_by=uploaded_by,
        )
        store_upload(doc.file, upload)
        doc.full_clean(exclude=["binding", "uploaded_by"])
        doc.save()
        docs.append(doc)
    return docs


def _co_defendant_bindings(lawyer, detainee: Detainee, statuses) -> QuerySet[Binding]:
    case_ids = list(detainee.case_links.values_list("case_id", flat=True))
    return Binding.objects.filter(
        lawyer=lawyer, status__in=list(statuses), detainee__case_links__case_id__in=case_ids
    ).exclude(detainee=detainee)


CO_DEFENDANT_MESSAGE = gettext_lazy(
    "同一案件的同案被告人不能委托同一名律师。您已为本案其他被告人提供辩护，不能再接受该在押人员的委托。"
)


def _starts_at(booking: Booking) -> datetime:
    return datetime.combine(booking.date, booking.start, tzinfo=SHANGHAI)


def _cancel_future_bookings(binding: Binding, *, actor: Actor, why: str) -> list[Booking]:
    """The lawyer's bookings with the detainee that still hold a room and lie
    ahead: each is cancelled by a conditional update and its room released."""
    now = timezone.now()
    candidates = Booking.objects.filter(
        lawyer_id=binding.lawyer_id, detainee_id=binding.detainee_id, status__in=HOLDING, date__gte=today()
    ).select_related("centre", "detainee")
    cancelled = []
    for booking in candidates:
        if _starts_at(booking) <= now:
            continue
        if booking_withdraw(booking=booking, actor=actor, reason=why, now=now):
            cancelled.append(booking)
    if cancelled:
        when = "；".join(f"{b.date:%Y-%m-%d} {b.start:%H:%M}-{b.end:%H:%M}" for b in cancelled)
        notify_user(binding.lawyer, kind="binding_bookings_cancelled", context=_context(binding, when=when))
    return cancelled
