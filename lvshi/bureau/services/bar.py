"""Bar affairs (A7): a bar association registers the dues a lawyer paid
for a year and the training they attended; :func:`standing` says for the
annual assessment whether both are complete."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
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
from ..models import Dues, Lawyer, Training
from ..scope import BAR, within


def _lawyer(actor: Actor, licence_no: Any) -> Lawyer:
    lawyer = Lawyer.objects.select_related("organisation").filter(licence_no=str(licence_no or "").strip()).first()
    if lawyer is None or not within(actor.user, lawyer.organisation, BAR):
        raise DomainError("lawyer_unknown", _("本会管辖范围内没有该执业证号的律师。"), details={"field": "licence_no"})
    return lawyer


def _today() -> date:
    return local_date(timezone.now())


def dues_record(*, actor: Actor, body: Organisation, licence_no: Any, year: Any, amount: Any, paid_on: Any) -> Dues:
    require(actor.user, "bureau.record_bar_affairs", body)
    lawyer = _lawyer(actor, licence_no)
    year_n = as_int(year)
    if not 2000 <= year_n <= local_date(timezone.now()).year + 1:
        raise DomainError("year_invalid", _("请填写会费所属年度。"), details={"field": "year"})
    row = Dues(
        lawyer=lawyer,
        year=year_n,
        amount=as_amount(amount, "amount", _("金额应为大于0的数，最多两位小数。"), most=Decimal(10**6)),
        paid_on=as_date(paid_on, "paid_on", _("缴纳日期"), latest=_today()),
        body=body,
        created_by=actor.user,
    )
    try:
        with transaction.atomic():
            row.save()
            audit_record(
                action="bureau.dues_record",
                actor=actor,
                obj=row,
                organisation=body,
                after={"lawyer": lawyer.licence_no, "year": year_n, "amount": str(row.amount)},
            )
    except IntegrityError as exc:
        raise Conflict("dues_recorded", _("该律师%(y)d年度的会费已登记。") % {"y": year_n}) from exc
    return row


def training_record(
    *, actor: Actor, body: Organisation, licence_no: Any, course: Any, hours: Any, attended_on: Any
) -> Training:
    require(actor.user, "bureau.record_bar_affairs", body)
    lawyer = _lawyer(actor, licence_no)
    row = Training(
        lawyer=lawyer,
        body=body,
        created_by=actor.user,
        attended_on=as_date(attended_on, "attended_on", _("培训日期"), latest=_today()),
        course=clean_text(course, field=(Training, "course"), required=_("请填写课程名称。")),
        hours=as_amount(
            hours, "hours", _("%(label)s应为大于0的数。") % {"label": _("学时")}, most=Decimal(100), step=Decimal("0.1")
        ),
    )
    try:
        with transaction.atomic():
            row.save()
            audit_record(
                action="bureau.training_record",
                actor=actor,
                obj=row,
                organisation=body,
                after={"lawyer": lawyer.licence_no, "course": row.course, "hours": str(row.hours)},
            )
    except IntegrityError as exc:
        raise Conflict("training_recorded", _("该律师同一天的这门课程已登记。")) from exc
    return row


@dataclass(frozen=True)
class Standing:
    year: int
    dues_paid: bool
    hours: Decimal
    hours_required: int

    @property
    def training_complete(self) -> bool:
        return self.hours >= self.hours_required


def standing(lawyer_id: int, year: int) -> Standing:
    """Whether *year*'s dues are paid and its training hours complete (two queries)."""
    hours = Training.objects.filter(lawyer_id=lawyer_id, attended_on__year=year).aggregate(h=Sum("hours"))["h"]
    return Standing(
        year=year,
        dues_paid=Dues.objects.filter(lawyer_id=lawyer_id, year=year).exists(),
        hours=hours or Decimal(0),
        hours_required=settings.BAR_TRAINING_HOURS,
    )
