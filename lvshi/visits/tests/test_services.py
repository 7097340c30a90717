"""Booking rules at their boundaries."""

from datetime import date, time

import pytest
from django.db import IntegrityError, transaction

from lvshi.accounts.models import User
from lvshi.audit.models import AuditEvent
from lvshi.calendar.services import closure_create
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.notify.models import Notification
from lvshi.orgs import scope
from lvshi.site.home import lawyer_counters
from lvshi.visits import bindings, selectors, services
from lvshi.visits.models import Binding, BindingStatus, Booking, BookingStatus, CentreConfig, Room, SlotLoad

from .factories import bind, make_case, make_centre, make_detainee, make_lawyer

TUESDAY = date(2026, 9, 29)
MORNING, AFTERNOON = time(8, 30), time(13, 30)


def book(world, detainee, day=TUESDAY, start=MORNING, lawyer=None, **extra):
    return services.booking_create(
        actor=Actor(lawyer or world.lawyer), detainee=detainee, date=day, slot_start=start, **extra
    )


def refused(code, fn, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as info:
        fn(*args, **kwargs)
    assert info.value.code == code, info.value.as_dict()
    return info.value


def load(centre, day=TUESDAY, start=MORNING) -> SlotLoad:
    return SlotLoad.objects.get(centre=centre.organisation, date=day, start=start, room_kind="in_person")


# --- creating ------------------------------------------------------------------------


def test_a_booking_waits_for_review_takes_a_room_and_is_audited(world, clock, centre, detainee):
    [booking] = book(world, detainee)
    assert booking.status == BookingStatus.UNDER_REVIEW
    assert (booking.start, booking.end) == (MORNING, time(11, 0))
    assert booking.submitted_at == clock.now
    assert load(centre).taken == 1
    event = AuditEvent.objects.get(action="visits.booking_create")
    assert event.object_id == str(booking.pk) and event.organisation_id == world.centre.pk


def test_auto_approve_centres_approve_at_once_and_tell_the_lawyer(world, clock, centre, detainee):
    CentreConfig.objects.filter(pk=centre.pk).update(auto_approve=True)
    [booking] = book(world, detainee)
    assert booking.status == BookingStatus.APPROVED
    assert Notification.objects.filter(user=world.lawyer, kind="booking_approved").count() == 1


def test_several_slots_make_one_booking_each(world, clock, centre, detainee):
    bookings = book(world, detainee, start=[AFTERNOON, MORNING])
    assert [b.start for b in bookings] == [MORNING, AFTERNOON]
    assert Booking.objects.count() == 2


def test_several_slots_are_all_or_nothing(world, clock, centre, detainee):
    for _ in range(2):  # both rooms of the afternoon
        other, other_lawyer = make_detainee(world.centre), make_lawyer(world.firm)
        bind(other_lawyer, other)
        book(world, other, start=AFTERNOON, lawyer=other_lawyer)
    refused("slot_full", book, world, detainee, start=[MORNING, AFTERNOON])
    assert not Booking.objects.filter(detainee=detainee).exists()
    assert not SlotLoad.objects.filter(start=MORNING, taken__gt=0).exists()


def test_not_bound(world, clock, centre):
    stranger = make_detainee(world.centre)
    error = refused("not_bound", book, world, stranger)
    assert "委托" in error.message


def test_a_released_detainee_cannot_be_booked(world, clock, centre, detainee):
    detainee.status = "released"
    detainee.save()
    refused("not_bound", book, world, detainee)


def test_an_ended_binding_does_not_count(world, clock, centre, detainee):
    Binding.objects.filter(detainee=detainee).update(status=BindingStatus.ENDED)
    refused("not_bound", book, world, detainee)


def test_a_centre_without_settings_is_refused(world, clock, detainee):
    CentreConfig.objects.all().delete()
    refused("centre_not_open", book, world, detainee)


# --- the window --------------------------------------------------------------------------


def test_window_boundaries(world, clock, centre, detainee):
    error = refused("outside_window", book, world, detainee, day=date(2026, 9, 28))
    assert error.details == {"earliest": "2026-09-29", "latest": "2026-10-12"}
    assert "2026-09-29" in error.message and "2026-10-12" in error.message
    assert book(world, detainee, day=date(2026, 9, 29))
    assert book(world, detainee, day=date(2026, 10, 12))
    refused("outside_window", book, world, detainee, day=date(2026, 10, 13))


def test_window_is_counted_in_shanghai_dates(world, clock, centre, detainee):
    # 23:59 on Monday in Shanghai is 15:59 UTC the same Monday; one minute
    # later it is Tuesday in Shanghai and Tuesday is no longer a day ahead.
    clock.set_local(2026, 9, 28, 23, 59)
    assert book(world, detainee, day=TUESDAY)
    clock.set_local(2026, 9, 29, 0, 0)
    refused("outside_window", book, world, detainee, day=TUESDAY, start=AFTERNOON)


# --- closed days --------------------------------------------------------------------------


def test_public_holidays_are_closed(world, clock, centre, detainee):
    error = refused("closed_day", book, world, detainee, day=date(2026, 10, 1))
    assert "国庆节" in error.message


def test_make_up_working_days_are_open(world, clock, centre, detainee):
    # Saturday 10 October 2026 is a working day in exchange for 7 October.
    assert book(world, detainee, day=date(2026, 10, 10))


def test_saturdays_only_where_the_centre_opens_them(world, clock, centre, detainee):
    clock.set_local(2026, 11, 23, 10, 0)
    saturday, sunday = date(2026, 11, 28), date(2026, 11, 29)
    refused("closed_day", book, world, detainee, day=saturday)
    CentreConfig.objects.filter(pk=centre.pk).update(saturday_open=True)
    assert book(world, detainee, day=saturday)
    refused("closed_day", book, world, detainee, day=sunday)


def test_closures_are_closed(world, clock, centre, detainee):
    closure_create(actor=Actor(world.officer), organisation=world.centre, day=TUESDAY, reason="设备检修")
    error = refused("closed_day", book, world, detainee)
    assert "设备检修" in error.message


# --- slots ---------------------------------------------------------------------------------


def test_unknown_slot_lists_the_slots(world, clock, centre, detainee):
    error = refused("unknown_slot", book, world, detainee, start=time(9, 0))
    assert "08:30-11:00" in error.message and "13:30-16:30" in error.message


@pytest.mark.parametrize(
    ("minutes", "count", "last"), [(30, 16, time(16, 0)), (60, 8, time(15, 30)), (90, 5, time(14, 30))]
)
def test_fixed_slots_fill_the_opening_hours(world, minutes, count, last):
    config = CentreConfig(organisation=world.centre, pattern="fixed", slot_minutes=minutes)
    slots = config.slots()
    assert len(slots) == count and slots[0][0] == time(8, 30) and slots[-1][0] == last


def test_a_full_slot_names_the_nearest_free_slots(world, clock, detainee):
    make_centre(world.other_centre)  # another centre's load does not count
    CentreConfig.objects.filter(organisation=world.centre).update(latest_days=14)
    Room.objects.filter(centre=world.centre).exclude(name="会见室1").delete()
    other = make_detainee(world.centre)
    bind(world.other_lawyer, other)
    book(world, other, lawyer=world.other_lawyer)
    assert load(selectors.config_with_rooms(world.centre)).taken == 1
    error = refused("slot_full", book, world, detainee)
    assert error.details["alternatives"][0] == {"date": "2026-09-29", "start": "13:30", "end": "16:30"}
    assert error.details["alternatives"][1]["date"] == "2026-09-30"
    assert "13:30-16:30" in error.message
    assert Booking.objects.filter(detainee=detainee).count() == 0


def test_lawyer_busy(world, clock, centre, detainee):
    book(world, detainee)
    other = make_detainee(world.centre)
    bind(world.lawyer, other)
    refused("lawyer_busy", book, world, other)
    assert book(world, other, start=AFTERNOON)


def test_detainee_busy(world, clock, centre, detainee):
    book(world, detainee)
    bind(world.other_lawyer, detainee, seat=2)
    refused("detainee_busy", book, world, detainee, lawyer=world.other_lawyer)


def test_a_cancelled_booking_frees_lawyer_detainee_and_room(world, clock, centre, detainee):
    [booking] = book(world, detainee)
    services.booking_cancel(booking=booking, actor=Actor(world.lawyer))
    assert load(centre).taken == 0
    assert book(world, detainee)


def test_the_database_refuses_a_second_holding_booking_of_one_lawyer(world, clock, centre, detainee):
    [booking] = book(world, detainee)
    booking.pk = None
    booking.idempotency_key = ""
    with pytest.raises(IntegrityError), transaction.atomic():
        booking.save()


def test_the_database_refuses_more_taken_than_capacity(world, clock, centre, detainee):
    book(world, detainee)
    with pytest.raises(IntegrityError), transaction.atomic():
        SlotLoad.objects.update(taken=3)


# --- idempotency ----------------------------------------------------------------------------


def test_the_same_key_and_body_return_the_same_booking(world, clock, centre, detainee):
    first = book(world, detainee, idempotency_key="k-1")
    again = book(world, detainee, idempotency_key="k-1")
    assert [b.pk for b in again] == [b.pk for b in first]
    assert Booking.objects.count() == 1 and load(centre).taken == 1


def test_the_same_key_with_another_body_is_a_conflict(world, clock, centre, detainee):
    book(world, detainee, idempotency_key="k-1")
    error = refused("idempotency_conflict", book, world, detainee, start=AFTERNOON, idempotency_key="k-1")
    assert error.status == 409


def test_keys_belong_to_one_lawyer(world, clock, centre, detainee):
    book(world, detainee, idempotency_key="k-1")
    other = make_detainee(world.centre)
    bind(world.other_lawyer, other)
    assert book(world, other, lawyer=world.other_lawyer, idempotency_key="k-1")[0].lawyer == world.other_lawyer


# --- cancellation ----------------------------------------------------------------------------


def test_cancel_until_18_00_shanghai_on_the_day_before(world, clock, centre, detainee):
    [booking] = book(world, detainee, day=date(2026, 9, 30))
    now = clock.set_local(2026, 9, 29, 17, 59, 59)
    assert now.hour == 9 and now.minute == 59 and now.second == 59  # the server clock is UTC
    services.booking_cancel(booking=booking, actor=Actor(world.lawyer))
    assert booking.status == BookingStatus.CANCELLED
    assert AuditEvent.objects.filter(action="visits.booking_cancel").count() == 1


def test_no_cancel_from_18_00_shanghai_on_the_day_before(world, clock, centre, detainee):
    [booking] = book(world, detainee, day=date(2026, 9, 30))
    clock.set_local(2026, 9, 29, 18, 0, 0)
    error = refused("cancel_too_late", services.booking_cancel, booking=booking, actor=Actor(world.lawyer))
    assert "2026-09-29 18:00" in error.message
    booking.refresh_from_db()
    assert booking.status == BookingStatus.UNDER_REVIEW and load(centre, day=date(2026, 9, 30)).taken == 1


def test_cancel_twice_is_refused(world, clock, centre, detainee):
    [booking] = book(world, detainee)
    services.booking_cancel(booking=booking, actor=Actor(world.lawyer))
    refused("wrong_status", services.booking_cancel, booking=booking, actor=Actor(world.lawyer))
    assert load(centre).taken == 0


def test_only_the_lawyer_cancels(world, clock, centre, detainee):
    [booking] = book(world, detainee)
    refused("not_found", services.booking_cancel, booking=booking, actor=Actor(world.other_lawyer))


# --- review ------------------------------------------------------------------------------------


def test_approve_tells_the_lawyer_and_is_audited(world, clock, centre, detainee):
    [booking] = book(world, detainee)
    services.booking_approve(booking=booking, actor=Actor(world.officer))
    assert booking.status == BookingStatus.APPROVED and booking.decided_by == world.officer
    note = Notification.objects.get(user=world.lawyer, kind="booking_approved")
    assert "2026-09-29 08:30-11:00" in note.body
    event = AuditEvent.objects.get(action="visits.booking_approve")
    assert event.before == {"status": "under_review"} and event.after == {"status": "approved"}
    refused("wrong_status", services.booking_approve, booking=booking, actor=Actor(world.officer))


def test_reject_needs_a_reason_releases_the_room_and_tells_the_lawyer(world, clock, centre, detainee):
    [booking] = book(world, detainee)
    refused("reason_required", services.booking_reject, booking=booking, actor=Actor(world.officer), reason=" ")
    services.booking_reject(booking=booking, actor=Actor(world.officer), reason="当日提审安排冲突")
    assert booking.status == BookingStatus.REJECTED and load(centre).taken == 0
    note = Notification.objects.get(user=world.lawyer, kind="booking_rejected")
    assert "当日提审安排冲突" in note.body
    refused("wrong_status", services.booking_reject, booking=booking, actor=Actor(world.officer), reason="x")
    assert load(centre).taken == 0


def test_an_approved_booking_can_be_cancelled(world, clock, centre, detainee):
    [booking] = book(world, detainee)
    services.booking_approve(booking=booking, actor=Actor(world.officer))
    services.booking_cancel(booking=booking, actor=Actor(world.lawyer))
    assert load(centre).taken == 0


# --- bindings ---------------------------------------------------------------------------------


def test_at_most_two_lawyers_per_detainee(world, centre):
    d = make_detainee(world.centre)
    bindings.binding_create(lawyer=world.lawyer, detainee=d)
    bindings.binding_create(lawyer=world.other_lawyer, detainee=d)
    refused("binding_limit", bindings.binding_create, lawyer=make_lawyer(world.firm), detainee=d)
    refused("already_bound", bindings.binding_create, lawyer=world.lawyer, detainee=d)


def test_a_seat_is_free_again_after_a_binding_ends(world, centre):
    d = make_detainee(world.centre)
    first = bindings.binding_create(lawyer=world.lawyer, detainee=d)
    bindings.binding_create(lawyer=world.other_lawyer, detainee=d)
    bindings.binding_end(binding=first, actor=Actor(world.officer))
    third = bindings.binding_create(lawyer=make_lawyer(world.firm), detainee=d)
    assert third.seat == first.seat


def test_co_defendants_never_share_a_lawyer(world, centre):
    a, b, c = (make_detainee(world.centre) for _ in range(3))
    make_case(world.centre, a, b)
    bindings.binding_create(lawyer=world.lawyer, detainee=a)
    refused("co_defendant_conflict", bindings.binding_create, lawyer=world.lawyer, detainee=b)
    assert bindings.binding_create(lawyer=world.lawyer, detainee=c)  # another case


def test_the_database_refuses_a_third_lawyer_and_a_shared_co_defendant(world, centre):
    a, b = make_detainee(world.centre), make_detainee(world.centre)
    case = make_case(world.centre, a, b)
    Binding.objects.create(lawyer=world.lawyer, detainee=a, case=case, seat=1)
    Binding.objects.create(lawyer=world.other_lawyer, detainee=a, case=case, seat=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Binding.objects.create(lawyer=make_lawyer(world.firm), detainee=a, case=case, seat=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Binding.objects.create(lawyer=make_lawyer(world.firm), detainee=a, case=case, seat=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Binding.objects.create(lawyer=world.lawyer, detainee=b, case=case, seat=1)


# --- home counters ------------------------------------------------------------------------------


def test_home_counters_count_in_one_query(world, clock, centre, detainee, django_assert_num_queries):
    _a, b, c = (book(world, detainee, day=d)[0] for d in (TUESDAY, date(2026, 9, 30), date(2026, 10, 8)))
    services.booking_approve(booking=b, actor=Actor(world.officer))
    services.booking_reject(booking=c, actor=Actor(world.officer), reason="冲突")
    lawyer = User.objects.get(pk=world.lawyer.pk)
    scope.grants(lawyer)  # loaded once per request by the shell
    # One query for the meetings' three counters, one for the courts' (upcoming hearings).
    with django_assert_num_queries(2):
        counters = {c["key"]: c["count"] for c in lawyer_counters(lawyer)}
    assert counters["bookings_review"] == 1
    assert counters["bookings_upcoming"] == 1
    assert counters["bookings_failed"] == 1


def test_an_inactive_centre_takes_no_bookings(world, clock, centre, detainee):
    world.centre.is_active = False
    world.centre.save()
    refused("centre_not_open", book, world, detainee)


# --- extra sessions -----------------------------------------------------------------------------


def extra(world, day, start, end):
    from lvshi.visits.models import ExtraSession

    return ExtraSession.objects.create(centre=world.centre, date=day, start=start, end=end)


def test_an_extra_session_adds_a_slot_that_day_only(world, clock, centre, detainee):
    extra(world, TUESDAY, time(17, 0), time(18, 0))
    extra(world, TUESDAY, time(11, 0), time(12, 0))
    extra(world, TUESDAY, MORNING, time(11, 0))  # the pattern's own slot: not doubled
    config = selectors.config_with_rooms(world.centre)
    assert selectors.day_slots(config, TUESDAY) == [
        (MORNING, time(11, 0)),
        (time(11, 0), time(12, 0)),
        (AFTERNOON, time(16, 30)),
        (time(17, 0), time(18, 0)),
    ]
    assert selectors.day_slots(config, date(2026, 9, 30)) == config.slots()
    starts = [s["start"] for s in selectors.availability(world.centre, TUESDAY)]
    assert starts == [MORNING, time(11, 0), AFTERNOON, time(17, 0)]
    [booking] = book(world, detainee, start=time(17, 0))
    assert booking.end == time(18, 0)
    assert load(centre, start=time(17, 0)).taken == 1
    error = refused("unknown_slot", book, world, detainee, day=date(2026, 9, 30), start=time(17, 0))
    assert "17:00" in error.message and "08:30-11:00" in error.message


def test_a_weekend_day_opens_for_an_extra_session_but_holidays_and_closures_stay_closed(world, clock, centre, detainee):
    sunday, holiday, closed = date(2026, 10, 11), date(2026, 10, 5), date(2026, 9, 30)
    refused("closed_day", book, world, detainee, day=sunday, start=time(9, 0))
    extra(world, sunday, time(9, 0), time(11, 0))
    extra(world, holiday, time(9, 0), time(11, 0))
    extra(world, closed, time(17, 0), time(18, 0))
    closure_create(actor=Actor(world.officer), organisation=world.centre, day=closed, reason="设备检修")
    config = selectors.config_with_rooms(world.centre)
    assert selectors.day_open(config, sunday)[0] is True
    # On the opened weekend day the pattern's slots are bookable too.
    [booking] = book(world, detainee, day=sunday, start=time(9, 0))
    assert booking.end == time(11, 0)
    book(world, detainee, day=sunday, start=AFTERNOON)
    error = refused("closed_day", book, world, detainee, day=holiday, start=time(9, 0))
    assert "法定节假日" in error.message
    error = refused("closed_day", book, world, detainee, day=closed, start=time(17, 0))
    assert "设备检修" in error.message


def test_alternatives_include_the_extra_sessions_of_the_following_days(world, clock):
    make_centre(world.centre, rooms=1, latest_days=14)
    for start in (MORNING, AFTERNOON):
        d = make_detainee(world.centre)
        bind(world.other_lawyer, d)
        book(world, d, start=start, lawyer=world.other_lawyer)
    extra(world, TUESDAY, time(17, 0), time(18, 0))
    config = selectors.config_with_rooms(world.centre)
    options = selectors.alternatives(config, TUESDAY, "in_person", exclude=MORNING)
    assert options[0] == {"date": "2026-09-29", "start": "17:00", "end": "18:00"}
