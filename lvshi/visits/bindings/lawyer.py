from __future__ import annotations

from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvshi.core.actor import Actor
from lvshi.core.errors import Conflict, DomainError, PermissionDenied
from lvshi.orgs import scope
from lvshi.orgs.models import Organisation, Role

from ..models import (
    OPEN_BINDING,
    Binding,
    Case,
    Detainee,
    DetaineeStatus,
    DocumentKind,
)
from .base import REQUIRED_DOCUMENTS, S
from .selectors import submit_centres
from .steps import CO_DEFENDANT_MESSAGE, _audit, _check_documents, _co_defendant_bindings, _move, _store

# --- the lawyer's side ---------------------------------------------------------------------


@transaction.atomic
def binding_submit(
    *,
    actor: Actor,
    centre: Organisation | int | None,
    detainee_name: str,
    centre_number: str,
    case_number: str = "",
    legal_aid: bool = False,
    documents: Mapping[str, object],
) -> Binding:
    """The lawyer's pre-check: the detainee as written on the power of
    attorney (centre, name, centre number), the documents, and whether it is
    a legal-aid case. The binding waits for the centre's review."""
    lawyer = actor.user
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
        actor=actor,
        fields=["lawyer", "detainee", "case", "status", "legal_aid"],
        message=", ".join(checked),
    )
    return binding


@transaction.atomic
def binding_resubmit(
    *, binding: Binding, actor: Actor, documents: Mapping[str, object], case_number: str | None = None
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
    _move(binding, "resubmit", actor=actor, fields=["case"], message=", ".join(checked), **values)
    _store(binding, checked, actor.user)
    return binding


@transaction.atomic
def binding_withdraw(*, binding: Binding, actor: Actor) -> Binding:
    _move(binding, "withdraw", actor=actor, ended_at=timezone.now(), ended_by=actor.user)
    return binding
