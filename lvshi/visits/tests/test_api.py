"""The meetings API: public centres and availability, the lawyer's bookings,
the officers' review."""

import json
from datetime import date, time

import pytest

from lvshi.core.actor import Actor
from lvshi.visits import selectors, services
from lvshi.visits.models import Booking, BookingStatus
from tests.test_access import bearer_for

from .factories import bind, make_detainee, make_lawyer

TUESDAY = "2026-09-29"


def body(response) -> dict:
    return json.loads(response.content)


def post_booking(client, user, payload, key=None):
    headers = bearer_for(user)
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post("/api/v1/visits/bookings", payload, content_type="application/json", **headers)


def test_centres_are_public(client, world, centre):
    response = client.get("/api/v1/visits/centres")
    assert response.status_code == 200
    [item] = body(response)
    assert item["id"] == world.centre.pk and item["latest_days"] == 14
    assert item["slots"] == [{"start": "08:30", "end": "11:00"}, {"start": "13:30", "end": "16:30"}]


def test_availability_is_public_and_shows_no_personal_data(client, world, clock, centre, detainee):
    services.booking_create(
        actor=Actor(world.lawyer), detainee=detainee, date=date(2026, 9, 29), slot_start=time(8, 30)
    )
    response = client.get(f"/api/v1/visits/centres/{world.centre.pk}/availability?date={TUESDAY}")
    assert response.status_code == 200
    data = body(response)
    assert data["open"] is True
    assert data["slots"] == [
        {
            "start": "08:30",
            "end": "11:00",
            "kind": "in_person",
            "capacity": 2,
            "reserved": 0,
            "free": 1,
            "free_legal_aid": 1,
        },
        {
            "start": "13:30",
            "end": "16:30",
            "kind": "in_person",
            "capacity": 2,
            "reserved": 0,
            "free": 2,
            "free_legal_aid": 2,
        },
    ]
    text = response.content.decode()
    assert detainee.name not in text and world.lawyer.name not in text


def test_availability_of_a_closed_day_says_why(client, world, clock, centre):
    data = body(client.get(f"/api/v1/visits/centres/{world.centre.pk}/availability?date=2026-10-01"))
    assert data["open"] is False and "国庆节" in data["reason"] and data["slots"] == []


def test_availability_of_an_unknown_centre_or_a_bad_date(client, world, centre):
    assert client.get(f"/api/v1/visits/centres/{world.other_centre.pk}/availability?date={TUESDAY}").status_code == 404
    response = client.get(f"/api/v1/visits/centres/{world.centre.pk}/availability?date=tomorrow")
    assert response.status_code == 422 and body(response)["code"] == "invalid_input"


@pytest.mark.parametrize("bookings", [0, 16])
def test_availability_costs_three_queries_whatever_the_bookings(
    world, clock, centre, bookings, django_assert_num_queries
):
    for i in range(bookings):
        d, lawyer = make_detainee(world.centre), make_lawyer(world.firm)
        bind(lawyer, d)
        day = [date(2026, 9, 29), date(2026, 9, 30), date(2026, 10, 8), date(2026, 10, 9)][i % 4]
        start = [time(8, 30), time(13, 30)][(i // 4) % 2]
        services.booking_create(actor=Actor(lawyer), detainee=d, date=day, slot_start=start)
    with django_assert_num_queries(3):  # the centre and its rooms, the loads, the extra sessions
        slots = selectors.availability(world.centre, date(2026, 9, 29))
    assert [s["free"] for s in slots] == ([2, 2] if bookings == 0 else [0, 0])


def test_bindings_lists_the_lawyers_active_bindings(client, world, detainee):
    bind(world.other_lawyer, make_detainee(world.centre))
    data = body(client.get("/api/v1/visits/bindings", **bearer_for(world.lawyer)))
    assert [b["detainee_id"] for b in data] == [detainee.pk]
    assert body(client.get("/api/v1/visits/bindings", **bearer_for(world.officer))) == []


def test_book_replay_and_conflicting_replay(client, world, clock, centre, detainee):
    payload = {"detainee_id": detainee.pk, "date": TUESDAY, "slot": "08:30"}
    first = post_booking(client, world.lawyer, payload, key="abc")
    assert first.status_code == 201, first.content
    [booking] = body(first)["bookings"]
    assert booking["status"] == "under_review" and booking["cancel_until"].startswith("2026-09-28T18:00:00+08:00")
    again = post_booking(client, world.lawyer, payload, key="abc")
    assert again.status_code == 201 and body(again)["bookings"][0]["id"] == booking["id"]
    other = post_booking(client, world.lawyer, {**payload, "slot": "13:30"}, key="abc")
    assert other.status_code == 409 and body(other)["code"] == "idempotency_conflict"
    assert Booking.objects.count() == 1


def test_book_several_slots(client, world, clock, centre, detainee):
    payload = {"detainee_id": detainee.pk, "date": TUESDAY, "slot": ["08:30", "13:30"]}
    response = post_booking(client, world.lawyer, payload)
    assert response.status_code == 201 and len(body(response)["bookings"]) == 2


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"date": "2026-09-28"}, "outside_window"),
        ({"date": "2026-10-01"}, "closed_day"),
        ({"slot": "09:00"}, "unknown_slot"),
        ({"detainee_id": 999999}, "not_bound"),
    ],
)
def test_refusals_are_json_with_a_code(client, world, clock, centre, detainee, change, code):
    payload = {"detainee_id": detainee.pk, "date": TUESDAY, "slot": "08:30", **change}
    response = post_booking(client, world.lawyer, payload)
    assert response.status_code == 400 and body(response)["code"] == code


@pytest.mark.parametrize("slot", ["9h", "24:00", "08:30Z", ["08:30", "9h"]])
def test_a_slot_not_written_hh_mm_is_invalid_input(client, world, clock, centre, detainee, slot):
    payload = {"detainee_id": detainee.pk, "date": TUESDAY, "slot": slot}
    response = post_booking(client, world.lawyer, payload)
    assert response.status_code == 422 and body(response)["code"] == "invalid_input"
    assert not Booking.objects.exists()


def test_a_detainee_of_someone_else_answers_like_an_unknown_one(client, world, clock, centre):
    stranger = make_detainee(world.centre)
    bind(world.other_lawyer, stranger)
    response = post_booking(client, world.lawyer, {"detainee_id": stranger.pk, "date": TUESDAY, "slot": "08:30"})
    assert body(response)["code"] == "not_bound"


def test_only_lawyers_book(client, world, clock, centre, detainee):
    response = post_booking(client, world.officer, {"detainee_id": detainee.pk, "date": TUESDAY, "slot": "08:30"})
    assert response.status_code == 403


def test_list_by_status_and_cancel(client, world, clock, centre, detainee):
    post_booking(client, world.lawyer, {"detainee_id": detainee.pk, "date": TUESDAY, "slot": ["08:30", "13:30"]})
    first, second = Booking.objects.order_by("start")
    services.booking_approve(booking=first, actor=Actor(world.officer))
    auth = bearer_for(world.lawyer)
    data = body(client.get("/api/v1/visits/bookings?status=approved", **auth))
    assert data["count"] == 1 and data["items"][0]["id"] == first.pk
    assert client.get("/api/v1/visits/bookings?status=nonsense", **auth).status_code == 422
    response = client.post(f"/api/v1/visits/bookings/{second.pk}/cancel", **auth)
    assert response.status_code == 200 and body(response)["status"] == "cancelled"
    stranger = client.post(f"/api/v1/visits/bookings/{first.pk}/cancel", **bearer_for(world.other_lawyer))
    assert stranger.status_code == 404


def test_cancel_after_the_deadline_is_refused(client, world, clock, centre, detainee):
    post_booking(client, world.lawyer, {"detainee_id": detainee.pk, "date": TUESDAY, "slot": "08:30"})
    booking = Booking.objects.get()
    clock.set_local(2026, 9, 28, 18, 0, 0)
    response = client.post(f"/api/v1/visits/bookings/{booking.pk}/cancel", **bearer_for(world.lawyer))
    assert response.status_code == 400 and body(response)["code"] == "cancel_too_late"


def test_officers_review_their_centre_only(client, world, clock, centre, detainee):
    post_booking(client, world.lawyer, {"detainee_id": detainee.pk, "date": TUESDAY, "slot": ["08:30", "13:30"]})
    first, second = Booking.objects.order_by("start")
    url = f"/api/v1/visits/bookings/{first.pk}/approve"
    assert client.post(url, **bearer_for(world.other_officer)).status_code == 404
    assert client.post(url, **bearer_for(world.lawyer)).status_code == 404
    response = client.post(url, **bearer_for(world.officer))
    assert response.status_code == 200 and body(response)["status"] == "approved"
    again = client.post(url, **bearer_for(world.officer))
    assert again.status_code == 409 and body(again)["code"] == "wrong_status"
    reject = client.post(
        f"/api/v1/visits/bookings/{second.pk}/reject",
        {"reason": "当日提审安排冲突"},
        content_type="application/json",
        **bearer_for(world.officer),
    )
    assert reject.status_code == 200 and body(reject)["reason"] == "当日提审安排冲突"
    second.refresh_from_db()
    assert second.status == BookingStatus.REJECTED


def test_home_counters_come_from_the_bookings(client, world, clock, centre, detainee):
    post_booking(client, world.lawyer, {"detainee_id": detainee.pk, "date": TUESDAY, "slot": "08:30"})
    data = body(client.get("/api/v1/home", **bearer_for(world.lawyer)))
    counters = {c["key"]: c["count"] for c in data["counters"]}
    assert counters["bookings_review"] == 1 and counters["bookings_upcoming"] == 0
