"""Statutory periods counted in days (民事诉讼法 第八十五条): the day the
period starts on is not counted, and a period whose last day is a statutory
holiday (a weekend included) ends on the first working day after it. Days
are dates in China (Asia/Shanghai), whatever the server's clock says.

* a filing is decided within seven days of its submission (第一百二十六条);
* a fee is paid within seven days of the notice (诉讼费用交纳办法 第二十二条);
* the parties are told of a hearing at least three days before it (第一百三十九条).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from lvshi.calendar.workdays import SHANGHAI, WorkCalendar, local_date

REVIEW_DAYS = 7
PAY_DAYS = 7
HEARING_NOTICE_DAYS = 3


def calendar() -> WorkCalendar:
    """The national calendar of statutory holidays, for many periods at once
    (a list's rows): its tables are read once."""
    return WorkCalendar(None)


def period_end(start: datetime | date, days: int, *, cal: WorkCalendar | None = None) -> date:
    """The last day of a period of *days* days starting at *start*."""
    day = local_date(start) if isinstance(start, datetime) else start
    return (cal or calendar()).next_working_day(day + timedelta(days=days), include_today=True)


def is_overdue(start: datetime, days: int, *, now: datetime | None = None, cal: WorkCalendar | None = None) -> bool:
    return local_date(now or timezone.now()) > period_end(start, days, cal=cal)


def overdue_before(days: int, *, now: datetime | None = None) -> datetime:
    """The moment before which a period of *days* days has run out by *now*:
    everything started earlier is overdue. (The period's end only grows with
    its start, so one boundary answers for a whole query.)"""
    today = local_date(now or timezone.now())
    cal = calendar()
    day = today - timedelta(days=days + 1)
    while period_end(day, days, cal=cal) >= today:
        day -= timedelta(days=1)
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=SHANGHAI)


def hearing_notice_short(hearing_start: datetime, *, now: datetime | None = None) -> bool:
    """Whether telling the parties *now* leaves less than the three days."""
    return local_date(hearing_start) < period_end(now or timezone.now(), HEARING_NOTICE_DAYS)


def working_days_before(days: int, *, now: datetime | None = None) -> datetime:
    """The moment *days* working days before today began: what waits since
    before it has waited longer than *days* working days."""
    cal = calendar()
    day = local_date(now or timezone.now())
    counted = 0
    while counted < days:
        day -= timedelta(days=1)
        if cal.is_working_day(day):
            counted += 1
    return datetime.combine(day, time.min, tzinfo=SHANGHAI)


def reply_overdue_before(*, now: datetime | None = None) -> datetime:
    """A lawyer's message waiting since before this has waited more than
    ``COURT_MESSAGE_REPLY_DAYS`` working days for the judge's reply."""
    return working_days_before(settings.COURT_MESSAGE_REPLY_DAYS, now=now)
