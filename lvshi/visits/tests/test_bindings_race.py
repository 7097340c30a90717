"""Two officers verify two lawyers for a detainee's last seat at the same
moment: exactly one binding becomes active, on PostgreSQL and SQLite, with
real connections in threads.

The control run removes the detainee's row lock: both verifications then
read the same free seat, and the database's unique seat among active
bindings still lets only one through.
"""

import itertools
import threading

import pytest
from django.conf import settings
from django.utils import timezone

from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.visits import bindings as svc
from lvshi.visits.bindings import centre as centre_steps
from lvshi.visits.models import Binding, BindingStatus, Detainee
from tests.threads import run_at_once

from .factories import bind, make_centre, make_detainee, make_lawyer

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def _two_waiting_for_the_last_seat(world):
    make_centre(world.centre)
    detainee = make_detainee(world.centre)
    bind(make_lawyer(world.firm), detainee, seat=1)
    waiting = [
        Binding.objects.create(
            lawyer=make_lawyer(world.firm),
            detainee=detainee,
            status=BindingStatus.VERIFYING,
            seat=None,
            submitted_at=timezone.now(),
        )
        for _ in range(2)
    ]
    return detainee, waiting


def _race(world, waiting) -> list[str]:
    queue, guard = itertools.cycle(waiting), threading.Lock()
    officer = world.officer

    def verify():
        with guard:
            binding = Binding.objects.get(pk=next(queue).pk)
        try:
            svc.binding_verify(binding=binding, actor=Actor(officer))
            return "ok"
        except DomainError as exc:
            return exc.code

    return sorted(run_at_once(verify, len(waiting)))


def _active(detainee) -> list[int]:
    return sorted(detainee.bindings.filter(status=BindingStatus.ACTIVE).values_list("seat", flat=True))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_verifications_for_the_last_seat_leave_one_active_on_postgresql(world):
    detainee, waiting = _two_waiting_for_the_last_seat(world)
    assert _race(world, waiting) == ["binding_limit", "ok"]
    assert _active(detainee) == [1, 2]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_control_without_the_row_lock_the_seat_constraint_refuses_the_second(world, monkeypatch):
    detainee, waiting = _two_waiting_for_the_last_seat(world)
    gate = threading.Barrier(2)
    free_seat = svc._free_seat

    def unlocked(detainee_id):
        return Detainee.objects.select_related("centre").get(pk=detainee_id)

    def seat_after_both_read(detainee):
        seat = free_seat(detainee)
        gate.wait(10)  # both have read the same free seat
        return seat

    monkeypatch.setattr(centre_steps, "_lock_detainee", unlocked)
    monkeypatch.setattr(centre_steps, "_free_seat", seat_after_both_read)
    assert _race(world, waiting) == ["binding_conflict", "ok"]
    assert _active(detainee) == [1, 2]


@pytest.mark.skipif(ON_POSTGRES, reason="the SQLite run of the race")
@pytest.mark.django_db(transaction=True)
def test_two_verifications_for_the_last_seat_leave_one_active_on_sqlite(world):
    detainee, waiting = _two_waiting_for_the_last_seat(world)
    assert _race(world, waiting) == ["binding_limit", "ok"]
    assert _active(detainee) == [1, 2]
