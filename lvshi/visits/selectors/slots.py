"""Slots and their loads: the centres that take bookings, their rooms per
kind, the slots of a day (with extra sessions) and what is free in each."""

from __future__ import annotations

from datetime import date, time, timedelta
from functools import lru_cache, partial
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from lvshi.calendar.models import Closure, HolidayDate, HolidayYear
from lvshi.calendar.workdays import WorkCalendar
from lvshi.core import rows
from lvshi.orgs.models import Organisation

from ..capacity import LOAD_FIELDS, Loads, free_of, reserved_rooms, room_capacity, rooms_of
from ..models import CENTRE_KINDS, ROOM_KINDS, CentreConfig, ExtraSession, RoomKind, SlotLoad

if TYPE_CHECKING:
    from typing import Any


def centres() -> QuerySet[CentreConfig]:
    """Centres that take bookings, with their organisation."""
    return (
        CentreConfig.objects.filter(organisation__kind__in=CENTRE_KINDS, organisation__is_active=True)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )


# The room counts a configuration carries (see CentreConfig): name → (kind,
# only the rooms reserved for legal aid).
ROOM_COUNTS: dict[str, tuple[str, bool]] = {
    "in_person_rooms": (RoomKind.IN_PERSON, False),
    "video_rooms": (RoomKind.VIDEO, False),
    "in_person_reserved": (RoomKind.IN_PERSON, True),
    "video_reserved": (RoomKind.VIDEO, True),
}


def room_counts(centre_ref: str = "organisation_id") -> dict[str, Coalesce]:
    """Annotations counting the centre's active rooms per kind, and those of
    them reserved for legal aid (:func:`capacity.rooms_of`), for a query
    whose *centre_ref* is the centre's id (see :func:`config_with_rooms`)."""
    return {
        name: count_of(rooms_of(OuterRef(centre_ref), kind, reserved=reserved))
        for name, (kind, reserved) in ROOM_COUNTS.items()
    }


def config_with_rooms(centre: Organisation | int) -> CentreConfig | None:
    """The centre's configuration with its active rooms counted per kind, in one query."""
    centre_id = centre.pk if isinstance(centre, Organisation) else centre
    return (
        CentreConfig.objects.filter(organisation_id=centre_id)
        .select_related("organisation")
        .annotate(**room_counts())
        .first()
    )


def extras_between(config: CentreConfig, first: date, last: date) -> None:
    """Load the centre's extra sessions from *first* to *last* in one query
    into ``config.extra_sessions_read`` (see :func:`extra_sessions`); no
    query when they were read already."""
    memo = config.extra_sessions_read
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    if all(day in memo for day in days):
        return
    for day in days:
        memo.setdefault(day, [])
    rows = ExtraSession.objects.filter(centre_id=config.organisation_id, date__range=(first, last)).order_by(
        "date", "start"
    )
    for row in rows.values_list("date", "start", "end"):
        if (row[1], row[2]) not in memo[row[0]]:
            memo[row[0]].append((row[1], row[2]))


def extra_sessions(config: CentreConfig, day: date) -> list[tuple[time, time]]:
    """The extra sessions (加开场次) of *day*, as (start, end); one query per
    day and configuration object, then remembered."""
    memo = config.extra_sessions_read
    if day not in memo:
        extras_between(config, day, day)
    return memo[day]


def day_slots(config: CentreConfig, day: date) -> list[tuple[time, time]]:
    """The slots of *day*: the pattern's and the day's extra sessions, in
    order. An extra session starting with a pattern slot is that slot (one
    slot per start: the load row is per start)."""
    slots = dict(config.slots())
    for start, end in extra_sessions(config, day):
        slots.setdefault(start, end)
    return sorted(slots.items())


@lru_cache(maxsize=4)
def _loads_sql(vendor: str) -> str:
    cols = ", ".join(rows.col(SlotLoad, n) for n in ("date", "start", "room_kind", *LOAD_FIELDS))
    return (
        f"SELECT {cols} FROM {rows.table(SlotLoad)} "  # noqa: S608 - names from the model
        f"WHERE {rows.col(SlotLoad, 'centre')} = %s AND {rows.col(SlotLoad, 'date')} BETWEEN %s AND %s"
    )


def loads_between(centre_id: int, first: date, last: date) -> Loads:
    """The centre's slot loads from *first* to *last*, in one query (plain
    SQL built once: on the booking path the ORM's compiling cost more than
    the query), as {(date, start, kind): (capacity, reserved, taken, taken_open)}.
    No query when :func:`window_facts` has just read them in this request."""
    adapt = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:
        cursor.execute(_loads_sql(connection.vendor), [centre_id, adapt(first), adapt(last)])
        found = cursor.fetchall()
    day_field, start_field = SlotLoad._meta.get_field("date"), SlotLoad._meta.get_field("start")
    return {
        (rows.convert(day_field, d), rows.convert(start_field, start), kind): tuple(rest)
        for d, start, kind, *rest in found
    }


@lru_cache(maxsize=16)
def _window_sql(vendor: str, ancestors: int) -> str:
    """One statement for a centre's booking window: its extra sessions (1),
    the closures of the centre and the organisations above it (2), the
    published official holiday tables of the years concerned (3; a year
    without dates gives one row without a date) and the slot loads (4).
    Every table and column is named through its model; every value is a
    parameter."""
    e, c, o = (
        partial(rows.col, ExtraSession, alias="e"),
        partial(rows.col, Closure, alias="c"),
        partial(rows.col, Organisation, alias="o"),
    )
    y, h, s = (
        partial(rows.col, HolidayYear, alias="y"),
        partial(rows.col, HolidayDate, alias="h"),
        partial(rows.col, SlotLoad, alias="s"),
    )
    years, dates = rows.table(HolidayYear), rows.table(HolidayDate)
    marks = ", ".join(["%s"] * ancestors)
    number = "CAST(NULL AS integer)"
    loads = ", ".join(s(n) for n in LOAD_FIELDS)
    return " UNION ALL ".join(
        [
            f"SELECT 1, {e('date')}, {e('start')}, {e('end')}, CAST(NULL AS varchar(200)), "  # noqa: S608
            f"CAST(NULL AS varchar(200)), CAST(NULL AS varchar(255)), {number}, {number}, {number}, {number} "
            f"FROM {rows.table(ExtraSession)} e WHERE {e('centre')} = %s AND {e('date')} BETWEEN %s AND %s",
            f"SELECT 2, {c('date')}, NULL, NULL, {c('reason')}, {o('name')}, {o('path')}, NULL, NULL, NULL, NULL "  # noqa: S608
            f"FROM {rows.table(Closure)} c INNER JOIN {rows.table(Organisation)} o ON {o('id')} = {c('organisation')} "
            f"WHERE {c('organisation')} IN ({marks}) AND {c('date')} BETWEEN %s AND %s",
            f"SELECT 3, {h('date')}, NULL, NULL, {h('kind')}, {h('name')}, NULL, {y('year')}, NULL, NULL, NULL "  # noqa: S608
            f"FROM {years} y LEFT OUTER JOIN {dates} h ON {h('schedule')} = {y('id')} "
            f"WHERE {y('published')} AND {y('year')} BETWEEN %s AND %s",
            f"SELECT 4, {s('date')}, {s('start')}, NULL, {s('room_kind')}, NULL, NULL, {loads} "  # noqa: S608
            f"FROM {rows.table(SlotLoad)} s WHERE {s('centre')} = %s AND {s('date')} BETWEEN %s AND %s",
        ]
    )


def window_facts(config: CentreConfig, first: date, last: date, calendar: WorkCalendar) -> tuple[WorkCalendar, Loads]:
    """Read in one statement what a booking request needs of the centre's
    window *first*..*last*: the extra sessions (into
    ``config.extra_sessions_read``, see :func:`extra_sessions`), the
    closures and official holiday tables, given to *calendar*, and the slot
    loads. Returns the calendar prepared for the window and the loads (as
    :func:`loads_between` gives them). Read per request, never cached across
    them, so a closure or a holiday table written meanwhile applies at once."""
    adapt = connection.ops.adapt_datefield_value
    ancestors = config.organisation.ancestor_ids()
    years = calendar.years_for(first, last)
    window = [adapt(first), adapt(last)]
    params = [config.organisation_id, *window, *ancestors, *window, years[0], years[-1]]
    params += [config.organisation_id, *window]
    with connection.cursor() as cursor:
        cursor.execute(_window_sql(connection.vendor, len(ancestors)), params)
        found = cursor.fetchall()
    extra_date, extra_start, extra_end = (ExtraSession._meta.get_field(n) for n in ("date", "start", "end"))
    closure_date, holiday_date = Closure._meta.get_field("date"), HolidayDate._meta.get_field("date")
    load_date, load_start = SlotLoad._meta.get_field("date"), SlotLoad._meta.get_field("start")
    memo = config.extra_sessions_read
    for i in range((last - first).days + 1):
        memo[first + timedelta(days=i)] = []
    closures: list[tuple[date, str, str, str]] = []
    tables: dict[int, list[tuple[date, str, str]]] = {}
    loads: Loads = {}
    for part, day, start, end, text, name, path, *numbers in found:
        if part == 1:
            session = (rows.convert(extra_start, start), rows.convert(extra_end, end))
            sessions = memo[rows.convert(extra_date, day)]
            if session not in sessions:
                sessions.append(session)
        elif part == 2:
            closures.append((rows.convert(closure_date, day), text, name, path))
        elif part == 3:
            table = tables.setdefault(int(numbers[0]), [])
            if day is not None:
                table.append((rows.convert(holiday_date, day), text, name))
        else:
            loads[(rows.convert(load_date, day), rows.convert(load_start, start), text)] = tuple(numbers)
    for sessions in memo.values():
        sessions.sort()
    return calendar.preload(first, last, tables=tables, closures=closures), loads


def availability(
    centre: Organisation | int,
    day: date,
    *,
    config: CentreConfig | None = None,
    loads: Loads | None = None,
) -> list[dict]:
    """Every slot of *day* at *centre* for each room kind the centre has:
    start, end, kind, capacity, ``free`` (rooms any booking may take) and
    ``free_legal_aid`` (rooms a legal-aid booking may take, those reserved
    for legal aid included). Three queries whatever the number of bookings
    (two when *config* comes from :func:`config_with_rooms`, none more when
    *loads* from :func:`loads_between` cover the day); no personal data.
    Whether the day is open is the calendar's question."""
    if config is None:
        config = config_with_rooms(centre)
    if config is None:
        return []
    if loads is None:
        loads = loads_between(config.organisation_id, day, day)
    result = []
    for start, end in day_slots(config, day):
        for kind in ROOM_KINDS:
            rooms = room_capacity(config, kind)
            load = loads.get((day, start, kind))
            if load is None and rooms == 0:
                continue
            capacity, reserved, taken, taken_open = load or (rooms, reserved_rooms(config, kind), 0, 0)
            result.append(
                {
                    "start": start,
                    "end": end,
                    "kind": kind,
                    "capacity": capacity,
                    "reserved": reserved,
                    "free": free_of(capacity, reserved, taken, taken_open, legal_aid=False),
                    "free_legal_aid": free_of(capacity, reserved, taken, taken_open, legal_aid=True),
                }
            )
    return result


def slot_end(config: CentreConfig, start: time, day: date | None = None) -> time | None:
    slots = day_slots(config, day) if day is not None else config.slots()
    return next((end for s, end in slots if s == start), None)


def count_of(qs: QuerySet[Any]) -> Coalesce:
    """A scalar subquery counting *qs* (for one query of several counts)."""
    counted = qs.order_by().annotate(_one=Value(1)).values("_one").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
