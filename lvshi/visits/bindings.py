"""Bindings (委托关系, V3): the lawyer's pre-check online, the centre's review,
the one in-person verification, and the ways a binding ends.

The flow is a state machine, declared once in :data:`FLOW`
(:mod:`lvshi.audit.workflow`): each transition names the states it may start
from, who may make it and whether it needs a reason, and is carried out by
one conditional ``UPDATE … WHERE status IN (…)``, so two officers (or an
officer and the lawyer) never both succeed. ::

    submit ─▶ pending ──pass──▶ verifying ──verify──▶ active ──revoke / end──▶ ended
                │  ▲                │
         return │  │ resubmit       │ return
                ▼  │                ▼
              returned ◀────────────┘
    pending / returned / verifying ──withdraw──▶ withdrawn

An active binding holds one of the detainee's two seats; verification takes
it under the detainee's row lock, and the database backs the limits (seat
unique among active bindings, one active (case, lawyer) pair, an active
binding has a seat). Ending a binding cancels the lawyer's future bookings
with that detainee, releasing their rooms.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvshi.audit.diff import diff, snapshot
from lvshi.audit.services import audit_record
from lvshi.calendar.workdays import SHANGHAI, today
from lvshi.core.errors import Conflict, DomainError, PermissionDenied
from lvshi.core.uploads import CheckedUpload, check_upload, store_upload
from lvshi.notify.services import notify_user
from lvshi.orgs import scope
from lvshi.orgs.models import Organisation, Role

from . import flows
from .models import (
    CENTRE_KINDS,
    HOLDING,
    MAX_LAWYERS_PER_DETAINEE,
    OPEN_BINDING,
    Binding,
    BindingDocument,
    BindingEndReason,
    BindingStatus,
    Booking,
    Case,
    Detainee,
    DetaineeStatus,
    DocumentKind,
)

REASON_MAX = 300

# Documents of the pre-check; the legal-aid letter only for legal-aid cases.
REQUIRED_DOCUMENTS = (DocumentKind.POWER_OF_ATTORNEY, DocumentKind.LICENCE, DocumentKind.FIRM_LETTER)
SUBMIT_DOCUMENTS = (*REQUIRED_DOCUMENTS, DocumentKind.LEGAL_AID_LETTER)

S = BindingStatus


FLOW = flows.BINDING
# Kept for readers of the table: name -> transition.
TRANSITIONS = FLOW.by_name


def can(binding: Binding, transition: str) -> bool:
    """Whether *binding*'s current status allows *transition* (for showing buttons)."""
    return FLOW.can(binding, transition)


# --- reads ---------------------------------------------------------------------------


def _documents_prefetch() -> Prefetch:
    return Prefetch(
        "documents", queryset=BindingDocument.objects.order_by("kind", "-uploaded_at", "-pk"), to_attr="all_documents"
    )


def bindings_of(lawyer, *, status: str | None = None, statuses=None) -> QuerySet[Binding]:
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


def review_queue(user, *, status: str) -> QuerySet[Binding]:
    """Bindings of the centres the officer works for (all for platform admins),
    oldest submission first."""
    qs = Binding.objects.filter(status=status)
    if not scope.is_platform_admin(user):
        qs = qs.filter(scope.org_q(user, Role.OFFICER, field="detainee__centre"))
    return (
        qs.select_related("detainee", "detainee__centre", "case", "lawyer")
        .prefetch_related(_documents_prefetch())
        .order_by("submitted_at", "pk")
    )


def review_counts(user) -> dict[str, int]:
    qs = Binding.objects.all()
    if not scope.is_platform_admin(user):
        qs = qs.filter(scope.org_q(user, Role.OFFICER, field="detainee__centre"))
    return qs.aggregate(
        **{s: Count("pk", filter=Q(status=s)) for s in (S.PENDING, S.VERIFYING, S.ACTIVE)},
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


# --- helpers ---------------------------------------------------------------------------


def _move(binding: Binding, name: str, *, actor, request=None, fields=(), message="", reason="", **values) -> Binding:
    """Carry out transition *name* (see :data:`FLOW`). Returns a copy of
    *binding* as it was; *binding* is reloaded."""
    return FLOW.apply(
        binding, name, actor=actor, request=request, reason=reason, values=values, fields=fields, message=message
    )


def _audit(binding: Binding, old: Binding | None, action: str, *, actor, request, fields, message: str = "") -> None:
    if old is None:
        before, after = None, snapshot(binding, fields)
    else:
        before, after = diff(old, binding, fields)
    audit_record(
        action=f"visits.binding_{action}",
        actor=actor,
        request=request,
        obj=binding,
        organisation=binding.detainee.centre,
        before=before,
        after=after,
        message=message,
    )


def _context(binding: Binding, **extra) -> dict:
    return {"centre": binding.detainee.centre.name, "detainee": binding.detainee.name, **extra}


def _reason(text: str | None, *, code: str, required_message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(code, required_message)
    if len(text) > REASON_MAX:
        raise DomainError("reason_too_long", _("原因不能超过%(n)d字，请精简后再提交。") % {"n": REASON_MAX})
    return text


def _check_documents(documents: Mapping[str, object], kinds, *, required) -> dict[str, CheckedUpload]:
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


def _cancel_future_bookings(binding: Binding, *, actor, request, why: str) -> list[Booking]:
    """The lawyer's bookings with the detainee that still hold a room and lie
    ahead: each is cancelled by a conditional update and its room released."""
    from . import services

    now = timezone.now()
    candidates = Booking.objects.filter(
        lawyer_id=binding.lawyer_id, detainee_id=binding.detainee_id, status__in=HOLDING, date__gte=today()
    ).select_related("centre", "detainee")
    cancelled = []
    for booking in candidates:
        if _starts_at(booking) <= now:
            continue
        if services.booking_withdraw(booking=booking, actor=actor, reason=why, now=now, request=request):
            cancelled.append(booking)
    if cancelled:
        when = "；".join(f"{b.date:%Y-%m-%d} {b.start:%H:%M}-{b.end:%H:%M}" for b in cancelled)
        notify_user(binding.lawyer, kind="binding_bookings_cancelled", context=_context(binding, when=when))
    return cancelled


# --- the lawyer's side ---------------------------------------------------------------------


@transaction.atomic
def binding_submit(
    *,
    lawyer,
    centre: Organisation | int | None,
    detainee_name: str,
    centre_number: str,
    case_number: str = "",
    legal_aid: bool = False,
    documents: Mapping[str, object],
    request=None,
) -> Binding:
    """The lawyer's pre-check: the detainee as written on the power of
    attorney (centre, name, centre number), the documents, and whether it is
    a legal-aid case. The binding waits for the centre's review."""
    if not scope.has_role(lawyer, Role.LAWYER):
        raise PermissionDenied(message=_("只有执业律师可以提交委托材料。"))
    centre_id = centre.pk if isinstance(centre, Organisation) else centre
    if not centre_id or not submit_centres().filter(pk=centre_id).exists():
        raise DomainError("centre_required", _("请选择在押人员所在的看守所。"))
    name, number = (detainee_name or "").strip(), (centre_number or "").strip()
    if not name or not number:
        raise DomainError("detainee_required", _("请按委托书填写在押人员的姓名和监号。"))
    detainee = (
        Detainee.objects.select_related("centre")
        .filter(centre_id=centre_id, name=name, centre_number=number, status=DetaineeStatus.HELD)
        .first()
    )
    if detainee is None:
        # The same answer whether the number is unknown, belongs to someone
        # else, or the person has left the centre.
        raise DomainError(
            "detainee_not_found",
            _(
                "未找到与所填姓名和监号相符的在押人员。请按委托书核对看守所、姓名和监号后重新填写；"
                "如仍有疑问，请致电看守所。"
            ),
        )
    case = None
    case_number = (case_number or "").strip()
    if case_number:
        case = Case.objects.filter(centre_id=centre_id, number=case_number, links__detainee=detainee).first()
        if case is None:
            raise DomainError("case_mismatch", _("所填案号与该在押人员不符。请核对案号，或不填案号后提交。"))
    else:
        case = detainee.cases.order_by("pk").first()
    existing = Binding.objects.filter(lawyer=lawyer, detainee=detainee, status__in=list(OPEN_BINDING)).first()
    if existing is not None:
        raise DomainError(
            "already_open",
            _("您已有该在押人员的委托（状态：%(status)s），无需重复提交。请在“我的委托”中查看。")
            % {"status": S(existing.status).label},
        )
    if _co_defendant_bindings(lawyer, detainee, OPEN_BINDING).exists():
        raise DomainError("co_defendant_conflict", str(CO_DEFENDANT_MESSAGE))
    required = (*REQUIRED_DOCUMENTS, DocumentKind.LEGAL_AID_LETTER) if legal_aid else REQUIRED_DOCUMENTS
    checked = _check_documents(documents, required, required=required)
    now = timezone.now()
    binding = Binding(
        lawyer=lawyer, detainee=detainee, case=case, status=S.PENDING, legal_aid=bool(legal_aid), submitted_at=now
    )
    binding.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            binding.save()
    except IntegrityError as exc:
        raise Conflict(
            "binding_conflict", _("您刚刚已提交过该在押人员的委托，请在“我的委托”中查看。"), status=409
        ) from exc
    _store(binding, checked, lawyer)
    _audit(
        binding,
        None,
        "submit",
        actor=lawyer,
        request=request,
        fields=["lawyer", "detainee", "case", "status", "legal_aid"],
        message=", ".join(checked),
    )
    return binding


@transaction.atomic
def binding_resubmit(
    *, binding: Binding, actor, documents: Mapping[str, object], case_number: str | None = None, request=None
) -> Binding:
    """The lawyer answers a return: replaced documents (any of the pre-check's)
    and, if given, a corrected case number. Back to the centre's review."""
    kinds = (*REQUIRED_DOCUMENTS, DocumentKind.LEGAL_AID_LETTER) if binding.legal_aid else REQUIRED_DOCUMENTS
    checked = _check_documents(documents, kinds, required=())
    values = {"submitted_at": timezone.now(), "return_reason": "", "reviewed_at": None, "reviewed_by": None}
    if case_number is not None and case_number.strip():
        case = Case.objects.filter(
            centre_id=binding.detainee.centre_id, number=case_number.strip(), links__detainee_id=binding.detainee_id
        ).first()
        if case is None:
            raise DomainError("case_mismatch", _("所填案号与该在押人员不符。请核对案号，或不填案号后提交。"))
        values["case"] = case
    _move(binding, "resubmit", actor=actor, request=request, fields=["case"], message=", ".join(checked), **values)
    _store(binding, checked, actor)
    return binding


@transaction.atomic
def binding_withdraw(*, binding: Binding, actor, request=None) -> Binding:
    _move(binding, "withdraw", actor=actor, request=request, ended_at=timezone.now(), ended_by=actor)
    return binding


# --- the centre's side ---------------------------------------------------------------------


@transaction.atomic
def binding_return(*, binding: Binding, actor, reason: str, request=None) -> Binding:
    reason = _reason(reason, code="reason_required", required_message=_("请填写退回原因，律师将按此补正材料。"))
    _move(
        binding,
        "return",
        actor=actor,
        request=request,
        reason=reason,
        fields=["return_reason"],
        return_reason=reason,
        reviewed_at=timezone.now(),
        reviewed_by=actor,
    )
    notify_user(binding.lawyer, kind="binding_returned", context=_context(binding, reason=reason))
    return binding


@transaction.atomic
def binding_pass(*, binding: Binding, actor, request=None) -> Binding:
    _move(binding, "pass", actor=actor, request=request, reviewed_at=timezone.now(), reviewed_by=actor)
    notify_user(binding.lawyer, kind="binding_passed", context=_context(binding))
    return binding


def _free_seat(detainee: Detainee) -> int:
    taken = set(Binding.objects.filter(detainee=detainee, status=S.ACTIVE).values_list("seat", flat=True))
    free = [s for s in range(1, MAX_LAWYERS_PER_DETAINEE + 1) if s not in taken]
    if not free:
        raise DomainError(
            "binding_limit",
            _("该在押人员已有%(n)d名有效委托的律师，需先登记解除委托（委托人的书面解除委托书）后才能核验。")
            % {"n": MAX_LAWYERS_PER_DETAINEE},
        )
    return free[0]


def _lock_detainee(detainee_id: int) -> Detainee:
    return Detainee.objects.select_for_update().select_related("centre").get(pk=detainee_id)


@transaction.atomic
def binding_verify(*, binding: Binding, actor, request=None) -> Binding:
    """The officer has seen the originals in person: the binding takes a seat."""
    detainee = _lock_detainee(binding.detainee_id)
    if detainee.status != DetaineeStatus.HELD:
        raise DomainError(
            "detainee_not_held",
            _("该在押人员已%(status)s，不能核验委托。") % {"status": DetaineeStatus(detainee.status).label},
        )
    binding.refresh_from_db(fields=["status"])
    if not can(binding, "verify"):
        raise FLOW.wrong_status(binding, FLOW.by_name["verify"])
    seat = _free_seat(detainee)
    if _co_defendant_bindings(binding.lawyer, detainee, (S.ACTIVE,)).exists():
        raise DomainError("co_defendant_conflict", str(CO_DEFENDANT_MESSAGE))
    try:
        with transaction.atomic():
            _move(
                binding,
                "verify",
                actor=actor,
                request=request,
                fields=["seat"],
                seat=seat,
                verified_at=timezone.now(),
                verified_by=actor,
            )
    except IntegrityError as exc:
        raise Conflict(
            "binding_conflict", _("该在押人员的委托关系刚刚发生变化，请刷新页面后重试。"), status=409
        ) from exc
    notify_user(binding.lawyer, kind="binding_activated", context=_context(binding))
    return binding


@transaction.atomic
def binding_revoke(*, binding: Binding, actor, document, note: str = "", request=None) -> Binding:
    """The client revoked the binding in writing; the officer records it with
    the revocation document. The seat is free again."""
    note = (note or "").strip()
    if len(note) > REASON_MAX:
        raise DomainError("reason_too_long", _("说明不能超过%(n)d字，请精简后再提交。") % {"n": REASON_MAX})
    if not document:
        raise DomainError("document_missing", _("请上传委托人签署的解除委托书。"))
    checked = check_upload(document, label=str(DocumentKind.REVOCATION.label))
    _move(
        binding,
        "revoke",
        actor=actor,
        request=request,
        fields=["end_reason", "end_note"],
        ended_at=timezone.now(),
        ended_by=actor,
        end_reason=BindingEndReason.REVOKED,
        end_note=note,
    )
    _store(binding, {DocumentKind.REVOCATION: checked}, actor)
    cancelled = _cancel_future_bookings(binding, actor=actor, request=request, why=_("委托人已解除委托"))
    extra = _("已取消您与其的%(n)d个会见预约。") % {"n": len(cancelled)} if cancelled else ""
    notify_user(
        binding.lawyer,
        kind="binding_revoked",
        context=_context(binding, note=note or str(BindingEndReason.REVOKED.label), cancelled=extra),
    )
    return binding


@transaction.atomic
def binding_end(
    *, binding: Binding, actor, request=None, reason: str = BindingEndReason.LAWYER, note: str = ""
) -> Binding:
    """End an active binding (by default the lawyer's own ending). The seat
    is free again and the lawyer's future bookings with the detainee are
    cancelled."""
    if len(note or "") > REASON_MAX:
        raise DomainError("reason_too_long", _("说明不能超过%(n)d字，请精简后再提交。") % {"n": REASON_MAX})
    _move(
        binding,
        "end",
        actor=actor,
        request=request,
        fields=["end_reason"],
        ended_at=timezone.now(),
        ended_by=actor,
        end_reason=reason,
        end_note=(note or "").strip(),
    )
    _cancel_future_bookings(binding, actor=actor, request=request, why=str(BindingEndReason(reason).label))
    return binding


@transaction.atomic
def binding_create(*, lawyer, detainee: Detainee, case=None, actor=None, request=None) -> Binding:
    """Record an active binding of *lawyer* to *detainee* (for *case*) at once,
    as after a verification (demo data, imports, tests).

    At most two active lawyers per detainee, and co-defendants of one case
    never share a lawyer; the database refuses both as well."""
    detainee = _lock_detainee(detainee.pk)
    if Binding.objects.filter(detainee=detainee, lawyer=lawyer, status__in=list(OPEN_BINDING)).exists():
        raise DomainError("already_bound", _("您已是该在押人员的辩护律师，无需重复绑定。"))
    seat = _free_seat(detainee)
    case_ids = list(detainee.case_links.values_list("case_id", flat=True))
    if case is not None and case.pk not in case_ids:
        raise DomainError("case_mismatch", _("该在押人员不是所选案件的被告人，请核对案件。"))
    if _co_defendant_bindings(lawyer, detainee, (S.ACTIVE,)).exists():
        raise DomainError("co_defendant_conflict", str(CO_DEFENDANT_MESSAGE))
    now = timezone.now()
    binding = Binding(
        lawyer=lawyer,
        detainee=detainee,
        case=case if case is not None else detainee.cases.order_by("pk").first(),
        seat=seat,
        status=S.ACTIVE,
        submitted_at=now,
        verified_at=now,
        verified_by=actor if actor is not None and actor != lawyer else None,
    )
    binding.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            binding.save()
    except IntegrityError as exc:
        raise Conflict("binding_conflict", _("该在押人员的委托关系刚刚发生变化，请刷新后重试。"), status=409) from exc
    _audit(
        binding,
        None,
        "create",
        actor=actor or lawyer,
        request=request,
        fields=["lawyer", "detainee", "case", "seat", "status"],
    )
    return binding
