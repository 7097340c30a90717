"""The waitlist: holding released rooms, accepting, leaving, expiry."""

import io
from datetime import date, time

import pytest
from django.core.management import call_command
from django.utils import timezone

from lvshi.audit.models import AuditEvent
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.notify.models import Delivery, Notification
from lvshi.visits import services
from lvshi.visits.models import (
    HOLDING,
    Binding,
    Booking,
    BookingStatus,
    CentreConfig,
    Room,
    SlotLoad,
    WaitlistEntry,
    WaitlistStatus,
)
from lvshi.visits.services import waitlist

from .factories import bind, make_centre, make_detainee, make_lawyer

TUESDAY = date(2026, 9, 29)
MORNING = time(8, 30)


def book(lawyer, detainee, day=TUESDAY, start=MORNING):
    [booking] = services.booking_create(actor=Actor(lawyer), detainee=detainee, date=day, slot_start=start)
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
    services.booking_cancel(booking=booking, actor=Actor(world.lawyer))
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


# --- joining ------------------------------------------------------------------------


def refused(code, fn, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as info:
        fn(*args, **kwargs)
    assert info.value.code == code, info.value.as_dict()
    return info.value


def bound(world, *, legal_aid=False):
    lawyer, detainee = make_lawyer(world.firm), make_detainee(world.centre)
    Binding.objects.filter(pk=bind(lawyer, detainee).pk).update(legal_aid=legal_aid)
    return lawyer, detainee


def join(lawyer, detainee, day=TUESDAY, start=MORNING):
    return waitlist.waitlist_join(actor=Actor(lawyer), detainee=detainee, date=day, slot_start=start)


def test_joining_only_when_the_slot_is_full_and_once(world, clock, full):
    centre, _booking = full
    lawyer, detainee = bound(world)
    refused("slot_not_full", join, lawyer, detainee, start=time(13, 30))
    entry = join(lawyer, detainee)
    assert entry.status == WaitlistStatus.WAITING and entry.end == time(11, 0) and not entry.legal_aid
    assert entry.created_at == clock.now
    refused("already_waiting", join, lawyer, detainee)
    assert AuditEvent.objects.filter(action="visits.waitlist_join").count() == 1
    assert load(centre).taken == 1  # waiting holds nothing


def test_joining_has_the_booking_checks(world, clock, full):
    _centre, _booking = full
    lawyer, detainee = bound(world)
    refused("not_bound", join, lawyer, make_detainee(world.centre))
    refused("outside_window", join, lawyer, detainee, day=date(2026, 10, 30))
    refused("closed_day", join, lawyer, detainee, day=date(2026, 10, 3))
    refused("unknown_slot", join, lawyer, detainee, start=time(9, 0))
    # world.lawyer holds the slot's room with another detainee.
    other = make_detainee(world.centre)
    bind(world.lawyer, other)
    refused("lawyer_busy", join, world.lawyer, other)
    assert not WaitlistEntry.objects.exists()


# --- offers, the hold and its deadline --------------------------------------------


def test_a_cancellation_offers_the_room_to_the_first_in_line_only(world, clock, full):
    centre, booking = full
    first, second = (join(*bound(world)) for _ in range(2))
    services.booking_cancel(booking=booking, actor=Actor(world.lawyer))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == WaitlistStatus.OFFERED and second.status == WaitlistStatus.WAITING
    assert first.offered_at == clock.now
    assert (first.offer_expires_at - clock.now).total_seconds() == 15 * 60
    assert load(centre).taken == 1  # the room is held, not given back
    assert_invariant(centre)
    note = Notification.objects.get(user=first.lawyer, kind="visit_waitlist_offer")
    assert "2026-09-28 10:15" in note.body
    assert Delivery.objects.filter(user=first.lawyer, kind="visit_waitlist_offer", channel="sms").count() == 1
    assert AuditEvent.objects.filter(action="visits.waitlist_offer", object_id=str(first.pk)).count() == 1
    # Nobody else can book the held room.
    refused("slot_full", book, *bound(world))


def test_accepting_at_14_59_books_the_held_room_without_taking_another(world, clock, full):
    centre, booking = full
    entry = join(*bound(world))
    services.booking_cancel(booking=booking, actor=Actor(world.lawyer))
    clock.set_local(2026, 9, 28, 10, 14, 59)
    accepted = waitlist.waitlist_accept(actor=Actor(entry.lawyer), entry=entry)
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.BOOKED and entry.booking == accepted
    assert accepted.status == BookingStatus.UNDER_REVIEW and accepted.detainee == entry.detainee
    assert load(centre).taken == 1
    assert_invariant(centre)
    assert AuditEvent.objects.filter(action="visits.waitlist_accept").count() == 1
    assert waitlist.expire_offers() == 0


def test_accepting_at_15_00_is_too_late_and_changes_nothing(world, clock, full):
    centre, booking = full
    entry = join(*bound(world))
    services.booking_cancel(booking=booking, actor=Actor(world.lawyer))
    clock.set_local(2026, 9, 28, 10, 15)
    error = refused("offer_expired", waitlist.waitlist_accept, actor=Actor(entry.lawyer), entry=entry)
    assert "2026-09-28 10:15" in error.message
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.OFFERED and entry.booking is None
    assert not Booking.objects.filter(lawyer=entry.lawyer).exists()
    assert_invariant(centre)


def test_auto_approving_centres_approve_an_accepted_offer(world, clock, full):
    centre, booking = full
    CentreConfig.objects.filter(pk=centre.pk).update(auto_approve=True)
    entry = join(*bound(world))
    services.booking_cancel(booking=booking, actor=Actor(world.lawyer))
    accepted = waitlist.waitlist_accept(actor=Actor(entry.lawyer), entry=entry)
    assert accepted.status == BookingStatus.APPROVED
    assert Notification.objects.filter(user=entry.lawyer, kind="booking_approved").count() == 1


def test_only_the_entry_s_lawyer_may_accept_or_leave(world, clock, full):
    from lvshi.core.errors import NotFound

    _centre, booking = full
    entry = join(*bound(world))
    services.booking_cancel(booking=booking, actor=Actor(world.lawyer))
    with pytest.raises(NotFound):
        waitlist.waitlist_accept(actor=Actor(world.other_lawyer), entry=entry)
    with pytest.raises(NotFound):
        waitlist.waitlist_leave(actor=Actor(world.other_lawyer), entry=entry)


def test_an_expired_offer_goes_to_the_next_in_line_then_back_to_free(world, clock, full):
    centre, booking = full
    first, second = (join(*bound(world)) for _ in range(2))
    services.booking_cancel(booking=booking, actor=Actor(world.lawyer))
    clock.set_local(2026, 9, 28, 10, 14, 59)
    assert waitlist.expire_offers() == 0
    clock.set_local(2026, 9, 28, 10, 15)
    assert waitlist.expire_offers() == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == WaitlistStatus.EXPIRED
    assert second.status == WaitlistStatus.OFFERED and second.offered_at == clock.now
    assert load(centre).taken == 1
    assert_invariant(centre)

    clock.set_local(2026, 9, 28, 10, 30)
    out = io.StringIO()
    call_command("expire_waitlist_offers", stdout=out)
    assert "1" in out.getvalue()
    second.refresh_from_db()
    assert second.status == WaitlistStatus.EXPIRED
    assert load(centre).taken == 0 and load(centre).taken_open == 0
    assert_invariant(centre)
    assert AuditEvent.objects.filter(action="visits.waitlist_expire").count() == 2


def test_leaving_an_offer_passes_the_room_on(world, clock, full):
    centre, booking = full
    first, second = (join(*bound(world)) for _ in range(2))
    waitlist.waitlist_leave(actor=Actor(second.lawyer), entry=second)  # waiting: nothing held
    third = join(*bound(world))
    services.booking_cancel(booking=booking, actor=Actor(world.lawyer))
    waitlist.waitlist_leave(actor=Actor(first.lawyer), entry=first)
    third.refresh_from_db()
    assert third.status == WaitlistStatus.OFFERED
    assert_invariant(centre)
    with pytest.raises(Exception) as info:
        waitlist.waitlist_leave(actor=Actor(first.lawyer), entry=first)
    assert info.value.code == "waitlist_closed"
    assert AuditEvent.objects.filter(action="visits.waitlist_leave").count() == 2


def test_waiting_entries_close_when_their_slot_starts(world, clock, full):
    centre, _booking = full
    entry = join(*bound(world))
    clock.set_local(2026, 9, 29, 8, 29)
    assert waitlist.expire_offers() == 0
    clock.set_local(2026, 9, 29, 8, 30)
    assert waitlist.expire_offers() == 1
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.EXPIRED
    assert_invariant(centre)


def test_a_room_released_after_the_slot_started_is_not_offered(world, clock, full):
    centre, booking = full
    entry = join(*bound(world))
    clock.set_local(2026, 9, 29, 8, 30)
    waitlist.release_room(booking)
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.WAITING
    assert load(centre).taken == 0


# --- legal aid on the waitlist ------------------------------------------------------


def test_a_room_reserved_for_legal_aid_goes_to_the_first_legal_aid_entry(world, clock):
    centre = make_centre(world.centre, rooms=1, latest_days=14)
    Room.objects.create(centre=world.centre, name="法援室", legal_aid_only=True)
    aid_holder = book(*bound(world, legal_aid=True))
    book(*bound(world))
    assert (load(centre).taken, load(centre).taken_open, load(centre).reserved) == (2, 1, 1)
    ordinary = join(*bound(world))
    aided = join(*bound(world, legal_aid=True))
    assert aided.legal_aid
    services.booking_cancel(booking=aid_holder, actor=Actor(aid_holder.lawyer))
    ordinary.refresh_from_db()
    aided.refresh_from_db()
    assert ordinary.status == WaitlistStatus.WAITING  # first in line, but may not use the reserved room
    assert aided.status == WaitlistStatus.OFFERED
    assert_invariant(centre)
    waitlist.waitlist_accept(actor=Actor(aided.lawyer), entry=aided)
    assert_invariant(centre)
