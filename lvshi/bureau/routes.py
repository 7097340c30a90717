"""Each business type's route, declared once: which bodies an application
passes, how many working days each may take, who decides; and the clock.

Periods of administrative licensing are counted in working days, statutory
holidays excluded (行政许可法 第八十二条); the day a period starts on is not
counted. A body decides within ``RECEIVE_DAYS`` working days whether to
receive what was submitted (行政许可法 第三十二条); once received, a step
has its route's days. While an application is back with the firm its
clock stops; received again, it goes on with the days left.

A licence and a firm pass the city bureau, which examines within 20 days
and sends its opinion and the file up, and the province, which decides
within 10 days (律师法 第六条、第十八条); a firm's change goes to the
body that approved it (第二十一条). The annual assessment of lawyers is
made by the city bar association, the annual inspection of firms by the
city bureau.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from lvshi.calendar.workdays import WorkCalendar
from lvshi.core.errors import Conflict
from lvshi.core.text import StrOrPromise
from lvshi.orgs.models import Organisation, OrgKind

from .models import Application, ApplicationStatus, Business

RECEIVE_DAYS = 5


class Level:
    CITY = "city"  # the bureau the applicant is registered with
    PROVINCE = "province"  # the bureau above it
    CITY_BAR = "city_bar"  # the bar association at the city bureau


LEVEL_LABELS = {Level.CITY: _("市司法局"), Level.PROVINCE: _("省司法厅"), Level.CITY_BAR: _("市律师协会")}


@dataclass(frozen=True)
class Step:
    level: str
    days: int
    task: StrOrPromise


@dataclass(frozen=True)
class Route:
    steps: tuple[Step, ...]
    basis: StrOrPromise

    def last(self, index: int) -> bool:
        return index >= len(self.steps) - 1


_EXAMINE, _DECIDE = _("审查"), _("审核决定")
_LICENCE = Route((Step(Level.CITY, 20, _EXAMINE), Step(Level.PROVINCE, 10, _DECIDE)), _("律师法第六条"))
_FIRM = Route((Step(Level.CITY, 20, _EXAMINE), Step(Level.PROVINCE, 10, _DECIDE)), _("律师法第十八条"))

ROUTES: dict[str, Route] = {
    Business.LICENCE_ISSUE: _LICENCE,
    Business.LICENCE_CHANGE: _LICENCE,
    Business.LICENCE_CANCEL: _LICENCE,
    Business.FIRM_ESTABLISH: _FIRM,
    Business.FIRM_CHANGE: Route(_FIRM.steps, _("律师法第二十一条")),
    Business.FIRM_CLOSE: _FIRM,
    Business.ASSESSMENT: Route((Step(Level.CITY_BAR, 20, _("年度考核")),), _("律师执业年度考核规则")),
    Business.INSPECTION: Route((Step(Level.CITY, 20, _("年度检查考核")),), _("律师事务所年度检查考核办法")),
}


def route_of(application: Application) -> Route:
    return ROUTES[application.business]


def _ancestors(org: Organisation) -> list[Organisation]:
    """*org*'s ancestors, nearest first (one query)."""
    ids = [int(part) for part in org.path.strip("/").split("/")[:-1] if part]
    by_id = Organisation.objects.in_bulk(ids)
    return [by_id[i] for i in reversed(ids) if i in by_id]


def _no_body(level: str) -> Conflict:
    return Conflict(
        "no_competent_body",
        _("未找到受理该业务的%(body)s，请联系上级司法行政机关核实机构设置。") % {"body": LEVEL_LABELS[level]},
    )


def bodies(applicant: Organisation, route: Route) -> list[Organisation]:
    """The body of each step of *route* for an application by *applicant*."""
    above = _ancestors(applicant)
    if applicant.kind == OrgKind.JUSTICE_BUREAU:  # a bureau registering a firm to be established
        above = [applicant, *above]
    bureaus = [o for o in above if o.kind == OrgKind.JUSTICE_BUREAU and o.is_active]
    found: list[Organisation] = []
    for step in route.steps:
        if step.level == Level.CITY:
            body = bureaus[0] if bureaus else None
        elif step.level == Level.PROVINCE:
            body = bureaus[1] if len(bureaus) > 1 else None
        else:
            city = bureaus[0] if bureaus else None
            body = (
                Organisation.objects.filter(parent=city, kind=OrgKind.BAR_ASSOCIATION, is_active=True)
                .order_by("pk")
                .first()
                if city
                else None
            )
        if body is None:
            raise _no_body(step.level)
        found.append(body)
    return found


# --- the clock --------------------------------------------------------------------------


@dataclass(frozen=True)
class Clock:
    limit: int  # working days the current step (or its receipt) may take
    used: int
    due: date | None  # None while paused
    paused: bool

    @property
    def left(self) -> int:
        return self.limit - self.used

    @property
    def overdue(self) -> bool:
        return self.used > self.limit


def used_since(since: date, today: date, cal: WorkCalendar) -> int:
    """Working days after *since* up to *today* (the first day not counted)."""
    return 0 if today <= since else cal.working_days_between(since.fromordinal(since.toordinal() + 1), today)


def due_after(since: date, days: int, cal: WorkCalendar) -> date:
    return cal.add_working_days(since, days) if days > 0 else since


def clock(application: Application, *, today: date, cal: WorkCalendar, entered_on: date | None = None) -> Clock | None:
    """The clock of *application*'s current step on *today* (None when
    nothing runs: a draft or a decided application)."""
    status = application.status
    if status in (ApplicationStatus.SUBMITTED, ApplicationStatus.FORWARDED) and entered_on is not None:
        used = used_since(entered_on, today, cal)
        return Clock(RECEIVE_DAYS, used, due_after(entered_on, RECEIVE_DAYS, cal), False)
    days = route_of(application).steps[application.step].days
    if status == ApplicationStatus.RECEIVED and application.clock_since is not None:
        used = application.clock_used + used_since(application.clock_since, today, cal)
        due = due_after(application.clock_since, days - application.clock_used, cal)
        return Clock(days, used, due, False)
    if status == ApplicationStatus.RETURNED:
        return Clock(days, application.clock_used, None, True)
    return None
