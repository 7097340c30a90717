"""Correction requests (A2): what a firm may not change itself goes, with
evidence, to its city bureau, which corrects it, refuses, or forwards it to
the province; a penalty's record goes to the body that decided it. An
approved correction changes the record in the same transaction, each field
kept in the lawyer's history."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvshi.audit.services import audit_record
from lvshi.core.actor import Actor
from lvshi.core.errors import Conflict, DomainError
from lvshi.core.text import clean_text
from lvshi.core.uploads import check_upload
from lvshi.orgs.models import Organisation, OrgKind
from lvshi.orgs.permissions import require

from ..flows import CORRECTION
from ..history import record_changes
from ..inputs import as_int
from ..models import ChangeCause, Correction, CorrectionFile, Firm, Lawyer, Penalty
from . import registry
from .files import store_files

MAX_FILES = 10
# What a correction may ask for: a lawyer's fields the firm may not change, the firm's, a penalty's.
FIRM_FIELDS = {"name": gettext_lazy("名称"), "head": gettext_lazy("负责人"), "address": gettext_lazy("住所")}
PENALTY_FIELDS = {"decision_no": gettext_lazy("决定书文号"), "reason": gettext_lazy("违法违规事实")}
LAWYER_FIELDS = ("name", "gender", "kind", "first_licensed_on")


def _bureau_above(org: Organisation) -> Organisation:
    ids = [int(p) for p in org.path.strip("/").split("/")[:-1]]
    bureaus = Organisation.objects.filter(pk__in=ids, kind=OrgKind.JUSTICE_BUREAU).order_by("-path")
    body = bureaus.first()
    if body is None:
        raise Conflict("no_competent_body", _("未找到受理更正申请的司法局，请联系上级机关。"))
    return body


def _current(target: Any, name: str) -> str:
    if isinstance(target, Firm):
        source = target.organisation if name in ("name", "address") else target
        return str(getattr(source, name) or "")
    return str(getattr(target, name) or "")


def correction_request(
    *,
    actor: Actor,
    organisation: Organisation,
    changes: Mapping[str, Any],
    reason: Any,
    lawyer_id: Any = None,
    penalty_id: Any = None,
    uploads: Iterable[Any] = (),
) -> Correction:
    """Ask for *changes* ({field: new value}) to one of the firm's lawyers,
    the firm itself (neither given) or a penalty of the firm's."""
    draft = Correction(organisation=organisation)
    require(actor.user, "bureau.request_correction", draft)
    target: Any
    if penalty_id not in (None, ""):
        target = Penalty.objects.select_related("body").filter(pk=as_int(penalty_id), firm=organisation).first()
        allowed: Mapping[str, Any] = PENALTY_FIELDS
        body = target.body if target else None
    elif lawyer_id not in (None, ""):
        target = Lawyer.objects.filter(pk=as_int(lawyer_id), organisation=organisation).first()
        allowed = {k: registry.FIELDS[k][0] for k in LAWYER_FIELDS}
        body = _bureau_above(organisation) if target else None
    else:
        target = Firm.objects.select_related("organisation").filter(organisation=organisation).first()
        allowed = FIRM_FIELDS
        body = _bureau_above(organisation) if target else None
    if target is None or body is None:
        raise DomainError(
            "target_unknown", _("请选择本所的律师、本所或本所受到的处罚处分。"), details={"field": "lawyer"}
        )
    diff: dict[str, dict[str, str]] = {}
    for name, value in (changes or {}).items():
        if name not in allowed:
            raise DomainError("field_unknown", _("不能申请更正该项：%(f)s。") % {"f": name}, details={"field": name})
        after = (
            registry.clean_field(name, value)
            if isinstance(target, Lawyer)
            else clean_text(
                value, field=None, code=name, label=str(allowed[name]), limit=500, required=_("请填写更正后的内容。")
            )
        )
        before = _current(target, name)
        if str(after or "") != before:
            diff[name] = {"label": str(allowed[name]), "before": before, "after": str(after or "")}
    if not diff:
        raise DomainError("nothing_changed", _("更正后的内容与现有记录相同，无需申请。"))
    files = list(uploads)
    if not files:
        raise DomainError("evidence_required", _("请上传证明材料（如身份证、学历证书或决定书的扫描件）。"))
    if len(files) > MAX_FILES:
        raise DomainError("too_many_files", _("证明材料一次最多上传%(n)d个文件。") % {"n": MAX_FILES})
    checked = [check_upload(f, label=_("证明材料")) for f in files]
    text = clean_text(reason, field=(Correction, "reason"), required=_("请说明更正理由。"))
    correction = Correction(
        organisation=organisation,
        lawyer=target if isinstance(target, Lawyer) else None,
        penalty=target if isinstance(target, Penalty) else None,
        changes=diff,
        reason=text,
        body=body,
        created_by=actor.user,
    )
    with transaction.atomic():
        correction.save()
        store_files(CorrectionFile, checked, correction=correction)
        audit_record(
            action="bureau.correction_request",
            actor=actor,
            obj=correction,
            organisation=organisation,
            after={"body": body.name, "changes": diff},
        )
    return correction


def correction_forward(*, correction: Correction, actor: Actor, opinion: str) -> Correction:
    """The city sends what it may not decide to the province."""
    if correction.penalty_id is not None:
        raise Conflict("decide_here", _("处罚处分的更正由作出决定的机关处理，不能报送。"))
    province = _bureau_above(correction.body) if correction.body.parent_id else None
    if province is None:
        raise Conflict("no_higher_body", _("没有上级机关可以报送。"))
    CORRECTION.apply(
        correction, "forward", actor=actor, message=opinion, values={"body": province}, organisation=correction.body
    )
    return correction


def _apply(correction: Correction, actor: Actor) -> None:
    values = {k: v["after"] for k, v in correction.changes.items()}
    if correction.lawyer_id is not None:
        lawyer = Lawyer.objects.select_for_update().get(pk=correction.lawyer_id)
        cleaned = {k: registry.clean_field(k, v) for k, v in values.items()}
        before = {k: (_current(lawyer, k), str(v or "")) for k, v in cleaned.items()}
        Lawyer.objects.filter(pk=lawyer.pk).update(**cleaned)
        record_changes(
            lawyer, before, cause=ChangeCause.CORRECTION, reference=f"correction-{correction.pk}", actor=actor
        )
    elif correction.penalty_id is not None:
        Penalty.objects.filter(pk=correction.penalty_id).update(**values, updated_at=timezone.now())
    else:
        org_values = {k: v for k, v in values.items() if k in ("name", "address")}
        if org_values:
            Organisation.objects.filter(pk=correction.organisation_id).update(**org_values)
        if "head" in values:
            Firm.objects.filter(organisation_id=correction.organisation_id).update(head=values["head"])


def correction_approve(*, correction: Correction, actor: Actor, opinion: str = "") -> Correction:
    with transaction.atomic():
        CORRECTION.apply(
            correction,
            "approve",
            actor=actor,
            message=opinion,
            values={"decided_at": timezone.now(), "decision": opinion[:300]},
        )
        _apply(correction, actor)
    return correction


def correction_reject(*, correction: Correction, actor: Actor, reason: str) -> Correction:
    CORRECTION.apply(
        correction,
        "reject",
        actor=actor,
        reason=reason,
        values={"decided_at": timezone.now(), "decision": (reason or "")[:300]},
    )
    return correction
