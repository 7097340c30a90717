"""The rooms of a slot (V4): how many a booking may take, and taking or
giving one back.

A slot's load row (:class:`~.models.SlotLoad`) counts the rooms taken;
:func:`free_of` is the one formula of what is free, for a legal-aid
booking (any room) and for any other (not the rooms reserved for legal
aid). :func:`claim_room` takes a room with one conditional update whose
condition is that formula; the CHECK constraints of the table keep both
limits whatever a caller does."""

from __future__ import annotations

from datetime import date, time
from functools import lru_cache
from typing import Any

from django.db import connection
from django.db.models import Case, F, Q, QuerySet, Value, When

from lvshi.core import rows

from .models import CentreConfig, Room, RoomKind, SlotLoad

# The one rule of a free room. A slot has ``capacity`` rooms, ``reserved``
# of them for legal-aid cases only; ``taken`` rooms are held, ``taken_open``
# of them by bookings that are not legal aid. Each limit is (counter,
# ceiling, less): a booking may take a room while every limit of its kind
# has ``counter < ceiling - less``, and taking one raises each counter of
# its limits by one. A legal-aid booking may take any room; any other also
# needs a room that is not reserved.
LIMITS: dict[bool, tuple[tuple[str, str, str | None], ...]] = {
    True: (("taken", "capacity", None),),
    False: (("taken", "capacity", None), ("taken_open", "capacity", "reserved")),
}
LOAD_FIELDS = ("capacity", "reserved", "taken", "taken_open")
# Slot loads as read: {(date, start, room kind): (capacity, reserved, taken, taken_open)}.
Loads = dict[tuple[date, time, str], tuple[int, int, int, int]]


def free_of(capacity: int, reserved: int, taken: int, taken_open: int, *, legal_aid: bool) -> int:
    """The rooms of a slot with this load a booking may take (never below 0)."""
    load = {"capacity": capacity, "reserved": reserved, "taken": taken, "taken_open": taken_open}
    return max(
        min(
            load[ceiling] - (load[less] if less else 0) - load[counter] for counter, ceiling, less in LIMITS[legal_aid]
        ),
        0,
    )


def room_left(*, legal_aid: bool) -> Q:
    """The ORM form of the rule: load rows with a room left for a booking."""
    q = Q()
    for counter, ceiling, less in LIMITS[legal_aid]:
        q &= Q(**{f"{counter}__lt": F(ceiling) - F(less) if less else F(ceiling)})
    return q


def over_limit(**rooms: int) -> Q:
    """Load rows holding more than their rooms allow: any limit of the rule
    broken. *rooms* gives ``capacity`` and ``reserved`` to test against
    instead of the rows' own (a centre about to change its rooms)."""

    def value(name: str) -> F | int:
        return rooms[name] if name in rooms else F(name)

    q = Q()
    for counter, ceiling, less in LIMITS[False]:
        q |= Q(**{f"{counter}__gt": value(ceiling) - value(less) if less else value(ceiling)})
    return q


def rooms_of(centre: Any, kind: str, *, reserved: bool = False) -> QuerySet[Room]:
    """The one definition of a centre's rooms for booking: its active rooms
    of *kind* (with *reserved*, only those for legal-aid cases). *centre* is
    its id or an expression for it (``OuterRef`` in a count per centre, a
    column of a plain statement)."""
    rooms = Room.objects.filter(centre_id=centre, active=True, kind=kind)
    return rooms.filter(legal_aid_only=True) if reserved else rooms


def room_capacity(config: CentreConfig, kind: str) -> int:
    return config.in_person_rooms if kind == RoomKind.IN_PERSON else config.video_rooms


def reserved_rooms(config: CentreConfig, kind: str) -> int:
    """Active rooms of *kind* only legal-aid bookings may take."""
    return config.in_person_reserved if kind == RoomKind.IN_PERSON else config.video_reserved


def free_for(slot: dict, *, legal_aid: bool) -> int:
    """The rooms of an availability row a booking may take."""
    return slot["free_legal_aid"] if legal_aid else slot["free"]


def _load(centre_id: int, day: date, start: time, kind: str) -> QuerySet[SlotLoad]:
    return SlotLoad.objects.filter(centre_id=centre_id, date=day, start=start, room_kind=kind)


@lru_cache(maxsize=4)
def _claim_sql(vendor: str) -> dict[bool, str]:
    """The conditional updates of :func:`claim_room` for a legal-aid booking
    (True) and any other (False), plain SQL built once per process from
    :data:`LIMITS` and the model's metadata: on the booking path the ORM's
    compiling of an update cost more than running it. Every value is a
    parameter (``tests/test_plain_sql.py`` compares it with :func:`room_left`)."""

    def col(name: str) -> str:
        return rows.column(SlotLoad, name)

    table = connection.ops.quote_name(SlotLoad._meta.db_table)
    key = " AND ".join(f"{col(name)} = %s" for name in ("centre", "date", "start", "room_kind"))
    statements = {}
    for legal_aid, limits in LIMITS.items():
        raise_ = ", ".join(f"{col(counter)} = {col(counter)} + 1" for counter, _c, _l in limits)
        left = " AND ".join(
            f"{col(counter)} < {col(ceiling)}" + (f" - {col(less)}" if less else "")
            for counter, ceiling, less in limits
        )
        statements[legal_aid] = f"UPDATE {table} SET {raise_} WHERE {key} AND {left}"  # noqa: S608 - names from the model
    return statements


def claim_room(centre_id: int, day: date, start: time, kind: str, *, legal_aid: bool) -> bool:
    """Raise the slot's load by one room if :data:`LIMITS` allow it; False
    when not. One conditional update: the CHECK constraints keep both limits
    even if a caller got it wrong."""
    ops = connection.ops
    params = [centre_id, ops.adapt_datefield_value(day), ops.adapt_timefield_value(start), kind]
    with connection.cursor() as cursor:
        cursor.execute(_claim_sql(connection.vendor)[bool(legal_aid)], params)
        return cursor.rowcount == 1


def give_back_room(centre_id: int, day: date, start: time, kind: str, *, legal_aid: bool) -> None:
    """Lower the slot's load by one room taken by a legal-aid booking or not:
    each counter of its :data:`LIMITS`, none below 0."""
    changes = {
        counter: Case(When(**{f"{counter}__gt": 0}, then=F(counter) - 1), default=Value(0))
        for counter, _ceiling, _less in LIMITS[legal_aid]
    }
    _load(centre_id, day, start, kind).filter(taken__gt=0).update(**changes)


def ensure_load(config: CentreConfig, day: date, start: time, end: time, kind: str) -> None:
    """Create the slot's load row with the centre's rooms of *kind* (and how
    many of them are for legal aid only) if it does not exist yet."""
    SlotLoad.objects.bulk_create(
        [
            SlotLoad(
                centre_id=config.organisation_id,
                date=day,
                start=start,
                end=end,
                room_kind=kind,
                capacity=room_capacity(config, kind),
                reserved=reserved_rooms(config, kind),
            )
        ],
        ignore_conflicts=True,
    )


def take_room(
    config: CentreConfig, day: date, start: time, end: time, kind: str, legal_aid: bool = False, *, seen: bool = False
) -> bool:
    """Take one room of the slot; False when none is left for this booking.
    The conditional update and the CHECK constraints both keep
    ``taken <= capacity`` and the legal-aid rooms free of other bookings.
    The slot's load row is created first unless the request has *seen* it
    already (load rows are never deleted)."""
    if not seen:
        ensure_load(config, day, start, end, kind)
    return claim_room(config.organisation_id, day, start, kind, legal_aid=legal_aid)


def free_rooms(config: CentreConfig, loads: Loads, day: date, start: time, kind: str, *, legal_aid: bool) -> int:
    """The rooms of a slot a booking may take, as *loads* (from
    :func:`~.selectors.loads_between`) saw them; a slot without a load row
    has all the centre's rooms of *kind* free. Only a hint: the conditional
    update of :func:`claim_room` decides."""
    load = loads.get((day, start, kind)) or (room_capacity(config, kind), reserved_rooms(config, kind), 0, 0)
    return free_of(*load, legal_aid=legal_aid)
