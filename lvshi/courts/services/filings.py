"""The lawyer's online filing (C2): a draft saved step by step, the
completeness check (a dry run of the submission), submit and delete."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvshi.audit.services import audit_record
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.core.text import clean_text
from lvshi.orgs.permissions import require

from .. import fees
from ..flows import FILING
from ..models import ApplicationType, CaseType, Court, FileKind, Filing, FilingStatus, PartyKind, PartyRole

EDITABLE = (FilingStatus.DRAFT, FilingStatus.RETURNED)
# The side that files (whose identity the lawyer proves) and the other side.
FILER_ROLES = {PartyRole.PLAINTIFF, PartyRole.APPELLANT, PartyRole.APPLICANT}
OTHER_ROLES = {PartyRole.DEFENDANT, PartyRole.APPELLEE, PartyRole.RESPONDENT}

STEPS = (
    ("notice", gettext_lazy("立案须知")),
    ("type", gettext_lazy("案件类型")),
    ("info", gettext_lazy("立案信息")),
    ("service", gettext_lazy("送达地址")),
    ("court", gettext_lazy("受理法院")),
    ("materials", gettext_lazy("诉讼材料")),
    ("identity", gettext_lazy("实名认证")),
    ("preview", gettext_lazy("预览提交")),
)
STEP_KEYS = tuple(k for k, _label in STEPS)


@dataclass(frozen=True)
class Missing:
    step: str
    message: str


def _own(filing: Filing, actor: Actor) -> None:
    require(actor.user, "courts.own_filing", filing)
    if filing.status not in EDITABLE:
        raise DomainError(
            "not_editable",
            _("该立案已%(status)s，不能再修改。") % {"status": filing.get_status_display()},
            status=409,
        )


def filing_create(*, actor: Actor) -> Filing:
    require(actor.user, "courts.file")
    with transaction.atomic():
        filing = Filing.objects.create(lawyer=actor.user, entered_at=timezone.now())
        audit_record(action="courts.filing_create", actor=actor, obj=filing)
    return filing


def _claim(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError) as exc:
        raise DomainError("claim_invalid", _("诉讼标的额应为数字（元），如 150000 或 150000.50。")) from exc
    if not amount.is_finite() or amount < 0 or amount > fees.MAX_CLAIM or amount != amount.quantize(fees.FEN):
        raise DomainError("claim_invalid", _("诉讼标的额应在0至1万亿元之间，最多两位小数。"))
    return amount


def _plain(value: Any) -> Any:
    if isinstance(value, Court):
        return value.pk
    return str(value) if isinstance(value, Decimal) else value


FIELDS = {
    "notice_accepted",
    "case_type",
    "application_type",
    "cause",
    "claim_amount",
    "claims",
    "facts",
    "service_notice_accepted",
    "court",
    "mediation_consent",
}


def filing_update(*, filing: Filing, actor: Actor, changes: Mapping[str, Any]) -> Filing:
    """Save some of the filing's fields (one step's): each checked."""
    _own(filing, actor)
    unknown = set(changes) - FIELDS
    if unknown:
        raise DomainError("unknown_field", _("不能修改这些字段：%(f)s。") % {"f": "、".join(sorted(unknown))})
    values: dict[str, Any] = {}
    for key in ("notice_accepted", "service_notice_accepted", "mediation_consent"):
        if key in changes:
            values[key] = bool(changes[key])
    if "case_type" in changes:
        if changes["case_type"] not in ("", *CaseType.values):
            raise DomainError("case_type_invalid", _("请从列表中选择案件类型。"))
        values["case_type"] = changes["case_type"]
    if "application_type" in changes:
        if changes["application_type"] not in ("", *ApplicationType.values):
            raise DomainError("application_type_invalid", _("请从列表中选择申请类型。"))
        values["application_type"] = changes["application_type"]
    for key in ("cause", "claims", "facts"):
        if key in changes:
            values[key] = clean_text(changes[key], field=(Filing, key))
    if "claim_amount" in changes:
        values["claim_amount"] = _claim(changes["claim_amount"])
    if "court" in changes:
        court = changes["court"]
        if court in (None, ""):
            values["court"] = None
        else:
            court_id = court.pk if isinstance(court, Court) else court
            found = None
            if str(court_id).isdigit() and int(court_id) < 2**31:
                found = Court.objects.filter(pk=court_id, organisation__is_active=True).first()
            if found is None:
                raise DomainError("court_invalid", _("请从列表中选择受理法院。"))
            case_type = values.get("case_type", filing.case_type)
            if case_type and case_type not in found.case_types:
                raise DomainError("court_type", _("所选法院不受理该类型案件，请重新选择。"))
            values["court"] = found
    with transaction.atomic():
        for key, value in values.items():
            setattr(filing, key, value)
        filing.save()
        audit_record(
            action="courts.filing_update",
            actor=actor,
            obj=filing,
            after={k: _plain(v) for k, v in values.items() if k not in ("claims", "facts")},
        )
    return filing


def filing_check(filing: Filing) -> list[Missing]:
    """Everything the filing still lacks, by step: the submission's own
    check, offered before it (a dry run)."""
    missing: list[Missing] = []

    def need(step: str, message: str) -> None:
        missing.append(Missing(step, message))

    if not filing.notice_accepted:
        need("notice", _("请阅读并同意网上立案须知。"))
    if not filing.case_type:
        need("type", _("请选择案件类型。"))
    if not filing.application_type:
        need("type", _("请选择申请类型。"))
    if not filing.cause:
        need("info", _("请填写案由。"))
    if not filing.claims:
        need("info", _("请填写诉讼请求。"))
    parties = list(filing.parties.all())
    agents = list(filing.agents.all())
    files = list(filing.files.all())
    if not any(p.role in FILER_ROLES for p in parties):
        need("info", _("请添加至少一位原告（上诉人、申请人）。"))
    if not any(p.role in OTHER_ROLES for p in parties):
        need("info", _("请添加至少一位被告（被上诉人、被申请人）。"))
    for p in parties:
        if p.kind == PartyKind.ORGANISATION and p.role in FILER_ROLES and not (p.credit_code and p.representative):
            need("info", _("%(name)s：请填写统一社会信用代码和法定代表人。") % {"name": p.name})
        if p.role in FILER_ROLES and not p.id_number_hash:
            need("info", _("%(name)s：请填写身份证号码（法人填写法定代表人的）。") % {"name": p.name})
    if not agents:
        need("info", _("请添加代理人（至少包括您本人）。"))
    elif filing.lawyer.licence_no not in {a.licence_no for a in agents}:
        need("info", _("代理人中应包括您本人（按执业证号核对）。"))
    if not filing.service_notice_accepted:
        need("service", _("请阅读并确认送达地址确认书。"))
    for p in parties:
        if not p.service_address:
            need("service", _("%(name)s：请填写送达地址。") % {"name": p.name})
    if filing.court is None:
        need("court", _("请选择受理法院。"))
    elif filing.case_type and filing.case_type not in filing.court.case_types:
        need("court", _("所选法院不受理该类型案件，请重新选择。"))
    if not any(f.kind == FileKind.COMPLAINT for f in files):
        need("materials", _("请上传起诉状（申请书）。"))
    for p in parties:
        if p.role not in FILER_ROLES:
            continue
        kinds = {f.kind for f in files if f.party_id == p.pk}
        if FileKind.ID_FRONT not in kinds or FileKind.ID_BACK not in kinds:
            need("identity", _("%(name)s：请上传身份证正反面（法人上传法定代表人的）。") % {"name": p.name})
    return missing


def steps_done(filing: Filing, missing: list[Missing] | None = None) -> int:
    """How many of the steps before the preview are complete."""
    missing = filing_check(filing) if missing is None else missing
    open_steps = {m.step for m in missing}
    return sum(1 for key in STEP_KEYS[:-1] if key not in open_steps)


def filing_submit(*, filing: Filing, actor: Actor) -> Filing:
    """Submit to the court, once nothing is missing; a returned filing is
    submitted again the same way."""
    _own(filing, actor)
    missing = filing_check(filing)
    if missing:
        raise DomainError(
            "incomplete",
            _("立案材料尚不完整（%(n)d项），请按提示补充后再提交。") % {"n": len(missing)},
            details={"missing": [{"step": m.step, "message": m.message} for m in missing]},
        )
    FILING.apply(
        filing,
        "submit",
        actor=actor,
        values={"submitted_at": timezone.now(), "return_code": "", "return_reason": ""},
    )
    return filing


def filing_delete(*, filing: Filing, actor: Actor) -> Filing:
    FILING.apply(filing, "delete", actor=actor)
    return filing
