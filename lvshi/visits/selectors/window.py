"""The booking window of a centre (V3): how far ahead a lawyer may book,
which days are open, and the nearest free slots."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lvshi.calendar.models import DayKind
from lvshi.calendar.workdays import SHANGHAI, WorkCalendar, local_date
from lvshi.core.errors import DomainError

from ..capacity import free_for
from ..models import Booking, CentreConfig
from .slots import availability, config_with_rooms, extra_sessions, extras_between, loads_between

CANCEL_DEADLINE_HOUR = 18


ALTERNATIVES = 3


def hhmm(value: time) -> str:
    return value.strftime("%H:%M")


def centre_config(centre_id: int) -> CentreConfig:
    config = config_with_rooms(centre_id)
    if config is None or not config.organisation.is_active:
        raise DomainError("centre_not_open", _("该机构尚未开通网上预约会见，请电话联系该机构。"))
    return config


def last_day(config: CentreConfig, today: date, *, legal_aid: bool = False) -> date:
    """The last bookable day: ``latest_days`` ahead, and for legal-aid cases
    ``legal_aid_priority_days`` more."""
    return today + timedelta(days=config.latest_days + (config.legal_aid_priority_days if legal_aid else 0))


def window_days(
    config: CentreConfig, today: date, *, legal_aid: bool = False, calendar: WorkCalendar | None = None
) -> list[dict[str, Any]]:
    """Every day of the booking window, first to last, each ``{date, open,
    reason}``: what a date picker offers (the public availability page, the
    booking form's date step)."""
    first = today + timedelta(days=config.earliest_days)
    last = last_day(config, today, legal_aid=legal_aid)
    calendar = calendar or centre_calendar(config)
    calendar.prepare(first, last)
    days = []
    day = first
    while day <= last:
        is_open, reason = day_open(config, day, calendar)
        days.append({"date": day, "open": is_open, "reason": reason})
        day += timedelta(days=1)
    return days


def check_window(config: CentreConfig, day: date, *, now: datetime | None = None, legal_aid: bool = False) -> None:
    today = local_date(now or timezone.now())
    first = today + timedelta(days=config.earliest_days)
    last = last_day(config, today, legal_aid=legal_aid)
    if first <= day <= last:
        return
    details = {"earliest": first.isoformat(), "latest": last.isoformat()}
    priority_last = last_day(config, today, legal_aid=True)
    if not legal_aid and last < day <= priority_last:
        raise DomainError(
            "legal_aid_priority",
            _(
                "%(first)s至%(last)s的会见只接受法律援助案件的优先预约（可比普通预约多提前%(days)s天）。"
                "您的委托不是法律援助案件，请选择%(ordinary)s或更早的日期。"
            )
            % {
                "first": (last + timedelta(days=1)).isoformat(),
                "last": priority_last.isoformat(),
                "days": config.legal_aid_priority_days,
                "ordinary": last.isoformat(),
            },
            details=details,
        )
    if legal_aid and config.legal_aid_priority_days:
        message = _(
            "%(centre)s可预约%(first)s至%(last)s的会见（提前%(a)s至%(b)s天，法律援助案件优先%(p)s天），"
            "请在此范围内选择日期。"
        )
    else:
        message = _("%(centre)s可预约%(first)s至%(last)s的会见（提前%(a)s至%(b)s天），请在此范围内选择日期。")
    raise DomainError(
        "outside_window",
        message
        % {
            "centre": config.organisation.name,
            "first": first.isoformat(),
            "last": last.isoformat(),
            "a": config.earliest_days,
            "b": (last - today).days,
            "p": config.legal_aid_priority_days,
        },
        details=details,
    )


def centre_calendar(config: CentreConfig) -> WorkCalendar:
    """The centre's calendar (see :attr:`CentreConfig.work_calendar`)."""
    return config.work_calendar


def day_open(config: CentreConfig, day: date, calendar: WorkCalendar | None = None) -> tuple[bool, str]:
    """Whether the centre receives lawyers on *day*, and why not. Make-up
    working days are open; Saturdays only where the centre opens them; a
    weekend day with an extra session (加开场次) opens for it. Holidays and
    closures stay closed even with an extra session."""
    info = (calendar or WorkCalendar(config.organisation)).day_info(day)
    if info.working:
        return True, ""
    if info.kind == DayKind.WEEKEND and day.weekday() == 5 and config.saturday_open:
        return True, ""
    if info.kind == DayKind.WEEKEND and extra_sessions(config, day):
        return True, ""
    if info.kind == DayKind.CLOSURE:
        return False, _("%(day)s %(centre)s停止会见（%(note)s）。") % {
            "day": day.isoformat(),
            "centre": info.closed_by or config.organisation.name,
            "note": info.name or info.note or info.kind_label,
        }
    if info.kind == DayKind.HOLIDAY:
        return False, _("%(day)s是法定节假日（%(name)s），不安排会见。") % {
            "day": day.isoformat(),
            "name": info.name or info.kind_label,
        }
    return False, _("%(day)s是休息日，不安排会见。") % {"day": day.isoformat()}


def check_open(config: CentreConfig, day: date, calendar: WorkCalendar | None = None) -> None:
    is_open, why = day_open(config, day, calendar)
    if not is_open:
        raise DomainError("closed_day", why + _("请选择其他工作日。"))


def alternatives(
    config: CentreConfig,
    day: date,
    kind: str,
    *,
    exclude: time | None = None,
    now: datetime | None = None,
    legal_aid: bool = False,
    loads: dict | None = None,
) -> list[dict]:
    """The nearest free slots: later and earlier slots of the same day first,
    then the following open days of the booking window. A few queries
    whatever the window: its extra sessions, calendar and slot loads (or
    *loads* from :func:`loads_between`) are read once."""
    today = local_date(now or timezone.now())
    last = last_day(config, today, legal_aid=legal_aid)
    if day > last:
        return []
    extras_between(config, day, last)
    calendar = centre_calendar(config).prepare(day, last)
    if loads is None:
        loads = loads_between(config.organisation_id, day, last)
    found: list[dict] = []
    d = day
    while d <= last and len(found) < ALTERNATIVES:
        if d == day or day_open(config, d, calendar)[0]:
            free = [
                s
                for s in availability(config.organisation_id, d, config=config, loads=loads)
                if s["kind"] == kind
                and free_for(s, legal_aid=legal_aid) > 0
                and not (d == day and s["start"] == exclude)
            ]
            if d == day and exclude is not None:
                free.sort(key=lambda s: abs(datetime.combine(d, s["start"]) - datetime.combine(d, exclude)))
            found += [{"date": d.isoformat(), "start": hhmm(s["start"]), "end": hhmm(s["end"])} for s in free]
        d += timedelta(days=1)
    return found[:ALTERNATIVES]


def cancel_deadline(booking: Booking) -> datetime:
    """18:00 Asia/Shanghai on the day before the meeting."""
    return datetime.combine(booking.date - timedelta(days=1), time(CANCEL_DEADLINE_HOUR), tzinfo=SHANGHAI)
