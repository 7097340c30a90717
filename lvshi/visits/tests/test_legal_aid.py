"""Legal-aid rooms and priority (V13): rooms reserved for legal-aid cases,
the extra days legal-aid cases may book ahead, and the race for the last
reserved room."""

import threading
from datetime import date, time

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.visits import selectors, services
from lvshi.visits.models import Binding, CentreConfig, Room, SlotLoad

from .factories import bind, make_centre, make_detainee, make_lawyer

TUESDAY = date(2026, 9, 29)
MORNING = time(8, 30)
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def bound(world, *, legal_aid=False):
    lawyer, detainee = make_lawyer(world.firm), make_detainee(world.centre)
    Binding.objects.filter(pk=bind(lawyer, detainee).pk).update(legal_aid=legal_aid)
    return lawyer, detainee


def book(lawyer, detainee, day=TUESDAY, start=MORNING):
    return services.booking_create(actor=Actor(lawyer), detainee=detainee, date=day, slot_start=start)


def refused(code, fn, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as info:
        fn(*args, **kwargs)
    assert info.value.code == code, info.value.as_dict()
    return info.value


def load(day=TUESDAY, start=MORNING) -> SlotLoad:
    return SlotLoad.objects.get(date=day, start=start, room_kind="in_person")


@pytest.fixture
def aided_centre(world, clock):
    """Two rooms, one of them for legal-aid cases only."""
    centre = make_centre(world.centre, rooms=1, latest_days=10, legal_aid_priority_days=3)
    Room.objects.create(centre=world.centre, name="法律援助专用室", legal_aid_only=True)
    return centre


# --- reserved rooms -----------------------------------------------------------------


def test_ordinary_bookings_never_take_the_reserved_room(world, aided_centre):
    book(*bound(world))
    assert (load().capacity, load().reserved, load().taken, load().taken_open) == (2, 1, 1, 1)
    error = refused("slot_full", book, *bound(world))
    assert "法律援助案件专用" in error.message
    assert load().taken == 1
    [aided] = book(*bound(world, legal_aid=True))
    assert aided.legal_aid
    assert (load().taken, load().taken_open) == (2, 1)
    error = refused("slot_full", book, *bound(world, legal_aid=True))
    assert "已约满" in error.message


def test_a_legal_aid_booking_may_take_an_open_room_too(world, aided_centre):
    book(*bound(world, legal_aid=True))
    book(*bound(world, legal_aid=True))
    assert (load().taken, load().taken_open) == (2, 0)
    refused("slot_full", book, *bound(world))


def test_releases_give_back_the_kind_of_room_they_took(world, aided_centre):
    [ordinary] = book(*bound(world))
    [aided] = book(*bound(world, legal_aid=True))
    services.booking_cancel(booking=aided, actor=Actor(aided.lawyer))
    assert (load().taken, load().taken_open) == (1, 1)
    refused("slot_full", book, *bound(world))  # the free room is the reserved one
    services.booking_reject(booking=ordinary, actor=Actor(world.officer), reason="冲突")
    assert (load().taken, load().taken_open) == (0, 0)
    book(*bound(world))


def test_availability_shows_free_for_everyone_and_for_legal_aid(world, aided_centre):
    book(*bound(world))
    [row] = [s for s in selectors.availability(world.centre, TUESDAY) if s["start"] == MORNING]
    assert (row["capacity"], row["reserved"], row["free"], row["free_legal_aid"]) == (2, 1, 0, 1)
    [untouched] = [s for s in selectors.availability(world.centre, TUESDAY) if s["start"] == time(13, 30)]
    assert (untouched["free"], untouched["free_legal_aid"]) == (1, 2)


def test_public_api_shows_both_figures(client, world, aided_centre):
    data = client.get(f"/api/v1/visits/centres/{world.centre.pk}/availability?date={TUESDAY}").json()
    assert {(s["free"], s["free_legal_aid"], s["reserved"]) for s in data["slots"]} == {(1, 2, 1)}
    [centre] = client.get("/api/v1/visits/centres").json()
    assert centre["legal_aid_priority_days"] == 3


def test_the_booking_page_shows_the_figure_of_the_chosen_binding(login, world, aided_centre):
    ordinary, aided = make_detainee(world.centre), make_detainee(world.centre)
    bind(world.lawyer, ordinary)
    Binding.objects.filter(pk=bind(world.lawyer, aided).pk).update(legal_aid=True)
    client = login(world.lawyer)
    steps = {"centre": world.centre.pk, "date": "2026-09-29"}
    rows = client.get(reverse("visits:book"), {**steps, "detainee": ordinary.pk}).context["slot_rows"]
    assert [r["in_person"] for r in rows] == [1, 1]
    response = client.get(reverse("visits:book"), {**steps, "detainee": aided.pk})
    assert [r["in_person"] for r in response.context["slot_rows"]] == [2, 2]
    assert "法律援助案件" in response.content.decode()


# --- priority days ------------------------------------------------------------------


def test_legal_aid_cases_book_the_priority_days_beyond_the_window(world, aided_centre):
    # Today is Monday 28 September; latest_days 10 → 8 October; +3 → 11 October.
    last_ordinary, priority_day, beyond = date(2026, 10, 8), date(2026, 10, 9), date(2026, 10, 12)
    book(*bound(world), day=last_ordinary)
    error = refused("legal_aid_priority", book, *bound(world), day=priority_day)
    assert "2026-10-09至2026-10-11" in error.message and "2026-10-08" in error.message
    [aided] = book(*bound(world, legal_aid=True), day=priority_day)
    assert aided.date == priority_day
    error = refused("outside_window", book, *bound(world, legal_aid=True), day=beyond)
    assert "2026-10-11" in error.message and "法律援助案件优先3天" in error.message
    refused("outside_window", book, *bound(world), day=beyond)


def test_without_priority_days_the_window_is_the_same_for_everyone(world, aided_centre):
    CentreConfig.objects.filter(pk=aided_centre.pk).update(legal_aid_priority_days=0)
    refused("outside_window", book, *bound(world, legal_aid=True), day=date(2026, 10, 9))


def test_alternatives_of_a_legal_aid_case_reach_into_the_priority_days(world, clock):
    make_centre(world.centre, rooms=1, latest_days=10, legal_aid_priority_days=3)
    config = selectors.config_with_rooms(world.centre)
    # Fill every slot up to 8 October.
    for day in (date(2026, 9, 29), date(2026, 9, 30), date(2026, 10, 8)):
        for start in (MORNING, time(13, 30)):
            book(*bound(world), day=day, start=start)
    assert selectors.alternatives(config, TUESDAY, "in_person", exclude=MORNING) == []
    options = selectors.alternatives(config, TUESDAY, "in_person", exclude=MORNING, legal_aid=True)
    assert options[0] == {"date": "2026-10-09", "start": "08:30", "end": "11:00"}


# --- the race for the reserved room ---------------------------------------------------


def _race(pairs) -> tuple[int, list]:
    barrier = threading.Barrier(len(pairs))
    successes, refusals, errors = [], [], []
    lock = threading.Lock()

    def attempt(lawyer, detainee):
        try:
            barrier.wait(30)
            book(lawyer, detainee)
            with lock:
                successes.append(1)
        except DomainError as exc:
            with lock:
                refusals.append(exc.code)
        except Exception as exc:  # noqa: BLE001 - reported to the main thread
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    return len(successes), refusals


def _race_for_the_reserved_room(world):
    """Rooms: one open (already taken), one reserved for legal aid."""
    make_centre(world.centre, rooms=1, latest_days=14)
    Room.objects.create(centre=world.centre, name="法律援助专用室", legal_aid_only=True)
    book(*bound(world))
    ordinary = [bound(world) for _ in range(10)]
    successes, refusals = _race(ordinary)
    assert successes == 0 and set(refusals) == {"slot_full"}
    assert (load().taken, load().taken_open) == (1, 1)
    aided = [bound(world, legal_aid=True) for _ in range(10)]
    successes, refusals = _race(aided)
    assert successes == 1 and set(refusals) == {"slot_full"} and len(refusals) == 9
    assert (load().taken, load().taken_open) == (2, 1)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_for_the_reserved_room_on_postgresql(world, clock):
    _race_for_the_reserved_room(world)


@pytest.mark.skipif(ON_POSTGRES, reason="the SQLite run of the race")
@pytest.mark.django_db(transaction=True)
def test_racing_for_the_reserved_room_on_sqlite(world, clock):
    _race_for_the_reserved_room(world)
