"""Expiring offers on several machines at once: each expired offer is handled
once and the room is offered to the next in line once, on PostgreSQL and on
SQLite, with real connections in threads."""

from datetime import date, time

import pytest
from django.conf import settings

from lvshi.core.actor import Actor
from lvshi.visits import services
from lvshi.visits.models import HOLDING, Booking, SlotLoad, WaitlistEntry, WaitlistStatus
from lvshi.visits.services import waitlist
from tests.threads import run_at_once

from .factories import bind, make_centre, make_detainee, make_lawyer

TUESDAY = date(2026, 9, 29)
MORNING = time(8, 30)
WORKERS = 4
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def _one_offer_expires(world, clock):
    make_centre(world.centre, rooms=1, latest_days=14)
    holder, detainee = make_lawyer(world.firm), make_detainee(world.centre)
    bind(holder, detainee)
    [booking] = services.booking_create(actor=Actor(holder), detainee=detainee, date=TUESDAY, slot_start=MORNING)
    entries = []
    for _ in range(3):
        lawyer, client = make_lawyer(world.firm), make_detainee(world.centre)
        bind(lawyer, client)
        entries.append(waitlist.waitlist_join(actor=Actor(lawyer), detainee=client, date=TUESDAY, slot_start=MORNING))
    services.booking_cancel(booking=booking, actor=Actor(holder))
    clock.set_local(2026, 9, 28, 10, 15)

    counts = run_at_once(waitlist.expire_offers, WORKERS)

    assert sum(counts) == 1, counts  # one worker expired the first offer
    statuses = [WaitlistEntry.objects.get(pk=e.pk).status for e in entries]
    assert statuses == [WaitlistStatus.EXPIRED, WaitlistStatus.OFFERED, WaitlistStatus.WAITING]
    row = SlotLoad.objects.get(date=TUESDAY, start=MORNING)
    held = Booking.objects.filter(date=TUESDAY, start=MORNING, status__in=HOLDING).count()
    assert row.taken == held + 1 == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_expiry_offers_the_room_once_on_postgresql(world, clock):
    _one_offer_expires(world, clock)


@pytest.mark.skipif(ON_POSTGRES, reason="the SQLite run")
@pytest.mark.django_db(transaction=True)
def test_concurrent_expiry_offers_the_room_once_on_sqlite(world, clock):
    _one_offer_expires(world, clock)
