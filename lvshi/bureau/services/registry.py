"""Changing the registry by hand: a firm keeps the fields its role allows
(contact, photo, education and work history); a bureau changes the rest.
Anything a firm may not change goes up as a correction request. Every
changed field of a lawyer is kept in the lawyer's history."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lvshi.accounts.identity import normalize_mobile
from lvshi.audit.services import audit_record
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError, PermissionDenied
from lvshi.core.text import clean_text
from lvshi.core.uploads import JPEG, PNG, check_upload, store_upload
from lvshi.orgs.permissions import require

from ..history import FIELDS, record_changes
from ..inputs import as_optional_date
from ..models import Career, ChangeCause, Education, Lawyer, LawyerKind, PersonGender
from ..scope import BUREAU, within

FIRM_FIELDS = tuple(k for k, (_label, firm) in FIELDS.items() if firm)
PHOTO_MAX_BYTES = 2 * 1024 * 1024


def clean_field(name: str, raw: Any) -> Any:
    """One field of a lawyer's record, checked (a ``DomainError`` naming the field)."""
    label = str(FIELDS[name][0])
    text = clean_text(raw if isinstance(raw, str) else "", field=(Lawyer, name if name != "organisation" else "name"))
    try:
        if name == "mobile":
            return normalize_mobile(text) if text else ""
        if name == "first_licensed_on":
            return date.fromisoformat(text) if text else None
    except (ValidationError, ValueError) as exc:
        message = exc.messages[0] if isinstance(exc, ValidationError) else _("应为日期，例如 2020-05-01。")
        raise DomainError(f"{name}_invalid", f"{label}：{message}", details={"field": name}) from exc
    if name == "name" and not text:
        raise DomainError("name_required", _("请填写姓名。"), details={"field": name})
    choices = {"gender": PersonGender, "kind": LawyerKind}.get(name)
    if choices is not None and text not in choices.values:
        raise DomainError(
            f"{name}_invalid", _("%(label)s的取值无效，请从列表中选择。") % {"label": label}, details={"field": name}
        )
    return text


def lawyer_update(*, lawyer: Lawyer, actor: Actor, values: Mapping[str, Any]) -> Lawyer:
    """Change fields of *lawyer*'s record. A firm administrator may change
    only :data:`FIRM_FIELDS`; the rest needs a bureau (or a correction request)."""
    require(actor.user, "bureau.view_registry", lawyer)
    bureau = within(actor.user, lawyer.organisation, BUREAU)
    unknown = [k for k in values if k not in FIELDS or k in ("organisation", "status")]
    if unknown:
        raise DomainError("field_unknown", _("不能直接修改这些字段：%(f)s。") % {"f": "、".join(unknown)})
    if not bureau:
        require(actor.user, "bureau.maintain_firm", lawyer)
        locked = [str(FIELDS[k][0]) for k in values if not FIELDS[k][1]]
        if locked:
            raise PermissionDenied(
                "correction_needed",
                _("%(f)s须由司法行政机关修改：请提交更正申请并附证明材料。") % {"f": "、".join(locked)},
            )
    cleaned = {k: clean_field(k, v) for k, v in values.items()}
    changes = {k: (str(getattr(lawyer, k) or ""), str(v or "")) for k, v in cleaned.items()}
    with transaction.atomic():
        Lawyer.objects.filter(pk=lawyer.pk).update(**cleaned)
        record_changes(lawyer, changes, cause=ChangeCause.EDIT, actor=actor)
        audit_record(
            action="bureau.lawyer_update",
            actor=actor,
            obj=lawyer,
            before={k: b for k, (b, _a) in changes.items()},
            after={k: a for k, (_b, a) in changes.items()},
        )
    lawyer.refresh_from_db()
    return lawyer


def lawyer_photo(*, lawyer: Lawyer, actor: Actor, upload: Any) -> Lawyer:
    """A photo, checked by its content (JPEG or PNG, at most 2 MB)."""
    require(actor.user, "bureau.view_registry", lawyer)
    if not within(actor.user, lawyer.organisation, BUREAU):
        require(actor.user, "bureau.maintain_firm", lawyer)
    checked = check_upload(upload, label=_("照片"), allowed=(JPEG, PNG), max_bytes=PHOTO_MAX_BYTES)
    with transaction.atomic():
        store_upload(lawyer.photo, checked)
        lawyer.save(update_fields=["photo", "updated_at"])
        audit_record(action="bureau.lawyer_photo", actor=actor, obj=lawyer, after={"sha256": checked.sha256})
    return lawyer


def lawyer_background_add(*, lawyer: Lawyer, actor: Actor, kind: str, data: Mapping[str, Any]) -> Any:
    """Add a line of a lawyer's education (school, major, degree) or work history (employer, position)."""
    require(actor.user, "bureau.view_registry", lawyer)
    if not within(actor.user, lawyer.organisation, BUREAU):
        require(actor.user, "bureau.maintain_firm", lawyer)
    start = as_optional_date(data.get("start"), "start", _("开始"))
    end = as_optional_date(data.get("end"), "end", _("结束"))
    if start and end and end < start:
        raise DomainError("end_invalid", _("结束日期不能早于开始日期。"), details={"field": "end"})
    if kind == "education":
        row: Any = Education(
            lawyer=lawyer,
            start=start,
            end=end,
            school=clean_text(data.get("place"), field=(Education, "school"), required=_("请填写学校。")),
            major=clean_text(data.get("detail"), field=(Education, "major")),
            degree=clean_text(data.get("degree"), field=(Education, "degree")),
        )
    elif kind == "career":
        row = Career(
            lawyer=lawyer,
            start=start,
            end=end,
            employer=clean_text(data.get("place"), field=(Career, "employer"), required=_("请填写单位。")),
            position=clean_text(data.get("detail"), field=(Career, "position")),
        )
    else:
        raise DomainError("kind_invalid", _("请选择学习经历或工作经历。"), details={"field": "kind"})
    with transaction.atomic():
        row.save()
        audit_record(
            action="bureau.lawyer_background", actor=actor, obj=lawyer, after={"kind": kind, "place": str(row)}
        )
    return row
