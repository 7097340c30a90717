"""The meetings' demo records no service can make (see ``demo.py``): the
past fortnight's meetings at 上海市第一看守所 (met, with their check-in; one
no-show with its violation, which the lawyer has appealed) and today's
approved meetings at both centres, for the board to check in."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from lvshi.audit.services import audit_record
from lvshi.calendar.workdays import SHANGHAI, WorkCalendar
from lvshi.core.actor import Actor

from . import capacity, selectors
from .models import Booking, BookingStatus, CentreConfig, CheckIn, RoomKind, Violation
from .services import checkin

SEARCH_DAYS = 30  # how far back a past open day is looked for


def open_days(config: CentreConfig, first: date, last: date) -> list[date]:
    """The days from *first* to *last* on which the centre receives lawyers."""
    calendar = WorkCalendar(config.organisation).prepare(first, last)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return [day for day in days if selectors.day_open(config, day, calendar)[0]]


def past_open_days(config: CentreConfig, today: date) -> list[date]:
    """Open days before today, the most recent first."""
    return list(reversed(open_days(config, today - timedelta(days=SEARCH_DAYS), today - timedelta(days=1))))


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


# Meetings on past open days of 上海市第一看守所: (days back among its open
# days, lawyer, detainee, start). Each lawyer and detainee once per slot.
PAST_MEETINGS = (
    (0, "lawyer1", "1A-001", time(8, 30)),
    (0, "lawyer2", "1A-002", time(13, 30)),
    (1, "lawyer3", "1A-003", time(8, 30)),
    (2, "lawyer2", "1B-005", time(8, 30)),
    (2, "lawyer1", "1C-006", time(13, 30)),
    (3, "lawyer1", "1A-001", time(8, 30)),
    (3, "lawyer3", "1A-003", time(8, 30)),
    (3, "lawyer2", "1A-002", time(13, 30)),
    (5, "lawyer2", "1B-005", time(13, 30)),
    (6, "lawyer1", "1B-004", time(8, 30)),
    (8, "lawyer3", "1A-003", time(13, 30)),
)
NO_SHOW = (1, "lawyer1", "1B-004", time(13, 30))
# Today's meetings, approved, by centre: (lawyer, detainee, start).
TODAY_MEETINGS = {
    "sh_centre1": (
        ("lawyer2", "1B-005", time(8, 30)),
        ("lawyer1", "1C-006", time(13, 30)),
        ("lawyer3", "1A-003", time(13, 30)),
    ),
    "sh_centre2": (
        ("lawyer2", "2B-006", time(14, 0)),
        ("lawyer1", "2A-001", time(15, 0)),
    ),
}


def history(orgs, users, people, today: date) -> None:
    officer1 = users["officer1"]
    config1 = selectors.centre_config(orgs["sh_centre1"].pk)
    past = past_open_days(config1, today)
    for back, lawyer, number, start in PAST_MEETINGS:
        if back >= len(past):  # a long holiday leaves fewer open days
            continue
        _recorded_meeting(users[lawyer], people[number], past[back], start, config1, officer1, BookingStatus.COMPLETED)
    back, lawyer, number, start = NO_SHOW
    no_show = _recorded_meeting(
        users[lawyer], people[number], past[back], start, config1, officer1, BookingStatus.NO_SHOW
    )
    checkin.violation_appeal(
        actor=Actor(users[lawyer]),
        violation=no_show.violation,
        text="当日上午在法院开庭，庭审延长未能按时到达，已提交开庭通知书复印件备查。",
    )
    # Today's meetings where the centre receives lawyers today (none on a
    # Sunday or a holiday): the data is made once, so "today" is the day it
    # was loaded.
    for key, meetings in TODAY_MEETINGS.items():
        config = selectors.centre_config(orgs[key].pk)
        if today not in open_days(config, today, today):
            continue
        officer = users["officer1" if key == "sh_centre1" else "officer2"]
        for lawyer, number, start in meetings:
            _recorded_meeting(users[lawyer], people[number], today, start, config, officer, BookingStatus.APPROVED)


def _recorded_meeting(lawyer, detainee, day: date, start: time, config: CentreConfig, officer, status: str):
    """A meeting no service can book: one on a past day (completed with its
    check-in, or a no-show with its violation) or today's (approved, inside
    the booking window's closed front). Written with the ORM; the rows are
    those the booking, the review, the check-in and the no-show run would
    have left, with the slot's room taken (the day's other slots get their
    load rows too, so the statistics show the rooms' use)."""
    slots = dict(config.slots())
    end = slots[start]
    submitted = _local(day - timedelta(days=3), 10)
    booking = Booking(
        lawyer=lawyer,
        detainee=detainee,
        centre=config.organisation,
        date=day,
        start=start,
        end=end,
        status=status,
        submitted_at=submitted,
        decided_at=submitted + timedelta(hours=2),
        decided_by=officer,
    )
    booking.full_clean(validate_constraints=False)
    booking.save()
    for slot_start, slot_end in slots.items():
        capacity.ensure_load(config, day, slot_start, slot_end, RoomKind.IN_PERSON)
    if not capacity.take_room(config, day, start, end, RoomKind.IN_PERSON, seen=True):
        raise RuntimeError(f"demo data: no room left at {config.organisation} on {day} {start}")
    after: dict[str, object] = {"date": day.isoformat(), "start": start.strftime("%H:%M"), "status": booking.status}
    if status == BookingStatus.COMPLETED:
        arrived = datetime.combine(day, start, tzinfo=SHANGHAI) + timedelta(minutes=5)
        CheckIn.objects.create(booking=booking, officer=officer, at=arrived)
    elif status == BookingStatus.NO_SHOW:
        violation = Violation.objects.create(
            lawyer=lawyer,
            booking=booking,
            centre=config.organisation,
            date=day,
            expires_on=checkin.add_months(day, checkin.VIOLATION_MONTHS),
        )
        after["violation"] = violation.pk
    audit_record(
        action="visits.demo_history_create",
        actor_label="seed_demo",
        obj=booking,
        organisation=config.organisation,
        after=after,
    )
    return booking
