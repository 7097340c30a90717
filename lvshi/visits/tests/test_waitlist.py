"""The waitlist: holding released rooms, accepting, leaving, expiry."""

from datetime import date, time

import pytest
from django.utils import timezone

from lvshi.audit.models import AuditEvent
from lvshi.visits import services, waitlist
from lvshi.visits.models import HOLDING, Binding, Booking, SlotLoad, WaitlistEntry, WaitlistStatus

from .factories import bind, make_centre, make_detainee, make_lawyer

TUESDAY = date(2026, 9, 29)
MORNING = time(8, 30)


def book(lawyer, detainee, day=TUESDAY, start=MORNING):
    [booking] = services.booking_create(lawyer=lawyer, detainee=detainee, date=day, slot_start=start)
    return booking


def load(centre, day=TUESDAY, start=MORNING) -> SlotLoad:
    return SlotLoad.objects.get(centre=centre.organisation, date=day, start=start, room_kind="in_person")


def assert_invariant(centre, day=TUESDAY, start=MORNING):
    """Every taken room is held by a booking or an offered entry."""
    row = load(centre, day, start)
    bookings = Booking.objects.filter(centre=centre.organisation, date=day, start=start, status__in=HOLDING)
    offers = WaitlistEntry.objects.filter(
        centre=centre.organisation, date=day, start=start, status=WaitlistStatus.OFFERED
    )
    assert row.taken == bookings.count() + offers.count()
    assert row.taken_open == bookings.filter(legal_aid=False).count() + offers.filter(legal_aid=False).count()


@pytest.fixture
def full(world, clock):
    """One room, taken by world.lawyer's booking; another lawyer waits."""
    centre = make_centre(world.centre, rooms=1, latest_days=14)
    detainee = make_detainee(world.centre)
    bind(world.lawyer, detainee)
    booking = book(world.lawyer, detainee)
    return centre, booking


def wait(centre, lawyer, *, legal_aid=False):
    """*lawyer* waits for Tuesday morning for a new detainee of theirs."""
    detainee = make_detainee(centre.organisation)
    Binding.objects.filter(pk=bind(lawyer, detainee).pk).update(legal_aid=legal_aid)
    return WaitlistEntry.objects.create(
        lawyer=lawyer,
        detainee=detainee,
        centre=centre.organisation,
        date=TUESDAY,
        start=MORNING,
        end=time(11, 0),
        legal_aid=legal_aid,
        created_at=timezone.now(),
    )


# --- the detainee leaves ------------------------------------------------------------


def test_close_for_detainee_cancels_open_entries_and_passes_a_held_room_on(world, clock, full):
    centre, booking = full
    first = wait(centre, make_lawyer(world.firm))
    second = wait(centre, make_lawyer(world.firm))
    services.booking_cancel(booking=booking, actor=world.lawyer)
    first.refresh_from_db()
    assert first.status == WaitlistStatus.OFFERED
    assert_invariant(centre)

    assert waitlist.close_for_detainee(detainee=first.detainee) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == WaitlistStatus.CANCELLED and first.ended_at == clock.now
    assert second.status == WaitlistStatus.OFFERED  # the held room went to the next in line
    assert load(centre).taken == 1
    assert_invariant(centre)
    assert AuditEvent.objects.filter(action="visits.waitlist_close", object_id=str(first.pk)).count() == 1

    assert waitlist.close_for_detainee(detainee=second.detainee) == 1
    assert load(centre).taken == 0 and load(centre).taken_open == 0
    assert_invariant(centre)
    assert waitlist.close_for_detainee(detainee=second.detainee) == 0


def test_close_for_detainee_closes_waiting_entries_without_touching_the_load(world, clock, full):
    centre, _booking = full
    entry = wait(centre, make_lawyer(world.firm))
    assert waitlist.close_for_detainee(detainee=entry.detainee) == 1
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.CANCELLED
    assert load(centre).taken == 1
    assert_invariant(centre)
