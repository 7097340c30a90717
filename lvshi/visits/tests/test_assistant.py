"""Assistants on bookings (V14): someone of the lawyer's own firm comes along."""

from datetime import date, time

import pytest
from django.urls import reverse

from lvshi.audit.models import AuditEvent
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.visits import services
from lvshi.visits.models import Booking
from tests.factories import MembershipFactory, UserFactory
from tests.test_access import bearer_for

TUESDAY = date(2026, 9, 29)


def member(org, role="assistant", **extra):
    user = UserFactory()
    MembershipFactory(user=user, organisation=org, role=role, **extra)
    return user


def book(world, detainee, **extra):
    return services.booking_create(
        actor=Actor(world.lawyer), detainee=detainee, date=TUESDAY, slot_start=time(8, 30), **extra
    )


def refused(code, fn, *args, **kwargs):
    with pytest.raises(DomainError) as info:
        fn(*args, **kwargs)
    assert info.value.code == code, info.value.as_dict()
    return info.value


def test_an_assistant_or_lawyer_of_the_same_firm_comes_along(world, clock, centre, detainee):
    helper = member(world.firm)
    [booking] = book(world, detainee, assistant_id=helper.pk)
    assert booking.assistant == helper
    event = AuditEvent.objects.get(action="visits.booking_create")
    assert event.after["assistant"] == helper.pk
    colleague = member(world.firm, role="lawyer")
    [other] = services.booking_create(
        actor=Actor(world.lawyer), detainee=detainee, date=TUESDAY, slot_start=time(13, 30), assistant_id=colleague.pk
    )
    assert other.assistant == colleague


@pytest.mark.parametrize("who", ["other_firm", "self", "firm_admin", "inactive", "nobody"])
def test_anyone_else_is_refused_and_nothing_is_booked(world, clock, centre, detainee, who):
    assistant_id = {
        "other_firm": lambda: member(world.other_firm).pk,
        "self": lambda: world.lawyer.pk,
        "firm_admin": lambda: member(world.firm, role="firm_admin").pk,
        "inactive": lambda: member(world.firm, is_active=False).pk,
        "nobody": lambda: 999999,
    }[who]()
    error = refused("assistant_not_in_firm", book, world, detainee, assistant_id=assistant_id)
    assert "律师事务所" in error.message
    assert not Booking.objects.exists()


def test_the_api_takes_and_shows_the_assistant(client, world, clock, centre, detainee):
    helper = member(world.firm)
    member(world.other_firm)
    listed = client.get("/api/v1/visits/assistants", **bearer_for(world.lawyer)).json()
    assert listed == [{"id": helper.pk, "name": helper.name}]
    payload = {"detainee_id": detainee.pk, "date": str(TUESDAY), "slot": "08:30", "assistant_id": helper.pk}
    response = client.post(
        "/api/v1/visits/bookings", payload, content_type="application/json", **bearer_for(world.lawyer)
    )
    assert response.status_code == 201, response.content
    [booking] = response.json()["bookings"]
    assert booking["assistant_id"] == helper.pk and booking["assistant"] == helper.name
    payload["slot"], payload["assistant_id"] = "13:30", world.other_lawyer.pk
    response = client.post(
        "/api/v1/visits/bookings", payload, content_type="application/json", **bearer_for(world.lawyer)
    )
    assert response.status_code == 400 and response.json()["code"] == "assistant_not_in_firm"


def test_the_booking_page_offers_the_firm_s_assistants_and_my_bookings_shows_them(
    login, world, clock, centre, detainee
):
    helper = member(world.firm)
    stranger = member(world.other_firm)
    client = login(world.lawyer)
    steps = {"centre": world.centre.pk, "detainee": detainee.pk, "date": "2026-09-29"}
    page = client.get(reverse("visits:book"), steps).content.decode()
    assert helper.name in page and stranger.name not in page
    response = client.post(
        reverse("visits:book"), {**steps, "slots": ["08:30"], "assistant": helper.pk, "room_kind": "in_person"}
    )
    assert response.status_code == 302
    assert Booking.objects.get().assistant == helper
    page = client.get(reverse("visits:my_bookings")).content.decode()
    assert helper.name in page
