"""No-shows (V7): approved bookings nobody registered 20 minutes after their
start (Asia/Shanghai) become no-shows, release their room and cost the lawyer
one violation; two workers running the job at once count each booking once."""

from datetime import date, datetime, time
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from lvshi.audit.models import AuditEvent
from lvshi.core.actor import Actor
from lvshi.notify.models import Notification
from lvshi.visits import services
from lvshi.visits.models import Booking, BookingStatus, SlotLoad, Violation
from lvshi.visits.services import checkin
from tests.threads import run_at_once

from .factories import bind, make_centre, make_detainee, make_lawyer

TUESDAY = date(2026, 9, 29)
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def approved(world, lawyer, detainee, day=TUESDAY, start=time(8, 30)) -> Booking:
    [booking] = services.booking_create(actor=Actor(lawyer), detainee=detainee, date=day, slot_start=start)
    return services.booking_approve(booking=booking, actor=Actor(world.officer))


def _taken(booking) -> int:
    return SlotLoad.objects.get(centre=booking.centre, date=booking.date, start=booking.start).taken


def test_19_minutes_59_seconds_after_the_start_is_not_yet_a_no_show(world, clock, centre, detainee):
    booking = approved(world, world.lawyer, detainee)
    clock.set_local(2026, 9, 29, 8, 49, 59)
    assert checkin.mark_no_shows() == 0
    booking.refresh_from_db()
    assert booking.status == BookingStatus.APPROVED and _taken(booking) == 1
    assert not Violation.objects.exists()


def test_20_minutes_after_the_start_is_a_no_show_the_room_is_released_and_one_violation_recorded(
    world, clock, centre, detainee
):
    booking = approved(world, world.lawyer, detainee)
    clock.set_local(2026, 9, 29, 8, 50)
    assert checkin.mark_no_shows() == 1
    booking.refresh_from_db()
    assert booking.status == BookingStatus.NO_SHOW
    assert _taken(booking) == 0
    violation = Violation.objects.get()
    assert (violation.lawyer, violation.booking, violation.centre) == (world.lawyer, booking, world.centre)
    assert violation.date == TUESDAY and violation.expires_on == date(2027, 9, 29)
    event = AuditEvent.objects.get(action="visits.booking_no_show")
    assert event.after["status"] == "no_show" and event.organisation_id == world.centre.pk
    note = Notification.objects.get(user=world.lawyer, kind="visit_no_show")
    assert "2027-09-29" in note.body
    # Running again finds nothing more.
    assert checkin.mark_no_shows() == 0
    assert Violation.objects.count() == 1


def test_bookings_checked_in_cancelled_or_under_review_are_left_alone(world, clock, centre):
    checked, under_review = make_detainee(world.centre), make_detainee(world.centre)
    bind(world.lawyer, checked)
    other = make_lawyer(world.firm)
    bind(other, under_review)
    booking = approved(world, world.lawyer, checked)
    services.booking_create(actor=Actor(other), detainee=under_review, date=TUESDAY, slot_start=time(8, 30))
    clock.set_local(2026, 9, 29, 8, 35)
    checkin.booking_check_in(actor=Actor(world.officer), booking=booking)
    clock.set_local(2026, 9, 29, 12, 0)
    assert checkin.mark_no_shows() == 0
    assert set(Booking.objects.values_list("status", flat=True)) == {"completed", "under_review"}


def test_the_centres_clock_decides_while_the_server_runs_in_utc(world, clock, centre, detainee):
    """08:30 in Shanghai is 00:30 UTC; at 16:30 UTC the day before, the meeting
    day has begun in Shanghai but nothing is due yet."""
    booking = approved(world, world.lawyer, detainee)
    utc = ZoneInfo("UTC")
    assert checkin.mark_no_shows(now=datetime(2026, 9, 28, 16, 30, tzinfo=utc)) == 0
    assert checkin.mark_no_shows(now=datetime(2026, 9, 29, 0, 49, 59, tzinfo=utc)) == 0
    assert checkin.mark_no_shows(now=datetime(2026, 9, 29, 0, 50, tzinfo=utc)) == 1
    booking.refresh_from_db()
    assert booking.status == BookingStatus.NO_SHOW
    assert Violation.objects.get().date == TUESDAY


def test_the_command_runs_the_job(world, clock, centre, detainee):
    approved(world, world.lawyer, detainee)
    clock.set_local(2026, 9, 29, 9, 0)
    out = StringIO()
    call_command("mark_no_shows", stdout=out)
    assert "1" in out.getvalue()
    assert Violation.objects.count() == 1


# --- two workers at once ------------------------------------------------------------


def _two_workers(now) -> list[int]:
    return run_at_once(lambda: checkin.mark_no_shows(now=now), 2)


def _due_bookings(world, clock, n=4) -> list[Booking]:
    make_centre(world.centre, rooms=n, latest_days=14)
    bookings = []
    for _ in range(n):
        lawyer, detainee = make_lawyer(world.firm), make_detainee(world.centre)
        bind(lawyer, detainee)
        bookings.append(approved(world, lawyer, detainee))
    return bookings


def _assert_counted_once(bookings, counts):
    assert sum(counts) == len(bookings)
    assert Violation.objects.count() == len(bookings)
    assert set(Booking.objects.values_list("status", flat=True)) == {"no_show"}
    assert SlotLoad.objects.get().taken == 0
    assert AuditEvent.objects.filter(action="visits.booking_no_show").count() == len(bookings)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_count_each_no_show_once_on_postgresql(world, clock):
    bookings = _due_bookings(world, clock)
    counts = _two_workers(datetime(2026, 9, 29, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    _assert_counted_once(bookings, counts)


@pytest.mark.skipif(ON_POSTGRES, reason="the SQLite run of the two workers")
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_count_each_no_show_once_on_sqlite(world, clock):
    bookings = _due_bookings(world, clock)
    counts = _two_workers(datetime(2026, 9, 29, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    _assert_counted_once(bookings, counts)


def test_the_claim_is_conditional(world, clock, centre, detainee):
    """A worker that found the booking due but lost the race changes nothing."""
    booking = approved(world, world.lawyer, detainee)
    now = timezone.now().replace(year=2026, month=9, day=29, hour=1)
    assert checkin._mark_one(booking.pk, now) is True
    assert checkin._mark_one(booking.pk, now) is False
    assert Violation.objects.count() == 1 and _taken(booking) == 0


def test_a_booking_still_under_review_when_the_meeting_starts_lapses_without_a_violation(
    world, clock, centre, detainee
):
    [booking] = services.booking_create(
        actor=Actor(world.lawyer), detainee=detainee, date=TUESDAY, slot_start=time(8, 30)
    )
    clock.set_local(2026, 9, 29, 8, 29, 59)
    assert checkin.expire_unreviewed() == 0
    clock.set_local(2026, 9, 29, 8, 30)
    assert checkin.expire_unreviewed() == 1
    assert checkin.expire_unreviewed() == 0

    booking.refresh_from_db()
    assert booking.status == BookingStatus.REJECTED and "未审核" in booking.reason
    assert _taken(booking) == 0
    assert not Violation.objects.exists()
    assert AuditEvent.objects.filter(action="visits.booking_lapse", object_id=str(booking.pk)).exists()
    assert Notification.objects.filter(user=world.lawyer, kind="booking_rejected").exists()
    # The officer can no longer approve it.
    with pytest.raises(Exception, match="状态"):
        services.booking_approve(booking=booking, actor=Actor(world.officer))


def test_the_command_lets_unreviewed_bookings_lapse(world, clock, centre, detainee):
    services.booking_create(actor=Actor(world.lawyer), detainee=detainee, date=TUESDAY, slot_start=time(8, 30))
    clock.set_local(2026, 9, 29, 9, 0)
    out = StringIO()
    call_command("mark_no_shows", stdout=out)
    assert "未审核而失效 1 条" in out.getvalue()
    assert Booking.objects.get().status == BookingStatus.REJECTED
