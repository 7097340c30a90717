"""Which days are working days, for the whole country and for one organisation.

Sources, in order of precedence:

1. A closure declared by the organisation or by any organisation above it.
2. The official schedule of the year entered in the admin (HolidayYear,
   when published).
3. The ``holidays`` library, for the years it takes from the State Council's
   notices (2001 to :data:`LIBRARY_LAST_OFFICIAL_YEAR`), with make-up working
   days (调休).
4. Otherwise the statutory holidays alone (元旦, 春节, 清明节, 劳动节, 端午节,
   中秋节, 国庆节) and weekends; ``official`` is then False, because the
   year's arrangement has not been announced.

Deadlines are counted in local dates: use :func:`local_date` for datetimes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Closure, DayKind, HolidayDateKind, HolidayYear

SHANGHAI = ZoneInfo("Asia/Shanghai")
LIBRARY_FIRST_OFFICIAL_YEAR = 2001
try:
    from holidays.countries.china import ChinaStaticHolidays

    LIBRARY_LAST_OFFICIAL_YEAR = max(ChinaStaticHolidays.special_public_holidays)
except (ImportError, AttributeError, ValueError):  # pragma: no cover - library layout changed
    LIBRARY_LAST_OFFICIAL_YEAR = 2026
MAX_SCAN_DAYS = 366
# The eve is part of the Spring Festival holiday in the official notices.
_ALIASES = {"农历除夕": "春节"}
_SUBSTITUTED = re.compile(r"由 ?(\d{4}-\d{2}-\d{2}) ?调休")


def local_date(dt: datetime) -> date:
    """The calendar date in Asia/Shanghai of an aware datetime."""
    if timezone.is_naive(dt):
        raise ValueError("local_date() needs an aware datetime")
    return dt.astimezone(SHANGHAI).date()


def today() -> date:
    return local_date(timezone.now())


@dataclass(frozen=True, slots=True)
class DayInfo:
    day: date
    working: bool
    kind: str  # a DayKind value
    name: str = ""
    official: bool = True
    note: str = ""
    closed_by: str = ""  # the organisation whose closure applies

    @property
    def kind_label(self) -> str:
        return str(DayKind(self.kind).label)


# --- the holidays library ------------------------------------------------------


@dataclass(frozen=True)
class _YearData:
    official: bool
    holidays: dict[date, str]  # day → name (of the day itself)
    makeup: dict[date, date]  # make-up working day → the day off it pays for
    extra_makeup: dict[date, str]  # make-up days with a given name (official table)


def _plain_name(label: str) -> str:
    """'国庆节（补假）' → '国庆节'; '中秋节; 国庆节' → '中秋节、国庆节'; a
    substituted day off ('休息日（由 … 调休）') has no name of its own."""
    if _SUBSTITUTED.search(label):
        return ""
    names = []
    for part in label.split(";"):
        part = part.strip().split("（", 1)[0].strip()
        part = _ALIASES.get(part, part)
        if part and part not in names:
            names.append(part)
    return "、".join(names)


@lru_cache(maxsize=64)
def _library_year(year: int) -> _YearData:
    official = LIBRARY_FIRST_OFFICIAL_YEAR <= year <= LIBRARY_LAST_OFFICIAL_YEAR
    # Outside the official years the library's days in lieu are guesses;
    # only the statutory days themselves are certain.
    lib = holidays.China(years=year, language="zh_CN", observed=official)
    days = {d: label for d, label in lib.items() if d.year == year}
    makeup = {}
    if official:
        for d, label in days.items():
            m = _SUBSTITUTED.search(label)
            if m:
                makeup[date.fromisoformat(m.group(1))] = d
        for d in lib.weekend_workdays:
            if d.year == year and d not in makeup:
                makeup[d] = d
    return _YearData(official=official, holidays=days, makeup=makeup, extra_makeup={})


def _table_year(schedule: HolidayYear) -> _YearData:
    return _table_data((row.date, row.kind, row.name) for row in schedule.dates.all())


def _table_data(rows) -> _YearData:
    """A published official table from its (date, kind, name) rows."""
    days, extra = {}, {}
    for day, kind, name in rows:
        if kind == HolidayDateKind.HOLIDAY:
            days[day] = name
        else:
            extra[day] = name
    return _YearData(official=True, holidays=days, makeup={}, extra_makeup=extra)


# --- the calendar ----------------------------------------------------------------


class WorkCalendar:
    """Working days for one organisation (or the country, with None).

    Loads the official tables once and closures per range on demand, so
    asking about many days costs a few queries, not a few per day.
    """

    def __init__(self, organisation=None):
        self.organisation = organisation
        self._years: dict[int, _YearData] = {}
        self._closures: dict[date, tuple[str, str]] = {}
        self._closure_range: tuple[date, date] | None = None

    # loading

    def _load_years(self, years: set[int]) -> None:
        wanted = sorted(y for y in years if y not in self._years)
        if not wanted:
            return
        tables = {
            s.year: s for s in HolidayYear.objects.filter(year__in=wanted, published=True).prefetch_related("dates")
        }
        for y in wanted:
            self._years[y] = _table_year(tables[y]) if y in tables else _library_year(y)

    def _year(self, year: int) -> _YearData:
        if year not in self._years:
            self._load_years({year - 1, year, year + 1})
        return self._years[year]

    def _load_closures(self, start: date, end: date) -> None:
        if self.organisation is None:
            return
        if self._closure_range and self._closure_range[0] <= start and end <= self._closure_range[1]:
            return
        if self._closure_range:
            start, end = min(start, self._closure_range[0]), max(end, self._closure_range[1])
        rows = (
            Closure.objects.filter(organisation_id__in=self.organisation.ancestor_ids(), date__gte=start, date__lte=end)
            .order_by("date", "-organisation__path")
            .values_list("date", "reason", "organisation__name")
        )
        closures: dict[date, tuple[str, str]] = {}
        for day, reason, org_name in rows:
            # The closest organisation's reason wins when several apply.
            closures.setdefault(day, (reason, org_name))
        self._closures = closures
        self._closure_range = (start, end)

    def prepare(self, start: date, end: date) -> WorkCalendar:
        """Load everything needed for days start..end in one go."""
        self._load_years(set(range(start.year - 1, end.year + 2)))
        self._load_closures(start, end)
        return self

    @staticmethod
    def years_for(start: date, end: date) -> range:
        """The years whose tables :meth:`prepare` needs for start..end."""
        return range(start.year - 1, end.year + 2)

    def preload(self, start: date, end: date, *, tables: dict[int, list], closures: list) -> WorkCalendar:
        """What :meth:`prepare` reads, read by the caller (e.g. in one
        statement with other rows of the same request): *tables* maps each
        year of :meth:`years_for` that has a published official table to its
        (date, kind, name) rows; *closures* are (date, reason, organisation
        name, organisation path) of the organisation and those above it,
        from *start* to *end*."""
        for year in self.years_for(start, end):
            self._years[year] = _table_data(tables[year]) if year in tables else _library_year(year)
        if self.organisation is not None:
            found: dict[date, tuple[str, str]] = {}
            # The closest organisation (the longest path, sorted last) wins.
            for day, reason, org_name, _path in sorted(closures, key=lambda c: (c[0], c[3])):
                found[day] = (reason, org_name)
            self._closures, self._closure_range = found, (start, end)
        return self

    # national calendar (no closures)

    def _base(self, day: date) -> tuple[bool, str, str, bool]:
        """(working, kind, own name, official) before closures and blocks."""
        data = self._year(day.year)
        if day in data.holidays:
            return False, DayKind.HOLIDAY, _plain_name(data.holidays[day]), data.official
        if day in data.extra_makeup:
            return True, DayKind.MAKEUP_WORKDAY, data.extra_makeup[day], data.official
        if day in data.makeup:
            return True, DayKind.MAKEUP_WORKDAY, "", data.official
        if day.weekday() >= 5:
            return False, DayKind.WEEKEND, "", data.official
        return True, DayKind.WORKDAY, "", data.official

    def _block_name(self, day: date) -> str:
        """Names of the holidays in the run of days off around *day*
        ('国庆节、中秋节' for 1-8 Oct 2025)."""
        names: list[str] = []
        run = [day]
        for step in (-1, 1):
            d = day + timedelta(days=step)
            for _i in range(14):
                working, _kind, _name, _official = self._base(d)
                if working:
                    break
                run.append(d)
                d += timedelta(days=step)
        for d in sorted(run):
            _working, kind, name, _official = self._base(d)
            if kind == DayKind.HOLIDAY:
                for part in name.split("、"):
                    if part and part not in names:
                        names.append(part)
        return "、".join(names)

    def national_day_info(self, day: date) -> DayInfo:
        working, kind, name, official = self._base(day)
        note = "" if official else _("该年度放假安排尚未公布")
        if kind == DayKind.HOLIDAY and not name:
            name = self._block_name(day)
        elif kind == DayKind.WEEKEND:
            block = self._block_name(day)
            if block:
                kind, name = DayKind.HOLIDAY, block
        elif kind == DayKind.MAKEUP_WORKDAY and not name:
            paid_for = self._year(day.year).makeup.get(day, day)
            block = self._block_name(paid_for) if paid_for != day else ""
            name = _("%(name)s调休上班") % {"name": block} if block else _("调休上班")
        return DayInfo(day=day, working=working, kind=kind, name=name, official=official, note=note)

    def day_info(self, day: date) -> DayInfo:
        if isinstance(day, datetime):
            raise TypeError("day_info() takes a date; use local_date(dt) for a datetime")
        self._load_closures(day, day)
        info = self.national_day_info(day)
        closure = self._closures.get(day)
        if closure:
            reason, org_name = closure
            return DayInfo(
                day=day,
                working=False,
                kind=DayKind.CLOSURE,
                name=reason,
                official=info.official,
                note=info.note,
                closed_by=org_name,
            )
        return info

    def is_working_day(self, day: date) -> bool:
        return self.day_info(day).working

    def days(self, start: date, end: date) -> Iterator[DayInfo]:
        self.prepare(start, end)
        d = start
        while d <= end:
            yield self.day_info(d)
            d += timedelta(days=1)

    def working_days_between(self, start: date, end: date) -> int:
        if start > end:
            start, end = end, start
        return sum(1 for info in self.days(start, end) if info.working)

    def next_working_day(self, day: date, *, include_today: bool = False) -> date:
        d = day if include_today else day + timedelta(days=1)
        self.prepare(d, d + timedelta(days=45))
        for _i in range(MAX_SCAN_DAYS):
            if self.is_working_day(d):
                return d
            d += timedelta(days=1)
        raise ValueError(f"no working day within {MAX_SCAN_DAYS} days after {day}")

    def add_working_days(self, day: date, n: int) -> date:
        """The n-th working day after *day* (n ≥ 1); e.g. a deadline of
        "3 working days" from a decision taken on *day*."""
        if n < 1:
            raise ValueError("n must be at least 1")
        d = day
        for _i in range(n):
            d = self.next_working_day(d)
        return d


# --- module-level shortcuts --------------------------------------------------------


def day_info(day: date, organisation=None) -> DayInfo:
    return WorkCalendar(organisation).day_info(day)


def is_working_day(day: date, organisation=None) -> bool:
    return WorkCalendar(organisation).is_working_day(day)


def working_days_between(start: date, end: date, organisation=None) -> int:
    """Working days from *start* to *end*, both included (order does not matter)."""
    return WorkCalendar(organisation).working_days_between(start, end)


def next_working_day(day: date, organisation=None, *, include_today: bool = False) -> date:
    return WorkCalendar(organisation).next_working_day(day, include_today=include_today)


def add_working_days(day: date, n: int, organisation=None) -> date:
    return WorkCalendar(organisation).add_working_days(day, n)


def month_days(year: int, month: int, organisation=None) -> list[DayInfo]:
    start = date(year, month, 1)
    end = (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)
    return list(WorkCalendar(organisation).days(start, end))
