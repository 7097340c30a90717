"""Each plain statement of the booking path against its ORM twin, on the
same rows: the statement is there for speed (docs/performance.md), the ORM
states the rule, and the two must never disagree."""

import itertools
from datetime import date, time, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.signals import post_save

from lvshi.core import rows
from lvshi.core.errors import DomainError
from lvshi.visits import capacity, selectors
from lvshi.visits.models import HOLDING, Booking, BookingLock, BookingStatus, LockStatus, Room, RoomKind, SlotLoad
from lvshi.visits.selectors import lockout
from lvshi.visits.services import requests

from .factories import bind, make_detainee

TUESDAY = date(2026, 9, 29)


def _loads(centre_id: int):
    """Every load a slot may hold within the table's CHECK constraints
    (capacity ≤ 3), one slot per combination."""
    made = []
    start = 0
    for cap, reserved, taken, taken_open in itertools.product(range(4), repeat=4):
        if reserved <= cap and taken <= cap and taken_open <= min(taken, cap - reserved):
            made.append(
                SlotLoad(
                    centre_id=centre_id,
                    date=TUESDAY,
                    start=time(start // 60, start % 60),
                    end=time(start // 60, start % 60 + 1),
                    room_kind=RoomKind.IN_PERSON,
                    capacity=cap,
                    reserved=reserved,
                    taken=taken,
                    taken_open=taken_open,
                )
            )
            start += 2
    return SlotLoad.objects.bulk_create(made)


@pytest.mark.parametrize("legal_aid", [True, False])
def test_claiming_a_room_agrees_with_the_rule_for_every_load(world, legal_aid):
    loads = _loads(world.centre.pk)
    assert len(loads) == 50  # every load the CHECK constraints allow with up to 3 rooms
    left = set(SlotLoad.objects.filter(capacity.room_left(legal_aid=legal_aid)).values_list("pk", flat=True))
    for load in loads:
        assert (load.pk in left) == (
            capacity.free_of(load.capacity, load.reserved, load.taken, load.taken_open, legal_aid=legal_aid) > 0
        )
        with transaction.atomic():
            claimed = capacity.claim_room(load.centre_id, load.date, load.start, load.room_kind, legal_aid=legal_aid)
            transaction.set_rollback(True)
        assert claimed == (load.pk in left), (load.capacity, load.reserved, load.taken, load.taken_open)


def test_the_over_limit_rule_is_the_table_s_check_turned_round(world):
    for load in _loads(world.centre.pk):
        assert not SlotLoad.objects.filter(capacity.over_limit(), pk=load.pk).exists()
        for rooms, reserved in itertools.product(range(4), range(2)):
            over = SlotLoad.objects.filter(capacity.over_limit(capacity=rooms, reserved=reserved), pk=load.pk).exists()
            assert over == (load.taken > rooms or load.taken_open > rooms - reserved)


def test_the_window_loads_agree_with_the_orm(world):
    _loads(world.centre.pk)
    orm = {
        (d, s, k): (c, r, t, o)
        for d, s, k, c, r, t, o in SlotLoad.objects.filter(centre=world.centre).values_list(
            "date", "start", "room_kind", *capacity.LOAD_FIELDS
        )
    }
    assert selectors.loads_between(world.centre.pk, TUESDAY, TUESDAY) == orm
    assert selectors.loads_between(world.centre.pk, TUESDAY + timedelta(days=1), TUESDAY + timedelta(days=2)) == {}


def test_the_overlap_check_agrees_with_the_orm(world, clock, centre, detainee):
    other = make_detainee(world.centre)
    bind(world.other_lawyer, other)
    slots = [(time(8, 30), time(9, 30)), (time(9, 0), time(10, 0)), (time(13, 30), time(14, 30))]
    for i, (status, (start, end)) in enumerate(itertools.product(BookingStatus.values, slots)):
        Booking.objects.create(
            lawyer=world.lawyer if i % 2 else world.other_lawyer,
            detainee=detainee if i % 3 else other,
            centre=world.centre,
            date=TUESDAY + timedelta(days=i),
            start=start,
            end=end,
            status=status,
            submitted_at=clock.now,
        )
    for i, (start, end) in itertools.product(range(len(BookingStatus.values) * 3), slots):
        day = TUESDAY + timedelta(days=i)
        orm = set(
            Booking.objects.filter(
                Q(lawyer=world.lawyer) | Q(detainee=detainee),
                date=day,
                start__lt=end,
                end__gt=start,
                status__in=HOLDING,
            ).values_list("lawyer", flat=True)
        )
        try:
            requests.check_not_busy(lawyer=world.lawyer, detainee=detainee, day=day, start=start, end=end)
            plain = set()
        except DomainError as refused:  # the refusal names who holds the time
            plain = {world.lawyer.pk} if refused.code == "lawyer_busy" else {"detainee"}
        if world.lawyer.pk in orm:
            assert plain == {world.lawyer.pk}
        else:
            assert plain == ({"detainee"} if orm else set())


@pytest.mark.parametrize(
    ("status", "starts", "ends", "in_force"),
    [
        (LockStatus.ACTIVE, -5, 30, True),
        (LockStatus.ACTIVE, 0, 1, True),
        (LockStatus.ACTIVE, 1, 30, False),  # not yet
        (LockStatus.ACTIVE, -30, 0, False),  # ends_on is the first day free again
        (LockStatus.LIFTED, -5, 30, False),
    ],
)
def test_the_request_s_lock_is_the_lock_out_rule(world, clock, centre, detainee, status, starts, ends, in_force):
    today = clock.now.date()
    BookingLock.objects.create(
        lawyer=world.lawyer,
        centre=world.centre,
        starts_on=today + timedelta(days=starts),
        ends_on=today + timedelta(days=ends),
        status=status,
        reason="测试",
    )
    orm = BookingLock.objects.filter(lockout.in_force(today), lawyer=world.lawyer).exists()
    assert orm is in_force
    assert requests.booking_row(world.lawyer, detainee.pk, "").locked is in_force
    assert (lockout.active_lock(world.lawyer) is not None) is in_force


def test_the_request_s_room_counts_are_the_rooms_rule(world, clock, centre, detainee):
    Room.objects.create(centre=world.centre, name="援助室", legal_aid_only=True)
    Room.objects.create(centre=world.centre, name="停用", active=False)
    Room.objects.create(centre=world.centre, name="视频", kind=RoomKind.VIDEO, legal_aid_only=True)
    config = requests.booking_row(world.lawyer, detainee.pk, "").config
    for name, (kind, reserved) in selectors.ROOM_COUNTS.items():
        assert getattr(config, name) == capacity.rooms_of(world.centre.pk, kind, reserved=reserved).count(), name


def test_a_statement_fills_its_marked_values_and_keeps_the_constants(world):
    marker = -1_000_001
    statement = rows.Statement(
        BookingLock.objects.filter(lockout.in_force(date(1001, 1, 1)), lawyer_id=marker).values("pk"),
        lawyer=marker,
        today=date(1001, 1, 1),
    )
    params = statement.params(lawyer=world.lawyer.pk, today=TUESDAY)
    assert world.lawyer.pk in params and LockStatus.ACTIVE.value in params
    with pytest.raises(ValueError):
        rows.Statement(BookingLock.objects.filter(status=LockStatus.ACTIVE).values("pk"), lawyer=marker)


def _booking(world, clock, detainee, **values):
    fields = {
        "lawyer": world.lawyer,
        "detainee": detainee,
        "centre": world.centre,
        "date": TUESDAY,
        "start": time(8, 30),
        "end": time(9, 30),
        "room_kind": RoomKind.IN_PERSON,
        "status": BookingStatus.APPROVED,
        "submitted_at": clock.now,
        "decided_at": clock.now,
        "idempotency_key": "k-1",
        "request_hash": "h" * 64,
    }
    return Booking(**{**fields, **values})


def _row(pk: int) -> dict:
    row = Booking.objects.filter(pk=pk).values().get()
    row.pop("id")
    return row


def test_a_row_inserted_by_the_compiled_insert_is_the_orm_s_row(world, clock, detainee):
    saved = _booking(world, clock, detainee)
    saved.save()
    orm = _row(saved.pk)
    saved.delete()
    inserted = _booking(world, clock, detainee)
    rows.insert(inserted)
    assert inserted.pk is not None and inserted.pk != saved.pk
    assert not inserted._state.adding
    assert _row(inserted.pk) == orm
    # The instance is the ORM's saved instance: a later save() updates it.
    inserted.reason = "改期"
    inserted.save(update_fields=["reason"])
    assert Booking.objects.get(pk=inserted.pk).reason == "改期"


def test_the_compiled_insert_keeps_the_database_s_constraints(world, clock, detainee):
    rows.insert(_booking(world, clock, detainee))
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.insert(_booking(world, clock, detainee))  # the same lawyer, key and time
    assert Booking.objects.count() == 1


def test_the_compiled_insert_leaves_models_with_save_receivers_to_save(world, clock, detainee):
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance.pk)

    post_save.connect(receiver, sender=Booking)
    try:
        booking = _booking(world, clock, detainee)
        rows.insert(booking)
    finally:
        post_save.disconnect(receiver, sender=Booking)
    assert seen == [booking.pk] and Booking.objects.filter(pk=booking.pk).exists()


def test_a_write_along_with_the_insert_happens_in_the_same_transaction(world, clock, detainee):
    table, reason, pk = rows.table(Booking), rows.col(Booking, "reason"), rows.col(Booking, "id")
    first = _booking(world, clock, detainee)
    first.save()
    along = (f"UPDATE {table} SET {reason} = %s WHERE {pk} = %s", ["顺带", first.pk])
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.insert(_booking(world, clock, detainee), along=along)  # refused: the write along is undone too
    assert Booking.objects.get(pk=first.pk).reason == ""
    second = _booking(world, clock, detainee, start=time(10, 0), end=time(11, 0), idempotency_key="k-2")
    rows.insert(second, along=along)
    assert Booking.objects.get(pk=first.pk).reason == "顺带" and Booking.objects.filter(pk=second.pk).exists()
