"""The court's review of filings (C2): accept — the case is created and
numbered, its agents linked, the fee notice issued, the lawyer told — or
return with a coded reason for the lawyer to fix and resubmit."""

from __future__ import annotations

import secrets
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lvshi.audit.services import audit_record
from lvshi.calendar.workdays import local_date
from lvshi.core import crypto
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.core.text import clean_text
from lvshi.notify.services import notify_user
from lvshi.orgs.models import Role
from lvshi.orgs.permissions import require

from .. import fees, numbers
from ..flows import FILING
from ..models import Case, Court, Filing, NoticeStatus, PaymentNotice, ReturnCode
from .cases import link_agents, new_query_credentials, set_query_password

# A non-property case (or one without a claim): 诉讼费用交纳办法 第十三条 (二)(5) — 50 to 100 yuan a case.
NON_PROPERTY_FEE = Decimal("50.00")


def court_members(court: Court, role: str) -> QuerySet[Any]:
    return get_user_model().objects.filter(
        memberships__organisation=court.organisation,
        memberships__role=role,
        memberships__is_active=True,
        is_active=True,
    )


def new_notice_code() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(16))


def fee_for(case: Case) -> Decimal:
    if case.claim_amount:
        return fees.property_case_fee(case.claim_amount, simplified=case.simplified)
    return NON_PROPERTY_FEE


def issue_notice(case: Case, *, now: datetime | None = None) -> PaymentNotice:
    """The case's fee notice (交费通知书), with a fresh code."""
    now = now or timezone.now()
    amount = fee_for(case)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return PaymentNotice.objects.create(
                    case=case,
                    code=new_notice_code(),
                    computed_amount=amount,
                    amount=amount,
                    issued_at=now,
                    entered_at=now,
                )
        except IntegrityError:
            continue
    raise RuntimeError("could not draw a unique notice code")


def filing_accept(*, filing: Filing, actor: Actor, judge_id: int, simplified: bool = False) -> Case:
    """Accept *filing*: the case gets the next number of its court, year and
    type; the acting clerk and the chosen judge take it; the lawyer is told.
    The query password appears once, on the acceptance notice."""
    require(actor.user, "courts.review_filing", filing)
    court = filing.court
    if court is None:
        raise DomainError("court_missing", _("该立案未选择法院。"))
    judge = court_members(court, Role.JUDGE).filter(pk=judge_id).first() if isinstance(judge_id, int) else None
    if judge is None:
        raise DomainError("judge_invalid", _("请从本院法官中选择承办法官。"))
    now = timezone.now()
    with transaction.atomic():
        number = numbers.allocate(court, local_date(now).year, filing.case_type)
        code, password = new_query_credentials()
        while Case.objects.filter(query_code=code).exists():
            code, password = new_query_credentials()
        case = Case(
            court=court,
            year=number.year,
            case_type=number.case_type,
            seq=number.seq,
            number=str(number),
            cause=filing.cause,
            claim_amount=filing.claim_amount,
            simplified=bool(simplified),
            judge=judge,
            clerk=actor.user,
            accepted_at=now,
            query_code=code,
            query_password_encrypted=crypto.encrypt(password),
        )
        set_query_password(case, password)
        case.save()
        filing.parties.update(case=case)
        filing.agents.update(case=case)
        link_agents(case)
        notice = issue_notice(case, now=now)
        lawyer = filing.lawyer

        def tell() -> None:
            notify_user(
                lawyer,
                kind="filing_accepted",
                context={
                    "cause": case.cause,
                    "number": case.number,
                    "court": court.organisation.name,
                    "code": notice.code,
                    "amount": f"{notice.amount:,.2f}",
                },
                url=reverse("courts:case", args=[case.pk]),
            )

        FILING.apply(
            filing,
            "accept",
            actor=actor,
            values={"case": case, "decided_at": now, "decided_by": actor.user},
            details={"number": case.number, "judge": judge.pk, "notice": notice.code},
            notify=tell,
        )
    return case


def filing_return(*, filing: Filing, actor: Actor, code: str, reason: str) -> Filing:
    if code not in ReturnCode.values:
        raise DomainError("return_code_invalid", _("请选择退回原因。"))
    reason = clean_text(reason, field=(Filing, "return_reason"), required=_("请写明需要补正的内容，律师将按此修改。"))
    lawyer = filing.lawyer
    label = str(ReturnCode(code).label)
    court_name = filing.court.organisation.name if filing.court is not None else ""

    def tell() -> None:
        notify_user(
            lawyer,
            kind="filing_returned",
            context={
                "cause": filing.cause,
                "court": court_name,
                "code": label,
                "reason": reason,
            },
            url=reverse("courts:filing", args=[filing.pk]),
        )

    FILING.apply(
        filing,
        "return",
        actor=actor,
        reason=f"{label}：{reason}",
        values={"return_code": code, "return_reason": reason, "decided_at": timezone.now(), "decided_by": actor.user},
        notify=tell,
    )
    return filing


def notice_adjust(*, notice: PaymentNotice, actor: Actor, amount: Decimal, reason: str) -> PaymentNotice:
    """The clerk sets another amount, with a reason (only while unpaid)."""
    require(actor.user, "courts.adjust_fee", notice)
    reason = clean_text(reason, field=(PaymentNotice, "adjust_reason"), required=_("请写明调整理由。"))
    if not isinstance(amount, Decimal) or not amount.is_finite() or amount <= 0 or amount > fees.MAX_CLAIM:
        raise DomainError("amount_invalid", _("金额应大于0元，最多两位小数。"))
    amount = amount.quantize(fees.FEN)
    with transaction.atomic():
        before = notice.amount
        if not PaymentNotice.objects.filter(pk=notice.pk, status=NoticeStatus.UNPAID).update(
            amount=amount, adjust_reason=reason
        ):
            raise DomainError("already_paid", _("该通知书已缴费，不能再调整金额。"), status=409)
        notice.refresh_from_db()
        audit_record(
            action="courts.notice_adjust",
            actor=actor,
            obj=notice,
            before={"amount": str(before)},
            after={"amount": str(amount)},
            message=reason,
        )
    return notice
