"""Complaints, penalties and discipline (A4): a body registers a complaint
against a lawyer or firm within its jurisdiction with a first opinion and
evidence, records its handling, and decides it (with a penalty or not) or
dismisses it. A penalty is recorded and changed only by the body that
decided it: a bureau's administrative penalties, a bar association's
industry sanctions. A suspension or revocation changes the registry in the
same transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvshi.audit.services import audit_record
from lvshi.calendar.workdays import local_date
from lvshi.core.actor import Actor
from lvshi.core.errors import Conflict, DomainError
from lvshi.core.text import clean_text
from lvshi.core.uploads import check_upload
from lvshi.orgs.models import FIRM_KINDS, Organisation, OrgKind
from lvshi.orgs.permissions import require

from ..flows import COMPLAINT
from ..history import record_changes
from ..inputs import as_amount, as_date, as_int, as_optional_date
from ..models import (
    ADMINISTRATIVE,
    INDUSTRY,
    ChangeCause,
    Complaint,
    Evidence,
    Firm,
    FirmStatus,
    HandlingStep,
    Lawyer,
    LawyerStatus,
    Penalty,
)
from ..scope import reach_of
from .files import store_files

MAX_EVIDENCE = 10


def _subject(body: Organisation, lawyer_id: Any, firm_id: Any) -> tuple[Lawyer | None, Organisation]:
    """The lawyer (and their firm) or the firm complained of, within the body's jurisdiction."""
    lawyer = None
    if lawyer_id not in (None, ""):
        lawyer = Lawyer.objects.select_related("organisation").filter(pk=as_int(lawyer_id)).first()
        firm = lawyer.organisation if lawyer else None
    else:
        firm = Organisation.objects.filter(pk=as_int(firm_id), kind__in=FIRM_KINDS).first()
    # The actor acts at *body* (the callers check it): the body's reach is theirs.
    if firm is None or not firm.path.startswith(reach_of(body.kind, body.path)):
        raise DomainError(
            "subject_unknown", _("请选择本机关管辖范围内的律师或律师事务所。"), details={"field": "lawyer"}
        )
    return lawyer, firm


def complaint_register(
    *, actor: Actor, body: Organisation, data: Mapping[str, Any], uploads: Iterable[Any] = ()
) -> Complaint:
    require(actor.user, "bureau.handle_complaint", body)
    lawyer, firm = _subject(body, data.get("lawyer"), data.get("firm"))
    uploads = list(uploads)
    if len(uploads) > MAX_EVIDENCE:
        raise DomainError("too_many_files", _("证据材料一次最多上传%(n)d个文件。") % {"n": MAX_EVIDENCE})
    checked = [check_upload(u, label=_("证据材料")) for u in uploads]
    received = as_date(data.get("received_on"), "received_on", _("收到日期"))
    assert received is not None  # required
    if received > local_date(timezone.now()):
        raise DomainError("received_on_future", _("收到日期不能晚于今天。"), details={"field": "received_on"})
    complaint = Complaint(
        body=body,
        lawyer=lawyer,
        firm=firm,
        received_on=received,
        created_by=actor.user,
        complainant=clean_text(data.get("complainant"), field=(Complaint, "complainant"), required=_("请填写投诉人。")),
        complainant_phone=clean_text(data.get("complainant_phone"), field=(Complaint, "complainant_phone")),
        facts=clean_text(data.get("facts"), field=(Complaint, "facts"), required=_("请填写投诉事实。"), limit=5000),
        first_opinion=clean_text(
            data.get("first_opinion"), field=(Complaint, "first_opinion"), required=_("请填写初步处理意见。")
        ),
    )
    with transaction.atomic():
        complaint.save()
        store_files(Evidence, checked, complaint=complaint)
        audit_record(
            action="bureau.complaint_register",
            actor=actor,
            obj=complaint,
            organisation=body,
            after={"lawyer": lawyer.licence_no if lawyer else "", "firm": firm.name, "evidence": len(checked)},
        )
    return complaint


def complaint_step(*, complaint: Complaint, actor: Actor, text: Any) -> HandlingStep:
    """Record how the complaint is being handled (the first step opens the handling)."""
    require(actor.user, "bureau.handle_complaint", complaint)
    words = clean_text(text, field=(HandlingStep, "text"), required=_("请填写处理情况。"))
    with transaction.atomic():
        if complaint.status == "registered":
            COMPLAINT.apply(complaint, "handle", actor=actor, message=words)
        elif complaint.status != "handling":
            raise Conflict("complaint_closed", _("该投诉已办结，不能再登记处理情况。"))
        step = HandlingStep.objects.create(complaint=complaint, text=words, actor=actor.user)
        audit_record(action="bureau.complaint_step", actor=actor, obj=complaint, message=words)
    return step


def complaint_dismiss(*, complaint: Complaint, actor: Actor, reason: str) -> Complaint:
    COMPLAINT.apply(complaint, "dismiss", actor=actor, reason=reason)
    return complaint


def complaint_decide(*, complaint: Complaint, actor: Actor, penalty: Mapping[str, Any] | None = None) -> Complaint:
    """Decide the complaint, recording its penalty (by the same body) if there is one."""
    with transaction.atomic():
        COMPLAINT.apply(complaint, "decide", actor=actor)
        if penalty:
            penalty_record(
                actor=actor,
                body=complaint.body,
                data={**penalty, "lawyer": complaint.lawyer_id, "firm": complaint.firm_id},
                complaint=complaint,
            )
    return complaint


def _penalty_fields(body: Organisation, data: Mapping[str, Any]) -> dict[str, Any]:
    kind = str(data.get("kind") or "")
    allowed = INDUSTRY if body.kind == OrgKind.BAR_ASSOCIATION else ADMINISTRATIVE
    if kind not in allowed:
        raise DomainError(
            "kind_not_allowed",
            _("律师协会只能作出行业处分，司法行政机关只能作出行政处罚，请选择相应的种类。"),
            details={"field": "kind"},
        )
    fields: dict[str, Any] = {
        "kind": kind,
        "decision_no": clean_text(
            data.get("decision_no"), field=(Penalty, "decision_no"), required=_("请填写决定书文号。")
        ),
        "reason": clean_text(data.get("reason"), field=(Penalty, "reason"), required=_("请填写违法违规事实。")),
        "decided_on": as_date(data.get("decided_on"), "decided_on", _("决定日期")),
        "starts_on": as_optional_date(data.get("starts_on"), "starts_on", _("执行开始")),
        "ends_on": as_optional_date(data.get("ends_on"), "ends_on", _("执行结束")),
        "amount": None
        if data.get("amount") in (None, "")
        else as_amount(data["amount"], "amount", _("金额应为大于0的数，最多两位小数。")),
        "public_until": as_optional_date(data.get("public_until"), "public_until", _("公示截止")),
    }
    if kind in ("suspension", "firm_suspension", "membership_suspended") and not (
        fields["starts_on"] and fields["ends_on"]
    ):
        raise DomainError(
            "period_required", _("停止执业、停业整顿和中止会员权利须填写执行期间。"), details={"field": "starts_on"}
        )
    if fields["ends_on"] and (fields["starts_on"] is None or fields["ends_on"] < fields["starts_on"]):
        raise DomainError("period_invalid", _("执行结束日期不能早于开始日期。"), details={"field": "ends_on"})
    if kind in ("fine", "confiscation") and fields["amount"] is None:
        raise DomainError("amount_required", _("罚款和没收违法所得须填写金额。"), details={"field": "amount"})
    return fields


def _effects(penalty: Penalty, actor: Actor) -> None:
    """What a penalty does to the registry: a suspended or revoked licence, a firm closed for rectification."""
    today = local_date(timezone.now())
    lawyer = penalty.lawyer
    if lawyer is not None and penalty.kind in ("suspension", "revocation"):
        if penalty.kind == "suspension" and penalty.ends_on is not None and penalty.ends_on < today:
            return  # a suspension already served changes nothing now
        target = LawyerStatus.CANCELLED if penalty.kind == "revocation" else LawyerStatus.SUSPENDED
        before = lawyer.status
        Lawyer.objects.filter(pk=lawyer.pk).update(status=target)
        record_changes(
            lawyer, {"status": (before, target)}, cause=ChangeCause.PENALTY, reference=penalty.decision_no, actor=actor
        )
    if penalty.kind == "firm_suspension":
        Firm.objects.filter(organisation=penalty.firm).update(status=FirmStatus.SUSPENDED)


def penalty_record(
    *, actor: Actor, body: Organisation, data: Mapping[str, Any], complaint: Complaint | None = None
) -> Penalty:
    require(actor.user, "bureau.decide_penalty", body)
    lawyer, firm = _subject(body, data.get("lawyer"), data.get("firm"))
    penalty = Penalty(
        body=body, complaint=complaint, lawyer=lawyer, firm=firm, created_by=actor.user, **_penalty_fields(body, data)
    )
    try:
        with transaction.atomic():
            penalty.save()
            _effects(penalty, actor)
            audit_record(
                action="bureau.penalty_record",
                actor=actor,
                obj=penalty,
                organisation=body,
                after={
                    "kind": penalty.kind,
                    "decision_no": penalty.decision_no,
                    "lawyer": lawyer.licence_no if lawyer else "",
                    "firm": firm.name,
                },
            )
    except IntegrityError as exc:
        raise Conflict("decision_no_taken", _("本机关已登记该文号的决定书，请核对文号。")) from exc
    return penalty


def penalty_update(*, penalty: Penalty, actor: Actor, data: Mapping[str, Any]) -> Penalty:
    """Correct a penalty: only the body that decided it (its subject stays)."""
    require(actor.user, "bureau.decide_penalty", penalty)
    fields = _penalty_fields(penalty.body, data)
    before = {k: str(getattr(penalty, k) or "") for k in fields}
    try:
        with transaction.atomic():
            Penalty.objects.filter(pk=penalty.pk).update(**fields, updated_at=timezone.now())
            audit_record(
                action="bureau.penalty_update",
                actor=actor,
                obj=penalty,
                organisation=penalty.body,
                before=before,
                after={k: str(v or "") for k, v in fields.items()},
            )
    except IntegrityError as exc:
        raise Conflict("decision_no_taken", _("本机关已登记该文号的决定书，请核对文号。")) from exc
    penalty.refresh_from_db()
    return penalty
