"""The day board (今日会见): the officer's centre only, in time order, check-in
through htmx with the service's refusals, past days read-only, bounded
queries."""

from datetime import date, time, timedelta

import pytest
from django.urls import reverse

from lvshi.visits.models import Booking, BookingStatus, CheckIn
from tests.factories import MembershipFactory, UserFactory
from tests.test_access import bearer_for

from .factories import bind, make_detainee, make_lawyer

TODAY = date(2026, 9, 28)
BOARD = reverse("visits:board")


def booking(world, *, centre=None, day=TODAY, start=time(13, 30), end=time(16, 30), status="approved", **extra):
    centre = centre or world.centre
    lawyer = extra.pop("lawyer", None) or make_lawyer(world.firm)
    detainee = make_detainee(centre)
    bind(lawyer, detainee)
    return Booking.objects.create(
        lawyer=lawyer,
        detainee=detainee,
        centre=centre,
        date=day,
        start=start,
        end=end,
        status=status,
        submitted_at=world.officer.date_joined,
        **extra,
    )


@pytest.fixture
def assistant(world):
    user = UserFactory(name="周助理")
    MembershipFactory(user=user, organisation=world.firm, role="assistant")
    return user


def test_board_shows_the_days_meetings_of_the_officers_centre_in_time_order(login, world, clock, centre, assistant):
    afternoon = booking(world, lawyer=world.lawyer, assistant=assistant)
    morning = booking(world, start=time(8, 30), end=time(11, 0), status="completed")
    missed = booking(world, start=time(9, 0), end=time(10, 0), status="no_show")
    booking(world, status="under_review")
    booking(world, status="cancelled", start=time(8, 0), end=time(8, 30))
    booking(world, centre=world.other_centre)
    booking(world, day=TODAY + timedelta(days=1))

    response = login(world.officer).get(BOARD)

    ids = [row["booking"].pk for row in response.context["rows"]]
    assert ids == [morning.pk, missed.pk, afternoon.pk]
    html = response.content.decode()
    assert world.lawyer.name in html and world.firm.name in html and world.lawyer.licence_no in html
    assert afternoon.detainee.name in html and 'value="周助理"' in html
    assert "登记到场" in html


def test_htmx_check_in_swaps_the_row_with_the_assistant(login, world, clock, centre, assistant):
    b = booking(world, assistant=assistant)
    client = login(world.officer)

    response = client.post(
        reverse("visits:board_check_in", kwargs={"booking_id": b.pk}),
        {"assistant_name": "周助理"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith(f'<tr id="board-{b.pk}">') and "已到场（10:00）" in html
    assert CheckIn.objects.get(booking=b).assistant_name == "周助理"
    b.refresh_from_db()
    assert b.status == BookingStatus.COMPLETED


def test_check_in_refusals_are_shown_in_the_row(login, world, clock, centre):
    late = booking(world, start=time(9, 30), end=time(11, 0))  # 10:00 is 30 minutes past the start
    client = login(world.officer)

    response = client.post(reverse("visits:board_check_in", kwargs={"booking_id": late.pk}), {}, HTTP_HX_REQUEST="true")

    assert "会见开始20分钟后" in response.content.decode()
    late.refresh_from_db()
    assert late.status == BookingStatus.APPROVED

    tomorrow = booking(world, day=TODAY + timedelta(days=1))
    response = client.post(reverse("visits:board_check_in", kwargs={"booking_id": tomorrow.pk}), follow=True)
    assert "只能在当天办理会见登记" in response.content.decode()


def test_boundary_at_twenty_minutes(login, world, clock, centre):
    b = booking(world, start=time(9, 40), end=time(11, 0))
    client = login(world.officer)
    clock.set_local(2026, 9, 28, 9, 59, 59)
    assert client.get(BOARD).context["rows"][0]["state"] == "open"
    clock.set_local(2026, 9, 28, 10, 0, 0)
    assert client.get(BOARD).context["rows"][0]["state"] == "late"
    assert b.pk


def test_past_days_are_read_only(login, world, clock, centre):
    booking(world, day=TODAY - timedelta(days=1))
    page = login(world.officer).get(BOARD, {"date": (TODAY - timedelta(days=1)).isoformat()}).content.decode()
    assert "过去的日期仅供查看" in page and "登记到场" not in page


def test_other_centres_booking_cannot_be_checked_in(login, world, clock, centre):
    theirs = booking(world, centre=world.other_centre)
    response = login(world.officer).post(reverse("visits:board_check_in", kwargs={"booking_id": theirs.pk}))
    assert response.status_code == 404
    assert login(world.lawyer).get(BOARD).status_code == 403


def test_board_query_count_does_not_grow(login, world, clock, centre, assistant, django_assert_max_num_queries):
    client = login(world.officer)
    booking(world, assistant=assistant)
    with django_assert_max_num_queries(12):
        client.get(BOARD)
    for i in range(15):
        b = booking(world, start=time(8, i), end=time(11, 0), assistant=assistant if i % 2 else None)
        if i % 3 == 0:
            Booking.objects.filter(pk=b.pk).update(status="completed")
            CheckIn.objects.create(booking=b, officer=world.officer, at=clock.now)
    with django_assert_max_num_queries(12):
        response = client.get(BOARD)
    assert len(response.context["rows"]) == 16


def test_board_api(client, world, clock, centre, assistant):
    b = booking(world, lawyer=world.lawyer, assistant=assistant)
    rows = client.get("/api/v1/visits/board", **bearer_for(world.officer)).json()
    assert [r["id"] for r in rows] == [b.pk]
    assert rows[0]["assistant"] == "周助理" and rows[0]["firm"] == world.firm.name and rows[0]["state"] == "open"
    other_day = client.get("/api/v1/visits/board", {"date": "2026-09-27"}, **bearer_for(world.officer)).json()
    assert other_day == []
    assert client.get("/api/v1/visits/board", **bearer_for(world.lawyer)).status_code == 403
