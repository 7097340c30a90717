"""Closures (writes) and the working-day questions other apps ask.

from lvshi.calendar.services import day_info, is_working_day, local_date
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lvshi.audit.services import audit_record
from lvshi.core.actor import Actor
from lvshi.core.errors import Conflict, DomainError
from lvshi.core.text import max_length
from lvshi.orgs.scope import require

from .models import Closure
from .workdays import (  # noqa: F401 - the calendar's public interface
    DayInfo,
    WorkCalendar,
    add_working_days,
    day_info,
    is_working_day,
    local_date,
    month_days,
    next_working_day,
    today,
    working_days_between,
)

if TYPE_CHECKING:
    from lvshi.orgs.models import Organisation

MAX_DAYS_AHEAD = 2 * 366
REASON_MAX = max_length(Closure, "reason")


def _snapshot(closure: Closure) -> dict:
    return {
        "organisation": closure.organisation_id,
        "date": closure.date.isoformat(),
        "reason": closure.reason,
    }


@transaction.atomic
def closure_create(*, actor: Actor, organisation: Organisation, day: date, reason: str) -> Closure:
    """Declare *organisation* (and everything below it) closed on *day*."""
    require(actor.user, "calendar.manage_closure", organisation)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            "reason_required",
            _("请填写停止办公的原因，例如“设施检修”，律师会看到这一说明。"),
            details={"reason": [_("请填写原因。")]},
        )
    if len(reason) > REASON_MAX:
        raise DomainError(
            "reason_too_long",
            _("原因最多%(n)d个字，请精简。") % {"n": REASON_MAX},
            details={"reason": [_("原因最多%(n)d个字。") % {"n": REASON_MAX}]},
        )
    now = today()
    if day < now:
        raise DomainError(
            "date_in_past",
            _("不能为已经过去的日期登记停止办公，请选择今天或以后的日期。"),
            details={"date": [_("请选择今天或以后的日期。")]},
        )
    if day > now + timedelta(days=MAX_DAYS_AHEAD):
        raise DomainError(
            "date_too_far",
            _("只能登记两年以内的停止办公日，请核对日期。"),
            details={"date": [_("请选择两年以内的日期。")]},
        )
    if Closure.objects.filter(organisation=organisation, date=day).exists():
        raise Conflict(
            "closure_exists",
            _("%(org)s在%(day)s已登记停止办公，无需重复登记。") % {"org": organisation, "day": day.isoformat()},
            details={"date": [_("该日期已登记。")]},
        )
    closure = Closure(organisation=organisation, date=day, reason=reason, created_by=actor.user)
    try:
        closure.full_clean(validate_constraints=False)
    except ValidationError as exc:
        raise DomainError("invalid", "；".join(exc.messages)) from exc
    try:
        with transaction.atomic():
            closure.save()
    except IntegrityError as exc:  # a concurrent request registered the same day
        raise Conflict("closure_exists", _("该日期已登记停止办公，无需重复登记。")) from exc
    audit_record(
        action="calendar.closure_create", actor=actor, organisation=organisation, obj=closure, after=_snapshot(closure)
    )
    return closure


@transaction.atomic
def closure_delete(*, actor: Actor, closure: Closure) -> None:
    """Withdraw a closure that has not yet passed (past ones stay on record)."""
    require(actor.user, "calendar.manage_closure", closure)
    if closure.date < today():
        raise DomainError(
            "closure_past",
            _("已经过去的停止办公日不能撤销，它是当日未办公的记录。"),
        )
    before = _snapshot(closure)
    organisation = closure.organisation
    deleted, _rows = Closure.objects.filter(pk=closure.pk).delete()
    if not deleted:
        raise Conflict("closure_gone", _("该停止办公日已被他人撤销，请刷新页面。"))
    audit_record(action="calendar.closure_delete", actor=actor, organisation=organisation, obj=closure, before=before)
