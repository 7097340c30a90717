"""Statutory periods in days: the seven days of a filing's review and of a
fee's payment, the three days' notice of a hearing — across holidays and
the UTC day boundary (民事诉讼法 第八十五条)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from lvshi.courts import deadlines as d

SH = ZoneInfo("Asia/Shanghai")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SH)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "end"),
    [
        # An ordinary week: Tuesday + 7 = next Tuesday.
        (at(2026, 11, 3, 10), date(2026, 11, 10)),
        # The seventh day is a Saturday: the period ends on Monday.
        (at(2026, 11, 7, 10), date(2026, 11, 16)),
        # The seventh day falls in the National Day holiday (1–7 October): it ends on the 8th.
        (at(2026, 9, 28, 10), date(2026, 10, 8)),
        (at(2026, 9, 30, 23, 59), date(2026, 10, 8)),
    ],
)
def test_the_seven_days_end_on_a_working_day(start, end):
    assert d.period_end(start, d.REVIEW_DAYS) == end


@pytest.mark.django_db
def test_days_are_counted_in_china_not_in_utc():
    # 00:30 on Tuesday 3 November in Shanghai is still Monday in UTC.
    start = at(2026, 11, 3, 0, 30)
    assert start.astimezone(ZoneInfo("UTC")).date() == date(2026, 11, 2)
    assert d.period_end(start, d.REVIEW_DAYS) == date(2026, 11, 10)
    assert d.period_end(at(2026, 11, 2, 23, 59), d.REVIEW_DAYS) == date(2026, 11, 9)


@pytest.mark.django_db
def test_a_filing_is_overdue_from_the_day_after_its_period():
    start = at(2026, 9, 28, 10)
    assert not d.is_overdue(start, d.REVIEW_DAYS, now=at(2026, 10, 8, 23, 59))
    assert d.is_overdue(start, d.REVIEW_DAYS, now=at(2026, 10, 9, 0, 0))


@pytest.mark.django_db
def test_the_overdue_boundary_of_a_query_agrees_with_each_filing():
    """One boundary serves a whole queue: everything started before it is
    overdue, everything after it is not — on every day around a holiday."""
    for now in (at(2026, 10, 9, 9), at(2026, 10, 12, 9), at(2026, 11, 16, 9), at(2026, 9, 30, 9)):
        boundary = d.overdue_before(d.REVIEW_DAYS, now=now)
        for hours in range(0, 24 * 30, 7):
            start = now - timedelta(hours=hours)
            assert d.is_overdue(start, d.REVIEW_DAYS, now=now) == (start < boundary), (now, start)


@pytest.mark.django_db
def test_the_boundary_of_the_national_day_week():
    # On 9 October every filing submitted up to 1 October has run out (due 8 October).
    assert d.overdue_before(d.REVIEW_DAYS, now=at(2026, 10, 9, 9)) == at(2026, 10, 2, 0, 0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("told", "hearing", "short"),
    [
        (at(2026, 11, 3, 10), at(2026, 11, 6, 9), False),  # Tuesday → Friday: three full days
        (at(2026, 11, 3, 10), at(2026, 11, 5, 9), True),
        # Wednesday: the third day is Saturday, so the period runs to Monday.
        (at(2026, 11, 4, 10), at(2026, 11, 6, 9), True),
        (at(2026, 11, 4, 10), at(2026, 11, 9, 9), False),
        # Told at 00:30 Wednesday in Shanghai (Tuesday in UTC): a Friday hearing is short.
        (at(2026, 11, 4, 0, 30), at(2026, 11, 6, 9), True),
        # Told before the National Day holiday: the period ends on 8 October.
        (at(2026, 9, 29, 10), at(2026, 10, 8, 9), False),
        (at(2026, 9, 29, 10), at(2026, 10, 7, 9), True),
    ],
)
def test_three_days_notice_of_a_hearing(told, hearing, short):
    assert d.hearing_notice_short(hearing, now=told) is short
