"""A state-machine test of meetings: hypothesis books, cancels, approves,
checks in, runs the no-show job, releases detainees and moves the clock in
any order, and after every step checks what must always hold:

* never more bookings holding a slot than the centre has rooms of that kind
  (and the slot's load row agrees with the bookings);
* never a booking made while its lawyer was locked out;
* never a cancellation after 18:00 (Asia/Shanghai) on the day before.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from lvshi.calendar.workdays import local_date
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.visits import selectors, services
from lvshi.visits.models import HOLDING, Booking, BookingStatus, DetaineeStatus, Room, SlotLoad, Violation
from lvshi.visits.services import checkin

from .factories import bind, make_centre, make_detainee, make_lawyer

SHANGHAI = ZoneInfo("Asia/Shanghai")
UTC = ZoneInfo("UTC")
# Sunday 11 October 2026, 12:00 in Shanghai: an ordinary working week lies ahead.
START = datetime(2026, 10, 11, 12, 0, tzinfo=SHANGHAI)
END = datetime(2026, 10, 17, 0, 0, tzinfo=SHANGHAI)
LAWYERS, DETAINEES = 2, 3
# (lawyer, detainee): detainee 1 has both lawyers, each lawyer two detainees.
BINDINGS = [(0, 0), (0, 1), (1, 1), (1, 2)]
STEPS = [timedelta(minutes=m) for m in (5, 20, 60, 6 * 60, 24 * 60)]


class Clock:
    """The server clock (UTC, as in production) the services read."""

    now = START.astimezone(UTC)


class Meetings(RuleBasedStateMachine):
    world = None  # set by the test

    def __init__(self):
        super().__init__()
        # Each run starts from the same database and the same moment.
        self.savepoint = transaction.savepoint()
        Clock.now = START.astimezone(UTC)
        world = type(self).world
        self.officer = world.officer
        self.config = make_centre(world.centre, rooms=1, earliest_days=1, latest_days=3)
        self.slots = [start for start, _end in self.config.slots()]
        self.lawyers = [make_lawyer(world.firm) for _ in range(LAWYERS)]
        self.detainees = [make_detainee(world.centre) for _ in range(DETAINEES)]
        seats = Counter()
        for lawyer, detainee in BINDINGS:
            seats[detainee] += 1
            bind(self.lawyers[lawyer], self.detainees[detainee], seat=seats[detainee])

    def teardown(self):
        transaction.savepoint_rollback(self.savepoint)

    @initialize(earlier=st.lists(st.sampled_from([2, 1, 0]), min_size=LAWYERS, max_size=LAWYERS))
    def history(self, earlier):
        """Violations the lawyers already have (from the past weeks), so that
        a run reaches the lock-out within its steps."""
        for lawyer, count in zip(self.lawyers, earlier, strict=True):
            for n in range(count):
                day = local_date(self.now) - timedelta(days=7 + n)
                past = Booking.objects.create(
                    lawyer=lawyer,
                    detainee=self.detainees[BINDINGS[0][1] if lawyer == self.lawyers[0] else BINDINGS[-1][1]],
                    centre=self.config.organisation,
                    date=day,
                    start=self.slots[0],
                    end=self.config.slots()[0][1],
                    status=BookingStatus.NO_SHOW,
                    submitted_at=self.now - timedelta(days=10),
                )
                Violation.objects.create(
                    lawyer=lawyer,
                    booking=past,
                    centre=past.centre,
                    date=day,
                    expires_on=checkin.add_months(day, checkin.VIOLATION_MONTHS),
                )

    # --- the clock -----------------------------------------------------------------

    @property
    def now(self) -> datetime:
        return Clock.now

    @precondition(lambda self: self.now < END)
    @rule(step=st.sampled_from(STEPS))
    def time_passes(self, step):
        Clock.now += step
        # The no-show job runs every few minutes in production.
        if checkin.expire_unreviewed(now=self.now):
            event("unreviewed booking lapsed")
        if checkin.mark_no_shows(now=self.now):
            event("no-show recorded")

    # --- steps -------------------------------------------------------------------------

    @rule(
        binding=st.integers(0, len(BINDINGS) - 1),
        days_ahead=st.sampled_from([0, 1, 1, 1, 2, 3, 4]),
        slot=st.integers(0, 1),
        stranger=st.sampled_from([False, False, False, True]),
    )
    def book(self, binding, days_ahead, slot, stranger):
        lawyer, detainee = BINDINGS[binding]
        if stranger:  # now and then, a detainee the lawyer does not act for
            detainee = next(d for d in range(DETAINEES) if (lawyer, d) not in BINDINGS)
        lawyer = self.lawyers[lawyer]
        lock = checkin.active_lock(lawyer, today=local_date(self.now))
        day = local_date(self.now) + timedelta(days=days_ahead)
        try:
            made = services.booking_create(
                actor=Actor(lawyer), detainee=self.detainees[detainee], date=day, slot_start=self.slots[slot]
            )
        except DomainError as error:
            event(f"booking refused: {error.code}")
            return
        assert lock is None, f"booked {made} while locked until {lock.ends_on}"
        event("booked")

    def _pick(self, statuses, index):
        bookings = list(Booking.objects.filter(status__in=statuses).order_by("pk"))
        return bookings[index % len(bookings)] if bookings else None

    @rule(index=st.integers(0, 50))
    def cancel(self, index):
        booking = self._pick(HOLDING, index)
        if booking is None:
            return
        try:
            services.booking_cancel(booking=booking, actor=Actor(booking.lawyer))
        except DomainError:
            return
        assert self.now < selectors.cancel_deadline(booking), "cancelled after the deadline"

    @rule(index=st.integers(0, 50), everything=st.booleans())
    def approve(self, index, everything):
        if everything:
            waiting = list(Booking.objects.filter(status=BookingStatus.UNDER_REVIEW))
        else:
            waiting = [b for b in [self._pick([BookingStatus.UNDER_REVIEW], index)] if b is not None]
        for booking in waiting:
            services.booking_approve(booking=booking, actor=Actor(self.officer))

    @rule(index=st.integers(0, 50))
    def check_in(self, index):
        booking = self._pick([BookingStatus.APPROVED], index)
        if booking is None:
            return
        try:
            checkin.booking_check_in(actor=Actor(self.officer), booking=booking)
        except DomainError:
            return

    @rule()
    def no_show_job(self):
        if checkin.mark_no_shows(now=self.now):
            event("no-show recorded")

    @rule(index=st.integers(0, DETAINEES - 1), transfer=st.booleans())
    def detainee_leaves(self, index, transfer):
        from lvshi.visits.services import detainees

        detainee = self.detainees[index]
        detainee.refresh_from_db()
        if detainee.status != DetaineeStatus.HELD:
            return
        status = DetaineeStatus.TRANSFERRED if transfer else DetaineeStatus.RELEASED
        detainees.detainee_leave(
            detainee=detainee, actor=Actor(self.officer), status=status, transferred_to="另一看守所" if transfer else ""
        )
        # Meetings not over yet are cancelled; those already over stay as they were.
        local = self.now.astimezone(SHANGHAI)
        ahead = Booking.objects.filter(detainee=detainee, status__in=HOLDING).filter(
            Q(date__gt=local.date()) | Q(date=local.date(), end__gt=local.time())
        )
        assert not ahead.exists(), "a released detainee still has bookings ahead"

    # --- what always holds ----------------------------------------------------------

    @invariant()
    def never_more_bookings_than_rooms(self):
        rooms = Counter(
            Room.objects.filter(centre=self.config.organisation, active=True).values_list("kind", flat=True)
        )
        # A meeting that took place used its room; a no-show gave it back.
        using = Counter(
            Booking.objects.filter(status__in=[*HOLDING, BookingStatus.COMPLETED]).values_list(
                "date", "start", "room_kind"
            )
        )
        for (day, start, kind), count in using.items():
            assert count <= rooms[kind], f"{count} bookings for {rooms[kind]} rooms at {day} {start}"
        for load in SlotLoad.objects.all():
            assert load.taken == using[(load.date, load.start, load.room_kind)], f"load row disagrees: {load}"

    @invariant()
    def never_a_cancellation_after_the_deadline(self):
        for booking in Booking.objects.filter(status=BookingStatus.CANCELLED, cancelled_at__isnull=False):
            if booking.reason:  # cancelled by the centre (the detainee left), not by the lawyer
                continue
            assert booking.cancelled_at < selectors.cancel_deadline(booking)


@pytest.mark.django_db
def test_meetings_keep_their_invariants_whatever_the_order(world, monkeypatch):
    Meetings.world = world
    monkeypatch.setattr(timezone, "now", lambda: Clock.now)
    run_state_machine_as_test(
        Meetings,
        settings=settings(
            max_examples=40,
            stateful_step_count=50,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
