"""Check-in (会见登记): officers of the centre, approved bookings, on the
meeting day, until 20 minutes after the start (Asia/Shanghai)."""

import json
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from lvshi.audit.models import AuditEvent
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError, PermissionDenied
from lvshi.visits import services
from lvshi.visits.models import BookingStatus, CheckIn
from lvshi.visits.services import checkin
from tests.test_access import bearer_for

TUESDAY = date(2026, 9, 29)


@pytest.fixture
def booking(world, clock, centre, detainee):
    [booking] = services.booking_create(
        actor=Actor(world.lawyer), detainee=detainee, date=TUESDAY, slot_start=time(8, 30)
    )
    return services.booking_approve(booking=booking, actor=Actor(world.officer))


def test_the_officer_checks_in_on_the_day_and_it_is_audited(world, clock, booking):
    clock.set_local(2026, 9, 29, 8, 20)
    record = checkin.booking_check_in(actor=Actor(world.officer), booking=booking, assistant_name=" 张助理 ")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.COMPLETED
    assert (record.officer, record.assistant_name) == (world.officer, "张助理")
    event = AuditEvent.objects.get(action="visits.booking_check_in")
    assert event.actor_id == world.officer.pk and event.after["assistant_name"] == "张助理"


def test_19_minutes_59_seconds_after_the_start_is_still_in_time_and_20_minutes_is_too_late(world, clock, booking):
    clock.set_local(2026, 9, 29, 8, 50)
    with pytest.raises(DomainError) as exc:
        checkin.booking_check_in(actor=Actor(world.officer), booking=booking)
    assert exc.value.code == "check_in_closed" and "08:50" in exc.value.message
    clock.set_local(2026, 9, 29, 8, 49, 59)
    checkin.booking_check_in(actor=Actor(world.officer), booking=booking)
    assert CheckIn.objects.count() == 1


def test_only_on_the_meeting_day_by_the_centres_clock(world, clock, booking):
    # 23:30 UTC on the 28th is 07:30 on the 29th in Shanghai: the meeting day.
    clock.now = datetime(2026, 9, 28, 23, 30, tzinfo=ZoneInfo("UTC"))
    checkin.booking_check_in(actor=Actor(world.officer), booking=booking)
    assert CheckIn.objects.count() == 1


def test_the_day_before_is_refused(world, clock, booking):
    # 15:59 UTC on the 28th is still the 28th (23:59) in Shanghai.
    clock.now = datetime(2026, 9, 28, 15, 59, tzinfo=ZoneInfo("UTC"))
    with pytest.raises(DomainError) as exc:
        checkin.booking_check_in(actor=Actor(world.officer), booking=booking)
    assert exc.value.code == "not_meeting_day"


def test_other_centres_officers_and_lawyers_cannot_check_in(world, clock, booking):
    clock.set_local(2026, 9, 29, 8, 30)
    for user in (world.other_officer, world.lawyer, world.authority_officer):
        with pytest.raises(PermissionDenied):
            checkin.booking_check_in(actor=Actor(user), booking=booking)


def test_a_booking_already_checked_in_is_refused(world, clock, booking):
    clock.set_local(2026, 9, 29, 8, 30)
    checkin.booking_check_in(actor=Actor(world.officer), booking=booking)
    with pytest.raises(DomainError) as exc:
        checkin.booking_check_in(actor=Actor(world.officer), booking=booking)
    assert exc.value.code == "wrong_status" and exc.value.status == 409


def test_check_in_through_the_api(client, world, clock, booking):
    clock.set_local(2026, 9, 29, 8, 40)
    url = f"/api/v1/visits/bookings/{booking.pk}/check-in"
    response = client.post(
        url, {"assistant_name": "张助理"}, content_type="application/json", **bearer_for(world.officer)
    )
    assert response.status_code == 200, response.content
    data = json.loads(response.content)
    assert data["booking"]["status"] == "completed" and data["assistant_name"] == "张助理"
    response = client.post(url, {}, content_type="application/json", **bearer_for(world.other_officer))
    assert response.status_code == 404
