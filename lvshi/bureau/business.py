"""What each business type's form asks for, declared once and used by the
page's form, the API and the service's validation; identity numbers are
kept encrypted in the application's data, shown masked."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvshi.accounts.identity import mask_id_number, normalize_credit_code, normalize_id_number, normalize_mobile
from lvshi.core import crypto
from lvshi.core.errors import DomainError
from lvshi.core.text import StrOrPromise, clean_text

from .models import Business, FirmForm, LawyerKind, PersonGender


@dataclass(frozen=True)
class Field:
    key: str
    label: StrOrPromise
    kind: str = "text"  # text, long, choice, id_number, mobile, credit_code, date, firm
    required: bool = True
    choices: tuple[tuple[str, StrOrPromise], ...] = ()
    limit: int = 100


@dataclass(frozen=True)
class Form:
    fields: tuple[Field, ...]
    lawyer: bool = False  # about one lawyer of the firm
    yearly: bool = False  # once a year (assessment, inspection)
    any_of: tuple[str, ...] = field(default=())  # at least one of these


def _choices(enum) -> tuple[tuple[str, StrOrPromise], ...]:
    return tuple(enum.choices)


CANCEL_REASONS = (
    ("request", gettext_lazy("本人申请注销")),
    ("left", gettext_lazy("离开律师事务所不再执业")),
    ("other", gettext_lazy("其他法定情形")),
)

FORMS: dict[str, Form] = {
    Business.LICENCE_ISSUE: Form(
        (
            Field("name", gettext_lazy("申请人姓名"), limit=50),
            Field("gender", gettext_lazy("性别"), "choice", choices=_choices(PersonGender)),
            Field("id_number", gettext_lazy("身份证号码"), "id_number"),
            Field("mobile", gettext_lazy("手机号码"), "mobile"),
            Field("kind", gettext_lazy("律师类别"), "choice", choices=_choices(LawyerKind)),
            Field("intern_certificate", gettext_lazy("实习证号"), required=False, limit=30),
            Field("education", gettext_lazy("学历"), required=False, limit=30),
        )
    ),
    Business.LICENCE_CHANGE: Form(
        (
            Field("firm", gettext_lazy("转入律师事务所（统一社会信用代码）"), "firm", required=False),
            Field("kind", gettext_lazy("变更后律师类别"), "choice", required=False, choices=_choices(LawyerKind)),
            Field("reason", gettext_lazy("变更理由"), "long", limit=300),
        ),
        lawyer=True,
        any_of=("firm", "kind"),
    ),
    Business.LICENCE_CANCEL: Form(
        (
            Field("cause", gettext_lazy("注销原因"), "choice", choices=CANCEL_REASONS),
            Field("reason", gettext_lazy("说明"), "long", required=False, limit=300),
        ),
        lawyer=True,
    ),
    Business.FIRM_ESTABLISH: Form(
        (
            Field("name", gettext_lazy("律师事务所名称")),
            Field("credit_code", gettext_lazy("统一社会信用代码"), "credit_code"),
            Field("form", gettext_lazy("组织形式"), "choice", choices=_choices(FirmForm)),
            Field("head", gettext_lazy("负责人"), limit=50),
            Field("address", gettext_lazy("住所"), limit=200),
            Field("phone", gettext_lazy("联系电话"), required=False, limit=30),
        )
    ),
    Business.FIRM_CHANGE: Form(
        (
            Field("name", gettext_lazy("变更后名称"), required=False),
            Field("head", gettext_lazy("变更后负责人"), required=False, limit=50),
            Field("address", gettext_lazy("变更后住所"), required=False, limit=200),
            Field("reason", gettext_lazy("变更理由"), "long", limit=300),
        ),
        any_of=("name", "head", "address"),
    ),
    Business.FIRM_CLOSE: Form((Field("reason", gettext_lazy("注销理由"), "long", limit=300),)),
    Business.ASSESSMENT: Form(
        (Field("summary", gettext_lazy("年度执业总结"), "long", limit=2000),), lawyer=True, yearly=True
    ),
    Business.INSPECTION: Form((Field("summary", gettext_lazy("年度执业和管理情况"), "long", limit=2000),), yearly=True),
}


def _error(f: Field, code: str, message: str) -> DomainError:
    return DomainError(f"{f.key}_{code}", message, details={"field": f.key})


def _clean_one(f: Field, raw: Any) -> str:
    text = clean_text(raw if isinstance(raw, str | int) else "", field=None, code=f.key, label=str(f.label), limit=500)
    if not text:
        if f.required:
            raise _error(f, "required", _("请填写%(label)s。") % {"label": f.label})
        return ""
    try:
        if f.kind == "id_number":
            return normalize_id_number(text)
        if f.kind == "mobile":
            return normalize_mobile(text)
        if f.kind in ("credit_code", "firm"):
            return normalize_credit_code(text)
    except ValidationError as exc:
        raise _error(f, "invalid", f"{f.label}：{exc.messages[0]}") from exc
    if f.kind == "choice" and text not in {str(v) for v, _label in f.choices}:
        raise _error(f, "invalid", _("%(label)s的取值无效，请从列表中选择。") % {"label": f.label})
    if f.kind == "date":
        try:
            date.fromisoformat(text)
        except ValueError as exc:
            raise _error(f, "invalid", _("%(label)s应为日期，例如 2026-01-31。") % {"label": f.label}) from exc
    if len(text) > f.limit:
        raise _error(
            f,
            "too_long",
            _("%(label)s不能超过%(n)d字（现为%(length)d字），请精简后再提交。")
            % {"label": f.label, "n": f.limit, "length": len(text)},
        )
    return text


def clean_data(business: str, raw: Mapping[str, Any] | None) -> dict[str, str]:
    """The form's fields of *business* from *raw*, checked; an identity
    number is kept encrypted (``id_number``) beside its masked form."""
    form = FORMS[business]
    raw = raw if isinstance(raw, Mapping) else {}
    data: dict[str, str] = {}
    for f in form.fields:
        value = _clean_one(f, raw.get(f.key))
        if f.kind == "id_number" and value:
            data["id_number_masked"] = mask_id_number(value)
            data["id_number_hash"] = crypto.blind_index(value)
            value = crypto.encrypt(value)
        data[f.key] = value
    if form.any_of and not any(data.get(k) for k in form.any_of):
        labels = "、".join(str(f.label) for f in form.fields if f.key in form.any_of)
        raise DomainError("nothing_changed", _("请至少填写一项变更内容：%(labels)s。") % {"labels": labels})
    return data


def shown(business: str, data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The form's fields as label and value, for pages (identity masked)."""
    rows = []
    for f in FORMS[business].fields:
        value = str(data.get(f.key, "") or "")
        if f.kind == "id_number":
            value = str(data.get("id_number_masked", ""))
        elif f.kind == "choice" and value:
            value = str(dict(f.choices).get(value, value))
        rows.append((str(f.label), value))
    return rows
