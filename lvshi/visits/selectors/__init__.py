"""Reads for meetings, by area: slots and their loads (:mod:`.slots`), the
booking window (:mod:`.window`), places of meetings (:mod:`.places`), a
lawyer's own side (:mod:`.lawyers`), violations and the lock-out
(:mod:`.lockout`) and the booking pages (:mod:`.pages`).

Nothing here writes. The names below are the package's public reads; the
lock-out and page reads are used through their modules."""

from .lawyers import active_bindings, assistants_for, bookings_for, lawyer_counts, waitlist_for
from .places import point_parent_path, points_serving, served_centre_ids, serves
from .slots import (
    ROOM_COUNTS,
    availability,
    centres,
    config_with_rooms,
    day_slots,
    extra_sessions,
    extras_between,
    loads_between,
    room_counts,
    slot_end,
    window_facts,
)
from .window import (
    ALTERNATIVES,
    CANCEL_DEADLINE_HOUR,
    alternatives,
    cancel_deadline,
    centre_calendar,
    centre_config,
    check_open,
    check_window,
    day_open,
    last_day,
    window_days,
)

__all__ = [
    "ALTERNATIVES",
    "CANCEL_DEADLINE_HOUR",
    "ROOM_COUNTS",
    "active_bindings",
    "alternatives",
    "assistants_for",
    "availability",
    "bookings_for",
    "cancel_deadline",
    "centre_calendar",
    "centre_config",
    "centres",
    "check_open",
    "check_window",
    "config_with_rooms",
    "day_open",
    "day_slots",
    "extra_sessions",
    "extras_between",
    "last_day",
    "lawyer_counts",
    "loads_between",
    "point_parent_path",
    "points_serving",
    "room_counts",
    "served_centre_ids",
    "serves",
    "slot_end",
    "waitlist_for",
    "window_days",
    "window_facts",
]
