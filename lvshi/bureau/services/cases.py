"""The case register (A6): a firm registers the cases its lawyers take and
close; a letter of introduction is issued only for a registered, open case
of a practising lawyer, with a code anyone can check."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lvshi.audit.services import audit_record
from lvshi.calendar.workdays import local_date
from lvshi.core.actor import Actor
from lvshi.core.errors import Conflict, DomainError
from lvshi.core.text import clean_text
from lvshi.orgs.models import Organisation
from lvshi.orgs.permissions import require

from ..inputs import as_amount, as_date, as_int
from ..models import CaseRecord, Lawyer, LawyerStatus, Letter, LetterKind, MatterType

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
LETTER_MAX_DAYS = 90


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def _lawyer(org: Organisation, raw: Any, field: str, *, required: bool = True) -> Lawyer | None:
    if raw in (None, "") and not required:
        return None
    lawyer = Lawyer.objects.filter(pk=as_int(raw), organisation=org).first()
    if lawyer is None:
        raise DomainError(f"{field}_unknown", _("请选择本所的律师。"), details={"field": field})
    return lawyer


def case_register(*, actor: Actor, organisation: Organisation, data: dict[str, Any]) -> CaseRecord:
    draft = CaseRecord(organisation=organisation)
    require(actor.user, "bureau.register_cases", draft)
    lawyer = _lawyer(organisation, data.get("lawyer"), "lawyer")
    assert lawyer is not None  # required: refused above when missing
    co_lawyer = _lawyer(organisation, data.get("co_lawyer"), "co_lawyer", required=False)
    if co_lawyer is not None and co_lawyer == lawyer:
        raise DomainError("co_lawyer_same", _("协办律师不能与承办律师相同。"), details={"field": "co_lawyer"})
    matter_type = str(data.get("matter_type") or "")
    if matter_type not in MatterType.values:
        raise DomainError("matter_type_invalid", _("请选择业务类型。"), details={"field": "matter_type"})
    taken_on = as_date(data.get("taken_on"), "taken_on", _("收案日期"))
    if taken_on > local_date(timezone.now()):
        raise DomainError("taken_on_future", _("收案日期不能晚于今天。"), details={"field": "taken_on"})
    record = CaseRecord(
        organisation=organisation,
        lawyer=lawyer,
        co_lawyer=co_lawyer,
        matter_type=matter_type,
        client=clean_text(data.get("client"), field=(CaseRecord, "client"), required=_("请填写委托人。")),
        matter=clean_text(data.get("matter"), field=(CaseRecord, "matter"), required=_("请填写案由或事项。")),
        venue=clean_text(data.get("venue"), field=(CaseRecord, "venue")),
        taken_on=taken_on,
        fee=as_amount(data.get("fee") or 0, "fee", _("收费应为不小于0的金额，最多两位小数。"), zero=True),
        created_by=actor.user,
    )
    for _attempt in range(3):
        last = CaseRecord.objects.filter(organisation=organisation, number__startswith=f"{taken_on.year}-").aggregate(
            m=Max("number")
        )["m"]
        record.number = f"{taken_on.year}-{int(last.split('-')[1]) + 1 if last else 1:05d}"
        try:
            with transaction.atomic():
                record.save()
                audit_record(
                    action="bureau.case_register",
                    actor=actor,
                    obj=record,
                    after={"number": record.number, "matter_type": matter_type, "lawyer": lawyer.licence_no},
                )
            return record
        except IntegrityError:
            continue  # another registration took the number: the next one
    raise Conflict("case_number_busy", _("登记编号生成冲突，请稍后再试。"))


def case_close(*, case: CaseRecord, actor: Actor, closed_on: Any) -> CaseRecord:
    require(actor.user, "bureau.register_cases", case)
    day = as_date(closed_on, "closed_on", _("结案日期"))
    if day < case.taken_on or day > local_date(timezone.now()):
        raise DomainError(
            "closed_on_invalid", _("结案日期应在收案日期之后，且不晚于今天。"), details={"field": "closed_on"}
        )
    with transaction.atomic():
        if not CaseRecord.objects.filter(pk=case.pk, closed_on__isnull=True).update(closed_on=day):
            raise Conflict("case_closed", _("该案件已登记结案。"))
        audit_record(action="bureau.case_close", actor=actor, obj=case, after={"closed_on": day.isoformat()})
    case.closed_on = day
    return case


def letter_issue(*, case: CaseRecord, actor: Actor, kind: Any, recipient: Any, days: Any = 30) -> Letter:
    """A letter for a registered open case of a practising lawyer."""
    require(actor.user, "bureau.register_cases", case)
    if kind not in LetterKind.values:
        raise DomainError("kind_invalid", _("请选择函件类型。"), details={"field": "kind"})
    try:
        valid_days = int(days)
    except (TypeError, ValueError):
        valid_days = 0
    if not 1 <= valid_days <= LETTER_MAX_DAYS:
        raise DomainError(
            "days_invalid", _("有效期应为1至%(n)d天。") % {"n": LETTER_MAX_DAYS}, details={"field": "days"}
        )
    to = clean_text(recipient, field=(Letter, "recipient"), required=_("请填写收函单位，如“某某看守所”。"))
    with transaction.atomic():
        fresh = CaseRecord.objects.select_for_update().select_related("lawyer").get(pk=case.pk)
        if fresh.closed_on is not None:
            raise Conflict("case_closed", _("该案件已结案，不能再出具介绍信。"))
        if fresh.lawyer.status != LawyerStatus.PRACTISING:
            raise Conflict("lawyer_not_practising", _("承办律师不在正常执业状态，不能出具介绍信。"))
        letter = Letter.objects.create(
            case=fresh,
            kind=kind,
            recipient=to,
            code=new_code(),
            issued_by=actor.user,
            valid_until=local_date(timezone.now()) + timedelta(days=valid_days),
        )
        audit_record(
            action="bureau.letter_issue",
            actor=actor,
            obj=letter,
            organisation=case.organisation,
            after={"case": case.number, "kind": kind, "valid_until": letter.valid_until.isoformat()},
        )
    return letter


def letter_revoke(*, letter: Letter, actor: Actor) -> Letter:
    require(actor.user, "bureau.register_cases", letter)
    with transaction.atomic():
        if not Letter.objects.filter(pk=letter.pk, revoked_at__isnull=True).update(revoked_at=timezone.now()):
            raise Conflict("letter_revoked", _("该介绍信已作废。"))
        audit_record(action="bureau.letter_revoke", actor=actor, obj=letter, organisation=letter.case.organisation)
    letter.refresh_from_db()
    return letter
