"""The national calendar with real dates from the State Council's notices."""

from datetime import UTC, date, datetime

import pytest

from lvshi.calendar.models import DayKind, HolidayDate, HolidayYear
from lvshi.calendar.workdays import (
    LIBRARY_LAST_OFFICIAL_YEAR,
    WorkCalendar,
    add_working_days,
    day_info,
    is_working_day,
    local_date,
    month_days,
    next_working_day,
    working_days_between,
)

pytestmark = pytest.mark.django_db

D = date.fromisoformat


# --- 2025 -----------------------------------------------------------------------


@pytest.mark.parametrize("day", ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"])
def test_2025_make_up_weekend_days_are_working_days(day):
    info = day_info(D(day))
    assert D(day).weekday() >= 5
    assert info.working is True
    assert info.kind == DayKind.MAKEUP_WORKDAY
    assert info.official is True
    assert info.name.endswith("调休上班")


def test_2025_make_up_days_are_named_after_their_holiday():
    assert day_info(D("2025-01-26")).name == "春节调休上班"
    assert day_info(D("2025-09-28")).name == "国庆节、中秋节调休上班"
    assert day_info(D("2025-04-27")).name == "劳动节调休上班"


def test_2025_national_day_and_mid_autumn_1_to_8_october():
    infos = [day_info(date(2025, 10, d)) for d in range(1, 9)]
    assert all(not i.working and i.kind == DayKind.HOLIDAY for i in infos)
    assert infos[0].name == "国庆节"
    assert infos[5].name == "中秋节"  # 6 Oct
    assert infos[3].name == "国庆节、中秋节"  # Saturday 4 Oct, inside the holiday
    assert infos[7].name == "国庆节、中秋节"  # 8 Oct, a day off paid for by 11 Oct
    assert day_info(D("2025-10-09")).kind == DayKind.WORKDAY
    assert day_info(D("2025-09-30")).working is True


def test_2025_spring_festival():
    assert [is_working_day(date(2025, 1, d)) for d in (27, 28, 29, 30, 31)] == [True, False, False, False, False]
    assert [is_working_day(date(2025, 2, d)) for d in (1, 2, 3, 4, 5)] == [False, False, False, False, True]
    assert day_info(D("2025-01-28")).name == "春节"


def test_ordinary_days():
    assert day_info(D("2025-03-12")).kind == DayKind.WORKDAY
    sat = day_info(D("2025-03-15"))
    assert (sat.working, sat.kind, sat.name) == (False, DayKind.WEEKEND, "")


# --- 2026: what the official schedule says ------------------------------------


def test_library_covers_2026_officially():
    assert LIBRARY_LAST_OFFICIAL_YEAR >= 2026
    assert day_info(D("2026-06-01")).official is True


def test_2026_new_year_1_to_3_january_and_sunday_4_january_worked():
    assert [day_info(date(2026, 1, d)).kind for d in (1, 2, 3)] == [DayKind.HOLIDAY] * 3
    assert all(day_info(date(2026, 1, d)).name == "元旦" for d in (1, 2, 3))
    sunday = day_info(D("2026-01-04"))
    assert sunday.working and sunday.kind == DayKind.MAKEUP_WORKDAY and sunday.name == "元旦调休上班"


def test_2026_spring_festival_15_to_23_february():
    for d in range(15, 24):
        info = day_info(date(2026, 2, d))
        assert not info.working and info.kind == DayKind.HOLIDAY and info.name == "春节", d
    assert day_info(D("2026-02-14")).kind == DayKind.MAKEUP_WORKDAY  # Saturday worked
    assert day_info(D("2026-02-28")).kind == DayKind.MAKEUP_WORKDAY  # Saturday worked
    assert day_info(D("2026-02-13")).kind == DayKind.WORKDAY
    assert day_info(D("2026-02-24")).kind == DayKind.WORKDAY


def test_2026_labour_day_and_national_day():
    assert [is_working_day(date(2026, 5, d)) for d in range(1, 6)] == [False] * 5
    assert day_info(D("2026-05-09")).kind == DayKind.MAKEUP_WORKDAY
    assert [is_working_day(date(2026, 10, d)) for d in range(1, 8)] == [False] * 7
    assert day_info(D("2026-09-20")).name == "国庆节调休上班"
    assert day_info(D("2026-10-10")).kind == DayKind.MAKEUP_WORKDAY
    assert is_working_day(D("2026-10-08"))


# --- a year nobody has published yet -------------------------------------------


def test_unknown_future_year_falls_back_to_statutory_days_and_weekends():
    new_year = day_info(D("2031-01-01"))
    assert (new_year.working, new_year.kind, new_year.name, new_year.official) == (False, "holiday", "元旦", False)
    assert new_year.note == "该年度放假安排尚未公布"
    assert not is_working_day(D("2031-05-01"))
    assert all(not is_working_day(date(2031, 10, d)) for d in (1, 2, 3))
    weekday = day_info(D("2031-03-03"))  # a Monday
    assert weekday.working and weekday.kind == DayKind.WORKDAY and weekday.official is False
    saturday = day_info(D("2031-03-01"))
    assert not saturday.working and saturday.kind == DayKind.WEEKEND
    # No make-up days are guessed for such a year.
    assert not any(d.kind == DayKind.MAKEUP_WORKDAY for d in month_days(2031, 1) + month_days(2031, 10))


# --- the admin's official table overrides the library --------------------------


def test_published_table_overrides_library_for_its_year():
    schedule = HolidayYear.objects.create(year=2031, published=True, source="国务院办公厅通知")
    HolidayDate.objects.create(schedule=schedule, date=D("2031-01-02"), kind="holiday", name="元旦")
    HolidayDate.objects.create(schedule=schedule, date=D("2031-01-04"), kind="makeup_workday", name="元旦调休上班")
    assert day_info(D("2031-01-02")).kind == DayKind.HOLIDAY
    assert day_info(D("2031-01-02")).official is True
    saturday = day_info(D("2031-01-04"))
    assert saturday.working and saturday.kind == DayKind.MAKEUP_WORKDAY and saturday.name == "元旦调休上班"
    # 1 January is not in the table, so under the table it is an ordinary Wednesday.
    assert day_info(D("2031-01-01")).kind == DayKind.WORKDAY


def test_unpublished_table_is_ignored():
    schedule = HolidayYear.objects.create(year=2025, published=False)
    HolidayDate.objects.create(schedule=schedule, date=D("2025-03-12"), kind="holiday", name="测试")
    assert day_info(D("2025-03-12")).kind == DayKind.WORKDAY
    assert day_info(D("2025-10-01")).kind == DayKind.HOLIDAY


# --- counting ------------------------------------------------------------------------


def test_working_days_between_counts_both_ends():
    # 26 Sep .. 12 Oct 2025: 26, 28 (Sun, worked), 29, 30 Sep; 9, 10, 11 (Sat, worked) Oct.
    assert working_days_between(D("2025-09-26"), D("2025-10-12")) == 7
    assert working_days_between(D("2025-10-12"), D("2025-09-26")) == 7
    assert working_days_between(D("2025-10-01"), D("2025-10-01")) == 0


def test_next_working_day_and_add_working_days():
    assert next_working_day(D("2025-09-30")) == D("2025-10-09")
    assert next_working_day(D("2025-09-27")) == D("2025-09-28")  # a Sunday worked
    assert next_working_day(D("2025-10-09"), include_today=True) == D("2025-10-09")
    assert add_working_days(D("2025-09-29"), 3) == D("2025-10-10")
    with pytest.raises(ValueError):
        add_working_days(D("2025-09-29"), 0)


def test_month_view_needs_few_queries(django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        days = WorkCalendar().days(D("2025-01-01"), D("2025-12-31"))
        # 261 weekdays - 18 weekday holidays + 5 worked weekend days
        assert sum(1 for d in days if d.working) == 248


def test_day_info_refuses_a_datetime():
    with pytest.raises(TypeError, match="local_date"):
        day_info(datetime(2025, 10, 1, tzinfo=UTC))


# --- local dates ---------------------------------------------------------------------


def test_local_date_crosses_the_utc_day_boundary():
    late_utc = datetime(2026, 9, 30, 16, 30, tzinfo=UTC)  # 00:30 on 1 October in Shanghai
    assert late_utc.date() == D("2026-09-30")
    assert local_date(late_utc) == D("2026-10-01")
    assert not is_working_day(local_date(late_utc))
    assert is_working_day(late_utc.date())
    assert local_date(datetime(2026, 9, 30, 15, 59, tzinfo=UTC)) == D("2026-09-30")


def test_local_date_refuses_naive_datetimes():
    with pytest.raises(ValueError):
        local_date(datetime(2026, 9, 30, 16, 30))
