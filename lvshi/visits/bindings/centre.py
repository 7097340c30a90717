from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvshi.core.actor import Actor
from lvshi.core.errors import Conflict, DomainError
from lvshi.core.text import clean_text
from lvshi.core.uploads import check_upload
from lvshi.notify.services import notify_user

from ..models import (
    MAX_LAWYERS_PER_DETAINEE,
    OPEN_BINDING,
    Binding,
    BindingEndReason,
    Detainee,
    DetaineeStatus,
    DocumentKind,
)
from .base import FLOW, S, can
from .steps import (
    CO_DEFENDANT_MESSAGE,
    _audit,
    _cancel_future_bookings,
    _co_defendant_bindings,
    _context,
    _move,
    _reason,
    _store,
)

# --- the centre's side ---------------------------------------------------------------------


@transaction.atomic
def binding_return(*, binding: Binding, actor: Actor, reason: str) -> Binding:
    reason = _reason(reason, code="reason_required", required_message=_("请填写退回原因，律师将按此补正材料。"))
    _move(
        binding,
        "return",
        actor=actor,
        reason=reason,
        fields=["return_reason"],
        return_reason=reason,
        reviewed_at=timezone.now(),
        reviewed_by=actor.user,
    )
    notify_user(binding.lawyer, kind="binding_returned", context=_context(binding, reason=reason))
    return binding


@transaction.atomic
def binding_pass(*, binding: Binding, actor: Actor) -> Binding:
    _move(binding, "pass", actor=actor, reviewed_at=timezone.now(), reviewed_by=actor.user)
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
def binding_verify(*, binding: Binding, actor: Actor) -> Binding:
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
                fields=["seat"],
                seat=seat,
                verified_at=timezone.now(),
                verified_by=actor.user,
            )
    except IntegrityError as exc:
        raise Conflict(
            "binding_conflict", _("该在押人员的委托关系刚刚发生变化，请刷新页面后重试。"), status=409
        ) from exc
    notify_user(binding.lawyer, kind="binding_activated", context=_context(binding))
    return binding


@transaction.atomic
def binding_revoke(*, binding: Binding, actor: Actor, document, note: str = "") -> Binding:
    """The client revoked the binding in writing; the officer records it with
    the revocation document. The seat is free again."""
    note = clean_text(note, field=(Binding, "end_note"), code="reason", label=_("说明"))
    if not document:
        raise DomainError("document_missing", _("请上传委托人签署的解除委托书。"))
    checked = check_upload(document, label=str(DocumentKind.REVOCATION.label))
    _move(
        binding,
        "revoke",
        actor=actor,
        fields=["end_reason", "end_note"],
        ended_at=timezone.now(),
        ended_by=actor.user,
        end_reason=BindingEndReason.REVOKED,
        end_note=note,
    )
    _store(binding, {DocumentKind.REVOCATION: checked}, actor.user)
    cancelled = _cancel_future_bookings(binding, actor=actor, why=_("委托人已解除委托"))
    extra = _("已取消您与其的%(n)d个会见预约。") % {"n": len(cancelled)} if cancelled else ""
    notify_user(
        binding.lawyer,
        kind="binding_revoked",
        context=_context(binding, note=note or str(BindingEndReason.REVOKED.label), cancelled=extra),
    )
    return binding


@transaction.atomic
def binding_end(*, binding: Binding, actor: Actor, reason: str = BindingEndReason.LAWYER, note: str = "") -> Binding:
    """End an active binding (by default the lawyer's own ending). The seat
    is free again and the lawyer's future bookings with the detainee are
    cancelled."""
    note = clean_text(note, field=(Binding, "end_note"), code="reason", label=_("说明"))
    _move(
        binding,
        "end",
        actor=actor,
        fields=["end_reason"],
        ended_at=timezone.now(),
        ended_by=actor.user,
        end_reason=reason,
        end_note=(note or "").strip(),
    )
    _cancel_future_bookings(binding, actor=actor, why=str(BindingEndReason(reason).label))
    return binding


@transaction.atomic
def binding_create(*, lawyer, detainee: Detainee, case=None, actor: Actor | None = None) -> Binding:
    """Record an active binding of *lawyer* to *detainee* (for *case*) at once,
    as after a verification (demo data, imports, tests); *actor* is the
    officer who verified it, if any.

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
        verified_by=actor.user if actor is not None and actor.user is not None and actor.user != lawyer else None,
    )
    binding.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            binding.save()
    except IntegrityError as exc:
        raise Conflict("binding_conflict", _("该在押人员的委托关系刚刚发生变化，请刷新后重试。"), status=409) from exc
    _audit(binding, None, "create", actor=actor, fields=["lawyer", "detainee", "case", "seat", "status"])
    return binding
