"""Meetings at a remote video point (远程视频会见点): the point serves the
detention centres of its parent's subtree, takes video meetings only, on its
own settings; its officers review and check in its bookings."""

import json
from datetime import date, time

import pytest
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse

from lvshi.calendar.models import Closure
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.orgs.models import OrgKind, Role
from lvshi.visits import access, selectors, services
from lvshi.visits.models import Binding, Booking, BookingStatus, RoomKind, SlotLoad
from lvshi.visits.services import checkin
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.test_access import bearer_for

from .factories import bind, make_centre, make_detainee, make_lawyer

TUESDAY = date(2026, 9, 29)
WEDNESDAY = date(2026, 9, 30)
FRIDAY_AFTER = date(2026, 10, 9)  # in the centre's window (14 days), not in the points' (2 days)
EARLY = time(8, 30)  # a slot of the centre (08:30–11:00) and of the points (08:30–09:30)
VIDEO = RoomKind.VIDEO


def _point(parent, name, *, rooms: int = 2, reserved: int = 0, **config):
    point = OrganisationFactory(name=name, kind=OrgKind.VIDEO_POINT, parent=parent)
    values = {
        "pattern": "fixed",
        "slot_minutes": 60,
        "opens_at": time(8, 30),
        "closes_at": time(11, 30),
        "earliest_days": 1,
        "latest_days": 2,
        **config,
    }
    make_centre(point, rooms=0, video_rooms=rooms, **values)
    for i in range(reserved):
        point.rooms.create(name=f"法律援助视频室{i + 1}", kind=VIDEO, legal_aid_only=True)
    return point


def _officer(point):
    user = UserFactory(name=f"{point.name}民警")
    MembershipFactory(user=user, organisation=point, role=Role.OFFICER)
    return user


@pytest.fixture
def points(world, centre):
    """A point under the first centre (serves it alone), a point under the
    authority (serves both centres), a point under another authority."""
    make_centre(world.other_centre, rooms=1)
    elsewhere = OrganisationFactory(name="江苏省监所管理总队", kind=OrgKind.DETENTION_AUTHORITY)
    return {
        "centre": _point(world.centre, "第一看守所视频会见点"),
        "authority": _point(world.authority, "浦东公共法律服务中心视频会见点"),
        "elsewhere": _point(elsewhere, "南京视频会见点"),
    }


def book(lawyer, detainee, place, day=TUESDAY, start=EARLY, kind=VIDEO, **extra):
    return services.booking_create(
        actor=Actor(lawyer), detainee=detainee, date=day, slot_start=start, room_kind=kind, centre=place, **extra
    )


def refused(code, *args, **kwargs) -> DomainError:
    before = Booking.objects.count()
    with pytest.raises(DomainError) as exc:
        book(*args, **kwargs)
    assert exc.value.code == code, exc.value.message
    assert Booking.objects.count() == before
    return exc.value


# --- the rule --------------------------------------------------------------------------


def test_a_point_serves_the_centres_of_its_parents_subtree(world, points):
    top = OrganisationFactory(name="无上级视频会见点", kind=OrgKind.VIDEO_POINT)
    assert selectors.serves(points["centre"], world.centre)
    assert not selectors.serves(points["centre"], world.other_centre)
    assert selectors.serves(points["authority"], world.centre)
    assert selectors.serves(points["authority"], world.other_centre)
    assert not selectors.serves(points["elsewhere"], world.centre)
    assert not selectors.serves(top, world.centre)
    assert selectors.serves(world.centre, world.centre)
    assert not selectors.serves(world.other_centre, world.centre)  # a centre serves only itself
    assert sorted(selectors.served_centre_ids(points["authority"])) == sorted([world.centre.pk, world.other_centre.pk])
    assert selectors.served_centre_ids(points["centre"]) == [world.centre.pk]
    assert selectors.served_centre_ids(top) == []
    assert [p.name for p in selectors.points_serving([world.other_centre])] == ["浦东公共法律服务中心视频会见点"]


# --- booking_create at a point -----------------------------------------------------------


def test_a_video_booking_at_a_serving_point_is_the_points(world, clock, points, detainee):
    point = points["centre"]
    [booking] = book(world.lawyer, detainee, point)
    assert booking.centre == point and booking.room_kind == VIDEO
    assert (booking.start, booking.end) == (EARLY, time(9, 30))  # the point's 60-minute slots
    assert booking.status == BookingStatus.UNDER_REVIEW
    load = SlotLoad.objects.get(centre=point, date=TUESDAY, start=EARLY, room_kind=VIDEO)
    assert (load.capacity, load.taken) == (2, 1)
    assert not SlotLoad.objects.filter(centre=world.centre).exists()
    # By id as well, and from the authority's point.
    [other] = book(world.lawyer, detainee, points["authority"].pk, start=time(9, 30))
    assert other.centre_id == points["authority"].pk


def test_in_person_at_a_point_is_refused(world, clock, points, detainee):
    error = refused("video_only", world.lawyer, detainee, points["centre"], kind=RoomKind.IN_PERSON)
    assert "视频会见" in error.message


def test_a_point_that_does_not_serve_the_detainees_centre_is_refused(world, clock, points):
    held_elsewhere = make_detainee(world.other_centre)
    bind(world.lawyer, held_elsewhere)
    error = refused("centre_not_serving", world.lawyer, held_elsewhere, points["centre"])
    assert "上海市第二看守所" in error.message
    refused("centre_not_serving", world.lawyer, held_elsewhere, points["elsewhere"])
    refused("centre_not_serving", world.lawyer, held_elsewhere, world.centre.pk)  # another centre
    refused("centre_not_serving", world.lawyer, held_elsewhere, 999_999)  # no such place
    # The authority's point serves the second centre.
    [booking] = book(world.lawyer, held_elsewhere, points["authority"])
    assert booking.centre == points["authority"]


def test_without_a_binding_the_refusal_reveals_nothing_about_the_place(world, clock, points, detainee):
    stranger = make_lawyer(world.firm)
    refused("not_bound", stranger, detainee, points["elsewhere"])
    refused("not_bound", stranger, detainee, points["centre"])


def test_the_points_own_window_and_closed_days(world, clock, points, detainee):
    point = points["centre"]
    services.booking_create(actor=Actor(world.lawyer), detainee=detainee, date=FRIDAY_AFTER, slot_start=EARLY)
    error = refused("outside_window", world.lawyer, detainee, point, day=FRIDAY_AFTER, start=time(9, 30))
    assert point.name in error.message and "2026-09-30" in error.message
    Closure.objects.create(organisation=point, date=WEDNESDAY, reason="设备检修")
    refused("closed_day", world.lawyer, detainee, point, day=WEDNESDAY)
    # The centre itself is open that day.
    services.booking_create(actor=Actor(world.lawyer), detainee=detainee, date=WEDNESDAY, slot_start=EARLY)
    refused("unknown_slot", world.lawyer, detainee, point, start=time(13, 30))  # the centre's slot, not the point's


def test_the_points_legal_aid_room_and_priority_days(world, clock, centre):
    point = _point(world.centre, "视频会见点", rooms=1, reserved=1, legal_aid_priority_days=2)
    ordinary = [make_detainee(world.centre) for _ in range(2)]
    lawyers = [make_lawyer(world.firm) for _ in range(2)]
    for lawyer, person in zip(lawyers, ordinary, strict=True):
        bind(lawyer, person)
    aided = make_detainee(world.centre)
    Binding.objects.filter(pk=bind(world.lawyer, aided).pk).update(legal_aid=True)
    book(lawyers[0], ordinary[0], point)  # the one open room
    error = refused("slot_full", lawyers[1], ordinary[1], point)
    assert "法律援助案件专用室" in error.message
    [booking] = book(world.lawyer, aided, point)
    assert booking.legal_aid and booking.centre == point
    assert SlotLoad.objects.get(centre=point, date=TUESDAY, start=EARLY).taken == 2
    # Two days more for the legal-aid case at the point (window 1–2, +2).
    refused("legal_aid_priority", lawyers[1], ordinary[1], point, day=date(2026, 10, 2))
    assert book(world.lawyer, aided, point, day=date(2026, 9, 30))


def test_the_detainee_is_never_in_two_places_at_once(world, clock, points, detainee):
    second = make_lawyer(world.firm)
    bind(second, detainee, seat=2)
    services.booking_create(actor=Actor(world.lawyer), detainee=detainee, date=TUESDAY, slot_start=EARLY)
    refused("detainee_busy", second, detainee, points["centre"], start=time(9, 30))  # 09:30 inside 08:30–11:00
    refused("detainee_busy", second, detainee, points["authority"])
    # The partial unique index holds across places too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            lawyer=second,
            detainee=detainee,
            centre=points["centre"],
            date=TUESDAY,
            start=EARLY,
            end=time(9, 30),
            room_kind=VIDEO,
        )


def test_an_idempotent_replay_names_the_place(world, clock, points, detainee):
    first = book(world.lawyer, detainee, points["centre"], idempotency_key="k1")
    assert book(world.lawyer, detainee, points["centre"], idempotency_key="k1") == first
    with pytest.raises(DomainError) as exc:
        book(world.lawyer, detainee, points["authority"], idempotency_key="k1")
    assert exc.value.code == "idempotency_conflict"


# --- officers of the point ------------------------------------------------------------------


def test_the_points_officers_review_and_check_in_its_bookings(client, login, world, clock, points, detainee):
    point = points["authority"]
    officer = _officer(point)
    [booking] = book(world.lawyer, detainee, point)
    queue = login(officer).get(reverse("visits:review_queue"))
    assert booking in list(queue.context["page"])
    # The detainee's centre's officers do not see it (the point is not below their centre).
    for other in (world.officer, world.other_officer):
        with pytest.raises(Http404):
            access.booking_for_review_or_404(other, booking.pk)
    assert booking not in list(login(world.officer).get(reverse("visits:review_queue")).context["page"])
    headers = bearer_for(officer)
    response = client.post(f"/api/v1/visits/bookings/{booking.pk}/approve", **headers)
    assert response.status_code == 200 and json.loads(response.content)["centre_id"] == point.pk
    refused_for_centre = client.post(
        f"/api/v1/visits/bookings/{booking.pk}/check-in",
        {},
        content_type="application/json",
        **bearer_for(world.officer),
    )
    assert refused_for_centre.status_code == 404
    clock.set_local(2026, 9, 29, 8, 35)
    response = client.post(
        f"/api/v1/visits/bookings/{booking.pk}/check-in", {}, content_type="application/json", **bearer_for(officer)
    )
    assert response.status_code == 200, response.content
    booking.refresh_from_db()
    assert booking.check_in.officer == officer


def test_a_point_under_the_centre_is_in_its_officers_scope(world, clock, points, detainee):
    [booking] = book(world.lawyer, detainee, points["centre"])
    services.booking_approve(
        booking=access.booking_for_review_or_404(world.officer, booking.pk), actor=Actor(world.officer)
    )
    clock.set_local(2026, 9, 29, 8, 35)
    assert checkin.booking_check_in(actor=Actor(_officer(points["centre"])), booking=booking).booking == booking


# --- the API ----------------------------------------------------------------------------------


def test_the_api_books_at_a_point_and_lists_it(client, world, clock, points, detainee):
    headers = bearer_for(world.lawyer)
    centres = json.loads(client.get("/api/v1/visits/centres").content)
    kinds = {c["name"]: c["kind"] for c in centres}
    assert kinds["第一看守所视频会见点"] == "video_point" and kinds["上海市第一看守所"] == "detention_centre"
    body = {"detainee_id": detainee.pk, "date": TUESDAY.isoformat(), "slot": "08:30", "centre_id": points["centre"].pk}
    response = client.post("/api/v1/visits/bookings", {**body, "room_kind": "in_person"}, "application/json", **headers)
    assert response.status_code == 400 and json.loads(response.content)["code"] == "video_only"
    response = client.post("/api/v1/visits/bookings", {**body, "room_kind": "video"}, "application/json", **headers)
    assert response.status_code == 201, response.content
    [out] = json.loads(response.content)["bookings"]
    assert (out["centre_id"], out["start"], out["end"], out["room_kind"]) == (
        points["centre"].pk,
        "08:30",
        "09:30",
        VIDEO,
    )
    far = {**body, "centre_id": points["elsewhere"].pk, "room_kind": "video", "slot": "09:30"}
    response = client.post("/api/v1/visits/bookings", far, "application/json", **headers)
    assert response.status_code == 400 and json.loads(response.content)["code"] == "centre_not_serving"
    availability = client.get(f"/api/v1/visits/centres/{points['centre'].pk}/availability", {"date": "2026-09-29"})
    slots = json.loads(availability.content)["slots"]
    assert {s["kind"] for s in slots} == {VIDEO} and slots[0]["free"] == 1


def test_a_booking_at_a_point_costs_what_one_at_the_centre_does(
    client, world, clock, points, detainee, django_assert_max_num_queries
):
    other = make_detainee(world.centre)
    bind(world.lawyer, other)
    headers = bearer_for(world.lawyer)

    def post(person, place):
        body = {"detainee_id": person.pk, "date": "2026-09-29", "slot": "08:30", "room_kind": "video"}
        return client.post("/api/v1/visits/bookings", {**body, "centre_id": place.pk}, "application/json", **headers)

    # The centre has no video room: the same request there is in person.
    with django_assert_max_num_queries(18) as at_point:
        assert post(detainee, points["centre"]).status_code == 201
    Booking.objects.all().delete()
    with django_assert_max_num_queries(len(at_point.captured_queries)):
        response = client.post(
            "/api/v1/visits/bookings",
            {"detainee_id": other.pk, "date": "2026-09-29", "slot": "08:30"},
            "application/json",
            **headers,
        )
        assert response.status_code == 201


# --- the page -----------------------------------------------------------------------------------


def test_the_booking_page_at_a_point(login, world, clock, points, detainee):
    held_elsewhere = make_detainee(world.other_centre)
    bind(world.lawyer, held_elsewhere)
    client = login(world.lawyer)
    url = reverse("visits:book")
    page = client.get(url)
    choices = dict(page.context["form"].fields["centre"].choices)
    assert choices[points["centre"].pk].startswith("第一看守所视频会见点")
    assert points["authority"].pk in choices and points["elsewhere"].pk not in choices
    # The authority's point: the detainees of both centres.
    page = client.get(url, {"centre": points["authority"].pk})
    detainees = dict(page.context["form"].fields["detainee"].choices)
    assert {detainee.pk, held_elsewhere.pk} <= detainees.keys()
    # The first centre's point: its detainees only; the slots are video ones.
    steps = {"centre": points["centre"].pk, "detainee": detainee.pk, "date": "2026-09-29"}
    page = client.get(url, {**steps, "detainee": held_elsewhere.pk})
    assert page.context["detainee_id"] is None
    page = client.get(url, steps)
    html = page.content.decode()
    assert [r["value"] for r in page.context["slot_rows"]] == ["08:30", "09:30", "10:30"]
    assert "空闲会见室" not in html and "空闲视频室" in html and "只能预约视频会见" in html
    response = client.post(url, {**steps, "slots": ["09:30"], "room_kind": "in_person", "key": "p1"})
    assert response.status_code == 302
    booking = Booking.objects.get(lawyer=world.lawyer)
    assert (booking.centre, booking.room_kind, booking.start) == (points["centre"], VIDEO, time(9, 30))


def test_the_booking_page_at_a_point_keeps_its_query_count(
    login, world, clock, points, detainee, django_assert_max_num_queries
):
    client = login(world.lawyer)
    steps = {"centre": points["authority"].pk, "detainee": detainee.pk, "date": "2026-09-29"}
    with django_assert_max_num_queries(25) as few:
        client.get(reverse("visits:book"), steps)
    for i in range(5):
        _point(world.authority, f"更多视频会见点{i}")
        bind(world.lawyer, make_detainee(world.other_centre))
        lawyer, person = make_lawyer(world.firm), make_detainee(world.centre)
        bind(lawyer, person)
        book(lawyer, person, points["authority"], start=[EARLY, time(9, 30), time(10, 30)][i % 3])
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("visits:book"), steps)
    assert len(page.context["form"].fields["centre"].choices) == 1 + 2 + 7


def test_the_waitlist_at_a_point_holds_the_points_room(world, clock, points, detainee):
    from lvshi.visits.models import WaitlistStatus
    from lvshi.visits.services import waitlist

    point = points["centre"]
    others = []
    for _ in range(2):  # the point's two video rooms
        lawyer, other = make_lawyer(world.firm), make_detainee(world.centre)
        bind(lawyer, other)
        others += book(lawyer, other, point)
    refused("slot_full", world.lawyer, detainee, point)

    entry = waitlist.waitlist_join(
        actor=Actor(world.lawyer), detainee=detainee, date=TUESDAY, slot_start=EARLY, room_kind=VIDEO, centre=point.pk
    )
    assert entry.centre == point and entry.end == time(9, 30)
    with pytest.raises(DomainError) as exc:  # in person is not a thing at a point
        waitlist.waitlist_join(
            actor=Actor(world.lawyer), detainee=detainee, date=WEDNESDAY, slot_start=EARLY, centre=point.pk
        )
    assert exc.value.code == "video_only"

    services.booking_cancel(booking=others[0], actor=Actor(others[0].lawyer))
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.OFFERED
    booking = waitlist.waitlist_accept(actor=Actor(world.lawyer), entry=entry)
    assert booking.centre == point and booking.room_kind == VIDEO
    load = SlotLoad.objects.get(centre=point, date=TUESDAY, start=EARLY, room_kind=VIDEO)
    assert (load.capacity, load.taken) == (2, 2)


def test_the_booking_page_offers_the_waitlist_at_a_full_point(login, world, clock, points, detainee):
    point = points["centre"]
    for _ in range(2):
        lawyer, other = make_lawyer(world.firm), make_detainee(world.centre)
        bind(lawyer, other)
        book(lawyer, other, point)
    client = login(world.lawyer)
    data = {"centre": point.pk, "detainee": detainee.pk, "date": TUESDAY.isoformat(), "slots": ["08:30"]}
    data["room_kind"] = VIDEO
    html = client.post(reverse("visits:book"), data).content.decode()
    assert reverse("visits:waitlist_join") in html

    response = client.post(reverse("visits:waitlist_join"), {**data, "join_slot": "08:30", "join_room_kind": VIDEO})
    assert response.status_code == 302
    from lvshi.visits.models import WaitlistEntry

    assert WaitlistEntry.objects.get(lawyer=world.lawyer).centre == point
