"""Deactivating a room while a lawyer takes the last room of a slot, at the
same moment on separate connections: exactly one of them wins, and no slot
ever holds more bookings than rooms (PostgreSQL and SQLite)."""

import threading
from datetime import date, time

import pytest
from django.db import connection

from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.visits import services
from lvshi.visits.models import HOLDING, Booking, Room, SlotLoad
from lvshi.visits.services import centres

from .factories import bind, make_centre, make_detainee, make_lawyer

DAYS = (date(2026, 9, 29), date(2026, 9, 30), date(2026, 10, 9))
START = time(8, 30)


def _together(*works) -> list:
    barrier = threading.Barrier(len(works))
    results: list = [None] * len(works)

    def run(i, work):
        try:
            barrier.wait(30)
            results[i] = ("ok", work())
        except DomainError as exc:
            results[i] = ("refused", exc.code)
        except Exception as exc:  # noqa: BLE001 - reported to the main thread
            results[i] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(works)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("day", DAYS)
def test_room_deactivation_racing_the_last_booking(world, clock, day):
    make_centre(world.centre, rooms=2, latest_days=14)
    first = make_lawyer(world.firm), make_detainee(world.centre)
    second = make_lawyer(world.firm), make_detainee(world.centre)
    for lawyer, detainee in (first, second):
        bind(lawyer, detainee)
    services.booking_create(actor=Actor(first[0]), detainee=first[1], date=day, slot_start=START)
    room = Room.objects.filter(centre=world.centre).first()

    booked, deactivated = _together(
        lambda: services.booking_create(actor=Actor(second[0]), detainee=second[1], date=day, slot_start=START),
        lambda: centres.room_update(room=room, actor=Actor(world.officer), active=False),
    )

    assert booked[0] != "error" and deactivated[0] != "error", (booked, deactivated)
    outcomes = {booked[0], deactivated[0]}
    assert outcomes == {"ok", "refused"}, (booked, deactivated)
    if booked[0] == "refused":
        assert booked[1] in ("slot_full", "booking_conflict")
    else:
        assert deactivated[1] == "rooms_in_use"
    row = SlotLoad.objects.get(centre=world.centre, date=day, start=START)
    room.refresh_from_db()
    held = Booking.objects.filter(date=day, start=START, status__in=HOLDING).count()
    assert row.taken == held <= row.capacity
    assert row.capacity == Room.objects.filter(centre=world.centre, active=True).count()
    assert room.active == (booked[0] == "ok")
