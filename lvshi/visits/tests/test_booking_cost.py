"""What a booking request costs: queries for a refusal and a success through
the API, whatever the data around them; a refusal of a full slot never opens
the write transaction; the request's one read in plain SQL agrees with the
ORM; a closure written between two requests applies to the second."""

import json
from datetime import date, time, timedelta

import pytest

from lvshi.calendar.models import Closure, HolidayDate, HolidayDateKind, HolidayYear
from lvshi.calendar.workdays import WorkCalendar
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.visits import selectors, services
from lvshi.visits.models import (
    Binding,
    BindingStatus,
    Booking,
    BookingLock,
    ExtraSession,
    LockStatus,
    Room,
    RoomKind,
    SlotLoad,
)
from lvshi.visits.services import requests
from tests.test_access import bearer_for

from .factories import bind, make_detainee, make_lawyer

TUESDAY = date(2026, 9, 29)
MORNING = time(8, 30)
# API token and user; the request's read (with the lawyer's role); the
# window's extra sessions, closures and holiday tables (one statement); its
# slot loads.
REFUSAL_QUERIES = 3
WRITES = ("INSERT", "UPDATE", "DELETE", "SAVEPOINT", "BEGIN")


def post(client, headers, detainee, day=TUESDAY, slot="08:30"):
    return client.post(
        "/api/v1/visits/bookings",
        {"detainee_id": detainee.pk, "date": day.isoformat(), "slot": slot},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=f"k-{detainee.pk}-{day}-{slot}",
        **headers,
    )


def _fill(world, day, start=MORNING, rooms=2):
    for _ in range(rooms):
        lawyer, detainee = make_lawyer(world.firm), make_detainee(world.centre)
        bind(lawyer, detainee)
        services.booking_create(actor=Actor(lawyer), detainee=detainee, date=day, slot_start=start)


def _more_data(world, days: int):
    """Bookings on the following days, extra sessions and closures in the
    window, and bookings at another centre: none of it may add a query."""
    for i in range(1, days + 1):
        day = TUESDAY + timedelta(days=i)
        if day.weekday() < 5 and not (date(2026, 10, 1) <= day <= date(2026, 10, 8)):
            _fill(world, day, time(13, 30), rooms=1)
    ExtraSession.objects.create(centre=world.centre, date=date(2026, 10, 10), start=time(8, 30), end=time(11, 0))
    ExtraSession.objects.create(centre=world.centre, date=date(2026, 10, 11), start=time(8, 30), end=time(11, 0))
    Closure.objects.create(organisation=world.centre, date=date(2026, 10, 9), reason="消防检查")


@pytest.mark.parametrize("days", [0, 12])
def test_a_refused_booking_costs_a_few_queries_and_opens_no_transaction(
    client, world, clock, centre, detainee, days, django_assert_max_num_queries
):
    _fill(world, TUESDAY)
    _more_data(world, days)
    headers = bearer_for(world.lawyer)
    with django_assert_max_num_queries(REFUSAL_QUERIES) as captured:
        response = post(client, headers, detainee)
    data = json.loads(response.content)
    assert response.status_code == 400 and data["code"] == "slot_full"
    assert data["details"]["alternatives"][0] == {"date": "2026-09-29", "start": "13:30", "end": "16:30"}
    sql = [q["sql"].lstrip().upper() for q in captured.captured_queries]
    assert not [q for q in sql if q.startswith(WRITES)], sql
    assert SlotLoad.objects.get(centre=world.centre, date=TUESDAY, start=MORNING).taken == 2


@pytest.mark.parametrize("days", [0, 12])
def test_a_successful_booking_keeps_its_query_count(
    client, world, clock, centre, detainee, days, django_assert_max_num_queries
):
    _more_data(world, days)
    headers = bearer_for(world.lawyer)
    # The reads of a refusal, then the transaction: the lawyer and the
    # detainee free (one query), the slot's first load row and its
    # conditional update, the booking, its audit record (the shard's head,
    # created here on its first event, the event, the head moved on).
    with django_assert_max_num_queries(12):
        response = post(client, headers, detainee)
    assert response.status_code == 201, response.content
    assert Booking.objects.filter(lawyer=world.lawyer, date=TUESDAY).count() == 1


def test_a_slot_whose_load_row_the_request_saw_is_claimed_without_the_insert(
    client, world, clock, centre, detainee, django_assert_max_num_queries
):
    _fill(world, TUESDAY, rooms=1)  # the slot's load row exists; one room is left
    headers = bearer_for(world.lawyer)
    with django_assert_max_num_queries(12) as captured:
        response = post(client, headers, detainee)
    assert response.status_code == 201, response.content
    sql = [q["sql"] for q in captured.captured_queries]
    assert not [q for q in sql if q.lstrip().upper().startswith("INSERT") and "visits_slotload" in q], sql
    assert SlotLoad.objects.get(centre=world.centre, date=TUESDAY, start=MORNING).taken == 2


def test_a_replay_costs_no_more_than_a_refusal(client, world, clock, centre, detainee, django_assert_max_num_queries):
    headers = bearer_for(world.lawyer)
    first = post(client, headers, detainee)
    assert first.status_code == 201
    with django_assert_max_num_queries(3):
        again = post(client, headers, detainee)
    assert again.status_code == 201
    assert json.loads(again.content)["bookings"][0]["id"] == json.loads(first.content)["bookings"][0]["id"]


def test_the_requests_read_agrees_with_the_orm(world, clock, centre, detainee):
    Room.objects.create(centre=world.centre, name="法律援助专用室", legal_aid_only=True)
    Room.objects.create(centre=world.centre, name="停用室", active=False)
    Room.objects.create(centre=world.centre, name="视频1", kind=RoomKind.VIDEO)
    Room.objects.create(centre=world.centre, name="视频2", kind=RoomKind.VIDEO, legal_aid_only=True)
    Room.objects.create(centre=world.other_centre, name="别处", kind=RoomKind.VIDEO)
    binding = Binding.objects.get(lawyer=world.lawyer, detainee=detainee)
    row = requests.booking_row(world.lawyer, detainee.pk, "")
    read = row.binding
    assert read.pk == binding.pk and read.detainee == detainee and read.detainee.centre == world.centre
    assert row.place == world.centre and row.place_read
    assert row.locked is False and row.replayed is False and row.practises is True
    expected = selectors.config_with_rooms(world.centre)
    config = row.config
    assert (config.in_person_rooms, config.video_rooms, config.in_person_reserved, config.video_reserved) == (
        3,
        2,
        1,
        1,
    )
    for name in (*selectors.ROOM_COUNTS, "pk", "earliest_days", "latest_days", "opens_at", "slot_minutes"):
        assert getattr(config, name) == getattr(expected, name), name
    assert config.slots() == expected.slots() and config.organisation.name == world.centre.name

    services.booking_create(
        actor=Actor(world.lawyer), detainee=detainee, date=TUESDAY, slot_start=MORNING, idempotency_key="x"
    )
    BookingLock.objects.create(
        lawyer=world.lawyer,
        centre=world.centre,
        starts_on=TUESDAY - timedelta(days=5),
        ends_on=TUESDAY + timedelta(days=30),
        reason="爽约三次",
    )
    row = requests.booking_row(world.lawyer, detainee.pk, "x")
    assert row.locked is True and row.replayed is True
    assert requests.booking_row(world.lawyer, detainee.pk, "y").replayed is False
    BookingLock.objects.update(status=LockStatus.LIFTED)
    world.lawyer.memberships.update(is_active=False)
    assert requests.booking_row(world.lawyer, detainee.pk, "").practises is False
    assert requests.booking_row(world.lawyer, detainee.pk, "").locked is False
    binding.status = BindingStatus.ENDED
    binding.save(update_fields=["status"])
    assert requests.booking_row(world.lawyer, detainee.pk, "x") is None


def test_a_centre_without_settings_is_not_open(world, clock):
    detainee = make_detainee(world.other_centre)
    bind(world.lawyer, detainee)
    assert requests.booking_row(world.lawyer, detainee.pk, "").config is None
    with pytest.raises(DomainError) as refused:
        services.booking_create(actor=Actor(world.lawyer), detainee=detainee.pk, date=TUESDAY, slot_start=MORNING)
    assert refused.value.code == "centre_not_open"


def test_a_closure_written_between_two_requests_applies_to_the_second(client, world, clock, centre, detainee):
    headers = bearer_for(world.lawyer)
    wednesday = TUESDAY + timedelta(days=1)
    assert post(client, headers, detainee, day=TUESDAY).status_code == 201
    Closure.objects.create(organisation=world.centre, date=wednesday, reason="疫情防控")
    response = post(client, headers, detainee, day=wednesday, slot="13:30")
    assert response.status_code == 400 and json.loads(response.content)["code"] == "closed_day"
    # And the alternatives of a refusal skip it too.
    _fill(world, TUESDAY, time(13, 30))
    other = make_detainee(world.centre)
    bind(world.lawyer, other)
    refused = json.loads(post(client, headers, other, day=TUESDAY, slot="13:30").content)
    assert refused["code"] == "slot_full"
    assert all(o["date"] != wednesday.isoformat() for o in refused["details"]["alternatives"])


def test_a_bound_lawyer_whose_membership_ended_is_refused_before_anything(client, world, clock, centre, detainee):
    headers = bearer_for(world.lawyer)
    world.lawyer.memberships.update(is_active=False)
    response = post(client, headers, detainee)
    assert response.status_code == 403 and json.loads(response.content)["code"] == "forbidden"
    assert not Booking.objects.exists() and not SlotLoad.objects.exists()


def test_a_holiday_table_published_between_two_requests_applies_to_the_second(client, world, clock, centre, detainee):
    headers = bearer_for(world.lawyer)
    wednesday = TUESDAY + timedelta(days=1)
    assert post(client, headers, detainee, day=TUESDAY).status_code == 201
    schedule = HolidayYear.objects.create(year=2026, published=True, source="国务院办公厅通知")
    HolidayDate.objects.create(schedule=schedule, date=wednesday, kind=HolidayDateKind.HOLIDAY, name="临时假日")
    response = post(client, headers, detainee, day=wednesday, slot="13:30")
    assert response.status_code == 400 and json.loads(response.content)["code"] == "closed_day"
    # Unpublished again: the library's calendar is back, at once.
    HolidayYear.objects.filter(pk=schedule.pk).update(published=False)
    assert post(client, headers, detainee, day=wednesday, slot="13:30").status_code == 201


def test_the_windows_one_read_agrees_with_the_calendar_and_the_extra_sessions(world, clock, centre):
    config = selectors.config_with_rooms(world.centre)
    first, last = date(2026, 9, 25), date(2027, 1, 10)
    schedule = HolidayYear.objects.create(year=2027, published=True)
    HolidayDate.objects.create(schedule=schedule, date=date(2027, 1, 1), kind=HolidayDateKind.HOLIDAY, name="元旦")
    HolidayDate.objects.create(schedule=schedule, date=date(2027, 1, 9), kind=HolidayDateKind.MAKEUP_WORKDAY, name="补")
    HolidayYear.objects.create(year=2025, published=True)  # a table without dates
    HolidayYear.objects.create(year=2028, published=False)
    parent = world.centre.parent
    assert parent is not None
    Closure.objects.create(organisation=world.centre, date=date(2026, 10, 9), reason="消防检查")
    Closure.objects.create(organisation=parent, date=date(2026, 10, 9), reason="上级停办")
    Closure.objects.create(organisation=parent, date=date(2026, 11, 3), reason="全系统培训")
    Closure.objects.create(organisation=world.other_centre, date=date(2026, 11, 4), reason="别处")
    ExtraSession.objects.create(centre=world.centre, date=date(2026, 10, 10), start=time(14, 0), end=time(15, 0))
    ExtraSession.objects.create(centre=world.centre, date=date(2026, 10, 10), start=time(8, 30), end=time(11, 0))
    ExtraSession.objects.create(centre=world.other_centre, date=date(2026, 10, 11), start=time(8, 30), end=time(9, 0))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        calendar, _loads = selectors.window_facts(config, first, last, WorkCalendar(world.centre))
        days = list(calendar.days(first, last))
    assert len(one.captured_queries) == 1
    assert days == list(WorkCalendar(world.centre).days(first, last))
    assert calendar.day_info(date(2026, 10, 9)).name == "消防检查"
    assert calendar.day_info(date(2026, 11, 3)).closed_by == parent.name
    assert calendar.day_info(date(2027, 1, 9)).working
    fresh = selectors.config_with_rooms(world.centre)
    for i in range((last - first).days + 1):
        day = first + timedelta(days=i)
        assert selectors.extra_sessions(config, day) == selectors.extra_sessions(fresh, day), day
    assert selectors.extra_sessions(config, date(2026, 10, 10)) == [
        (time(8, 30), time(11, 0)),
        (time(14, 0), time(15, 0)),
    ]


def test_the_window_s_one_statement_reads_the_same_loads_as_loads_between(
    world, clock, centre, django_assert_num_queries
):
    _fill(world, TUESDAY)
    config = selectors.config_with_rooms(world.centre)
    first, last = TUESDAY, TUESDAY + timedelta(days=9)
    expected = selectors.loads_between(world.centre.pk, first, last)
    assert expected[(TUESDAY, MORNING, RoomKind.IN_PERSON)][2] == 2
    with django_assert_num_queries(1):
        _calendar, loads = selectors.window_facts(config, first, last, WorkCalendar(world.centre))
    assert loads == expected
    # A narrower window reads only its own days.
    _calendar, narrow = selectors.window_facts(config, first, first, WorkCalendar(world.centre))
    assert narrow == selectors.loads_between(world.centre.pk, first, first)
