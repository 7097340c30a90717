"""The waitlist on the booking page, the "我的候补" page and the API."""

from datetime import date, time

import pytest
from django.urls import reverse

from lvshi.core.actor import Actor
from lvshi.visits import services
from lvshi.visits.models import Booking, WaitlistEntry, WaitlistStatus
from tests.test_access import bearer_for

from .factories import bind, make_centre, make_detainee

TUESDAY = date(2026, 9, 29)
MORNING = time(8, 30)
BOOK = reverse("visits:book")
WAITLIST = reverse("visits:waitlist")


@pytest.fixture
def full(world, clock):
    """One room; another lawyer holds Tuesday morning."""
    make_centre(world.centre, rooms=1, latest_days=14)
    holder = make_detainee(world.centre)
    bind(world.other_lawyer, holder)
    [booking] = services.booking_create(
        actor=Actor(world.other_lawyer), detainee=holder, date=TUESDAY, slot_start=MORNING
    )
    return booking


@pytest.fixture
def mine(world):
    detainee = make_detainee(world.centre)
    bind(world.lawyer, detainee)
    return detainee


def steps(detainee):
    return {"centre": detainee.centre_id, "detainee": detainee.pk, "date": "2026-09-29", "room_kind": "in_person"}


def test_a_full_slot_offers_to_join_the_waitlist_and_joining_works(login, world, full, mine):
    client = login(world.lawyer)
    response = client.post(BOOK, {**steps(mine), "slots": ["08:30"], "key": "k1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "加入候补" in page and 'name="join_slot" value="08:30"' in page
    assert reverse("visits:waitlist_join") in page

    response = client.post(reverse("visits:waitlist_join"), {**steps(mine), "join_slot": "08:30"})
    assert response.status_code == 302 and response.url == WAITLIST
    entry = WaitlistEntry.objects.get()
    assert (entry.lawyer, entry.detainee, entry.start) == (world.lawyer, mine, MORNING)
    page = client.get(WAITLIST).content.decode()
    assert "排队中" in page and "排在第 1 位" in page

    # Joining again is refused with the service's message, back on the booking page.
    response = client.post(reverse("visits:waitlist_join"), {**steps(mine), "join_slot": "08:30"}, follow=True)
    assert "您已在该时段的候补名单中" in response.content.decode()
    assert WaitlistEntry.objects.count() == 1


def test_joining_a_slot_with_free_rooms_is_refused(login, world, full, mine):
    client = login(world.lawyer)
    response = client.post(reverse("visits:waitlist_join"), {**steps(mine), "join_slot": "13:30"}, follow=True)
    assert "无需候补" in response.content.decode()
    assert not WaitlistEntry.objects.exists()


def test_joining_for_someone_else_s_client_is_refused(login, world, full):
    stranger = make_detainee(world.centre)
    bind(world.other_lawyer, stranger)
    client = login(world.lawyer)
    response = client.post(reverse("visits:waitlist_join"), {**steps(stranger), "join_slot": "08:30"}, follow=True)
    assert "请先在预约页面选择" in response.content.decode()
    assert not WaitlistEntry.objects.exists()


def test_an_offer_shows_the_time_left_and_is_accepted_from_the_page(login, world, clock, full, mine):
    client = login(world.lawyer)
    client.post(reverse("visits:waitlist_join"), {**steps(mine), "join_slot": "08:30"})
    services.booking_cancel(booking=full, actor=Actor(world.other_lawyer))
    clock.set_local(2026, 9, 28, 10, 6)
    page = client.get(WAITLIST).content.decode()
    assert "保留至 2026-09-28 10:15（还剩约 9 分钟）" in page and "确认预约" in page
    entry = WaitlistEntry.objects.get()
    response = client.post(reverse("visits:waitlist_accept", args=[entry.pk]))
    assert response.status_code == 302
    booking = Booking.objects.get(lawyer=world.lawyer)
    assert booking.start == MORNING
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.BOOKED


def test_a_late_accept_shows_the_message_and_leaving_works(login, world, clock, full, mine):
    client = login(world.lawyer)
    client.post(reverse("visits:waitlist_join"), {**steps(mine), "join_slot": "08:30"})
    services.booking_cancel(booking=full, actor=Actor(world.other_lawyer))
    entry = WaitlistEntry.objects.get()
    clock.set_local(2026, 9, 28, 10, 15)
    response = client.post(reverse("visits:waitlist_accept", args=[entry.pk]), follow=True)
    assert "已于 2026-09-28 10:15 过期" in response.content.decode()
    assert not Booking.objects.filter(lawyer=world.lawyer).exists()
    response = client.post(reverse("visits:waitlist_leave", args=[entry.pk]), follow=True)
    assert "已退出" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.CANCELLED


def test_another_lawyer_s_entry_is_not_found(login, world, full, mine):
    client = login(world.lawyer)
    client.post(reverse("visits:waitlist_join"), {**steps(mine), "join_slot": "08:30"})
    entry = WaitlistEntry.objects.get()
    other = login(world.other_lawyer)
    assert other.post(reverse("visits:waitlist_leave", args=[entry.pk])).status_code == 404
    assert other.post(reverse("visits:waitlist_accept", args=[entry.pk])).status_code == 404


def test_the_waitlist_page_query_count_does_not_grow(login, world, clock, django_assert_max_num_queries):
    make_centre(world.centre, rooms=1, latest_days=14)
    client = login(world.lawyer)

    def add(n):
        for _ in range(n):
            d = make_detainee(world.centre)
            bind(world.lawyer, d)
            WaitlistEntry.objects.create(
                lawyer=world.lawyer,
                detainee=d,
                centre=world.centre,
                date=TUESDAY,
                start=MORNING,
                end=time(11, 0),
                created_at=clock.now,
            )

    add(1)
    with django_assert_max_num_queries(10):
        assert client.get(WAITLIST).status_code == 200
    add(15)
    with django_assert_max_num_queries(10):
        page = client.get(WAITLIST).content.decode()
    assert "排在第 16 位" in page


# --- API -------------------------------------------------------------------------------


def post(client, user, path, payload=None):
    return client.post(path, payload or {}, content_type="application/json", **bearer_for(user))


def test_the_api_joins_lists_accepts_and_leaves(client, world, clock, full, mine):
    payload = {"detainee_id": mine.pk, "date": str(TUESDAY), "slot": "08:30"}
    response = post(client, world.lawyer, "/api/v1/visits/waitlist", payload)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "waiting" and data["position"] == 1 and data["offer_expires_at"] is None
    again = post(client, world.lawyer, "/api/v1/visits/waitlist", payload)
    assert again.status_code == 400 and again.json()["code"] == "already_waiting"

    services.booking_cancel(booking=full, actor=Actor(world.other_lawyer))
    [listed] = client.get("/api/v1/visits/waitlist", **bearer_for(world.lawyer)).json()
    assert listed["status"] == "offered" and listed["offer_expires_at"].startswith("2026-09-28T10:15:00+08:00")
    assert client.get("/api/v1/visits/waitlist", **bearer_for(world.other_lawyer)).json() == []

    stranger = post(client, world.other_lawyer, f"/api/v1/visits/waitlist/{data['id']}/accept")
    assert stranger.status_code == 404
    response = post(client, world.lawyer, f"/api/v1/visits/waitlist/{data['id']}/accept")
    assert response.status_code == 201, response.content
    assert response.json()["start"] == "08:30" and response.json()["status"] == "under_review"
    left = post(client, world.lawyer, f"/api/v1/visits/waitlist/{data['id']}/leave")
    assert left.status_code == 409 and left.json()["code"] == "waitlist_closed"


def test_the_api_refuses_a_join_when_rooms_are_free(client, world, clock, full, mine):
    payload = {"detainee_id": mine.pk, "date": str(TUESDAY), "slot": "13:30"}
    response = post(client, world.lawyer, "/api/v1/visits/waitlist", payload)
    assert response.status_code == 400 and response.json()["code"] == "slot_not_full"
    response = post(client, world.officer, "/api/v1/visits/waitlist", payload)
    assert response.status_code == 403
    assert not WaitlistEntry.objects.exists()
