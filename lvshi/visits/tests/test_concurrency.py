"""Fifty lawyers for the last room: exactly one gets it, on PostgreSQL and on
SQLite, with real connections in threads.

The control run on PostgreSQL replaces the guard (the conditional update of
the slot's load row) with a plain "count, then insert": the same race then
overbooks, which proves the test can see an overbooking at all. A second
control keeps the update but drops its condition: the CHECK constraint alone
then refuses the extra rooms.
"""

import threading
import time as walltime
from datetime import date, time

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import F

from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.visits import bindings, capacity, services
from lvshi.visits.models import HOLDING, Booking, SlotLoad
from lvshi.visits.services import booking as booking_service

from .factories import bind, make_centre, make_detainee, make_lawyer

LAWYERS = 50
DAY, START = date(2026, 9, 29), time(8, 30)
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def _crowd(world, n=LAWYERS):
    make_centre(world.centre, rooms=1, latest_days=14)
    pairs = []
    for _ in range(n):
        lawyer, detainee = make_lawyer(world.firm), make_detainee(world.centre)
        bind(lawyer, detainee)
        pairs.append((lawyer, detainee))
    return pairs


def _race(pairs) -> tuple[int, list]:
    barrier = threading.Barrier(len(pairs))
    successes, refusals, errors = [], [], []
    lock = threading.Lock()

    def attempt(lawyer, detainee):
        try:
            barrier.wait(30)
            result = services.booking_create(actor=Actor(lawyer), detainee=detainee, date=DAY, slot_start=START)
            with lock:
                successes.append(result)
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


def _held() -> int:
    return Booking.objects.filter(date=DAY, start=START, status__in=HOLDING).count()


class _ReadersGate:
    """Holds each reader until a second one has read too (or a few seconds
    pass), so that the control run's read-then-write race happens however the
    threads are scheduled on a busy machine."""

    def __init__(self):
        self.readers = 0
        self.condition = threading.Condition()

    def wait_for_company(self):
        with self.condition:
            self.readers += 1
            self.condition.notify_all()
            self.condition.wait_for(lambda: self.readers >= 2, timeout=5)


def _check_then_insert_with(gate):
    def _check_then_insert(config, day, start, end, kind, legal_aid=False, *, seen=False):
        """The bug the guard prevents: read how many rooms are held, then book."""
        held = Booking.objects.filter(
            centre_id=config.organisation_id, date=day, start=start, room_kind=kind, status__in=HOLDING
        ).count()
        gate.wait_for_company()
        walltime.sleep(0.05)
        return held < capacity.room_capacity(config, kind)

    return _check_then_insert


def _unconditional_update(config, day, start, end, kind, legal_aid=False, *, seen=False):
    """The update without ``WHERE taken < capacity``: only the CHECK is left."""
    SlotLoad.objects.bulk_create(
        [SlotLoad(centre_id=config.organisation_id, date=day, start=start, end=end, room_kind=kind, capacity=1)],
        ignore_conflicts=True,
    )
    SlotLoad.objects.filter(centre_id=config.organisation_id, date=day, start=start, room_kind=kind).update(
        taken=F("taken") + 1
    )
    return True


def _without_the_early_look(monkeypatch):
    """A control run also removes the read-only "already full?" look made
    before the transaction, so every request reaches what the run leaves of
    the guard (the look is an optimisation; it never decides capacity)."""
    monkeypatch.setattr(booking_service, "free_rooms", lambda *args, **kwargs: 1)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_lawyers_for_the_last_room_on_postgresql(world, clock):
    successes, refusals = _race(_crowd(world))
    assert successes == 1
    assert set(refusals) == {"slot_full"} and len(refusals) == LAWYERS - 1
    assert _held() == 1
    assert SlotLoad.objects.get().taken == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_control_without_the_guard_the_race_overbooks_on_postgresql(world, clock, monkeypatch):
    monkeypatch.setattr(booking_service, "take_room", _check_then_insert_with(_ReadersGate()))
    _without_the_early_look(monkeypatch)
    successes, _ = _race(_crowd(world))
    assert successes > 1, "the control run must overbook, or the race test proves nothing"
    assert _held() == successes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_control_the_check_constraint_alone_refuses_the_extra_rooms_on_postgresql(world, clock, monkeypatch):
    monkeypatch.setattr(booking_service, "take_room", _unconditional_update)
    _without_the_early_look(monkeypatch)
    successes, refusals = _race(_crowd(world, n=20))
    assert successes == 1
    assert set(refusals) == {"booking_conflict"}
    assert _held() == 1 and SlotLoad.objects.get().taken == 1


@pytest.mark.skipif(ON_POSTGRES, reason="the SQLite run of the race")
@pytest.mark.django_db(transaction=True)
def test_fifty_lawyers_for_the_last_room_on_sqlite(world, clock):
    assert not connection.settings_dict["NAME"].startswith(":memory:") and "memory" not in str(
        connection.settings_dict["NAME"]
    )
    successes, refusals = _race(_crowd(world))
    assert successes == 1
    assert set(refusals) == {"slot_full"} and len(refusals) == LAWYERS - 1
    assert _held() == 1
    assert SlotLoad.objects.get().taken == 1


@pytest.mark.django_db(transaction=True)
def test_five_lawyers_binding_one_detainee_at_once_leave_two_bindings(world):
    make_centre(world.centre)
    detainee = make_detainee(world.centre)
    lawyers = [make_lawyer(world.firm) for _ in range(5)]
    barrier = threading.Barrier(len(lawyers))
    codes, errors = [], []

    def attempt(lawyer):
        try:
            barrier.wait(30)
            bindings.binding_create(lawyer=lawyer, detainee=detainee)
            codes.append("ok")
        except DomainError as exc:
            codes.append(exc.code)
        except Exception as exc:  # noqa: BLE001 - reported to the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(lawyer,)) for lawyer in lawyers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert sorted(codes) == ["binding_limit"] * 3 + ["ok"] * 2
    assert sorted(detainee.bindings.filter(status="active").values_list("seat", flat=True)) == [1, 2]
