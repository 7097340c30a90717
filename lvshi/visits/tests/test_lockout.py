"""Violations and the lock-out (V8): three active violations lock online
booking for six months; appeals and lifting by authority officers."""

import json
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from lvshi.audit.models import AuditEvent
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError, NotFound, PermissionDenied
from lvshi.notify.models import Notification
from lvshi.visits import services
from lvshi.visits.models import (
    AppealStatus,
    Booking,
    BookingLock,
    LockStatus,
    Violation,
    ViolationStatus,
)
from lvshi.visits.services import checkin
from tests.test_access import bearer_for
from tests.threads import run_at_once

from .factories import bind, make_centre, make_detainee

TUESDAY = date(2026, 9, 29)


def no_show(world, clock, day: date, lawyer=None) -> Violation:
    """A real no-show of *lawyer* on *day* (08:30), through the job."""
    lawyer = lawyer or world.lawyer
    detainee = make_detainee(world.centre)
    bind(lawyer, detainee)
    clock.set_local(*(day - timedelta(days=1)).timetuple()[:3], 10, 0)
    [booking] = services.booking_create(actor=Actor(lawyer), detainee=detainee, date=day, slot_start=time(8, 30))
    services.booking_approve(booking=booking, actor=Actor(world.officer))
    clock.set_local(*day.timetuple()[:3], 9, 0)
    assert checkin.mark_no_shows() == 1
    return Violation.objects.get(booking=booking)


def book(world, day=date(2026, 10, 12)) -> list[Booking]:
    detainee = make_detainee(world.centre)
    bind(world.lawyer, detainee)
    return services.booking_create(actor=Actor(world.lawyer), detainee=detainee, date=day, slot_start=time(8, 30))


def three(world, clock) -> list[Violation]:
    return [no_show(world, clock, d) for d in (date(2026, 9, 29), date(2026, 9, 30), date(2026, 10, 9))]


def test_two_violations_do_not_lock_and_the_third_locks_for_six_months(world, clock, centre):
    no_show(world, clock, date(2026, 9, 29))
    no_show(world, clock, date(2026, 9, 30))
    assert not BookingLock.objects.exists()
    no_show(world, clock, date(2026, 10, 9))
    lock = BookingLock.objects.get()
    assert (lock.starts_on, lock.ends_on, lock.status) == (date(2026, 10, 9), date(2027, 4, 9), LockStatus.ACTIVE)
    assert "3" in lock.reason and "2026-09-29" in lock.reason
    assert lock.violations.count() == 3
    assert Notification.objects.filter(user=world.lawyer, kind="visit_locked").count() == 1
    assert AuditEvent.objects.filter(action="visits.lock_create").count() == 1


def test_booking_is_refused_while_locked_with_the_end_date(world, clock, centre):
    three(world, clock)
    clock.set_local(2027, 4, 8, 10, 0)
    with pytest.raises(DomainError) as exc:
        book(world, date(2027, 4, 12))
    assert exc.value.code == "booking_locked"
    assert exc.value.details["ends_on"] == "2027-04-09" and "2027-04-09" in exc.value.message
    # From the end date on, booking works again.
    clock.set_local(2027, 4, 9, 10, 0)
    assert len(book(world, date(2027, 4, 12))) == 1


def test_expired_and_voided_violations_do_not_count(world, clock, centre):
    old = no_show(world, clock, date(2026, 9, 29))
    Violation.objects.filter(pk=old.pk).update(expires_on=date(2026, 10, 8))
    void = no_show(world, clock, date(2026, 9, 30))
    Violation.objects.filter(pk=void.pk).update(status=ViolationStatus.VOID)
    no_show(world, clock, date(2026, 10, 9))
    no_show(world, clock, date(2026, 10, 12))
    assert not BookingLock.objects.exists()


def test_the_lawyer_lists_violations_with_date_expiry_and_the_lock(client, world, clock, centre):
    three(world, clock)
    response = client.get("/api/v1/visits/violations", **bearer_for(world.lawyer))
    assert response.status_code == 200
    data = json.loads(response.content)
    assert [(v["date"], v["expires_on"]) for v in data["violations"]] == [
        ("2026-10-09", "2027-10-09"),
        ("2026-09-30", "2027-09-30"),
        ("2026-09-29", "2027-09-29"),
    ]
    assert data["lock"]["ends_on"] == "2027-04-09"
    other = json.loads(client.get("/api/v1/visits/violations", **bearer_for(world.other_lawyer)).content)
    assert other == {"violations": [], "lock": None}


def test_the_lawyer_appeals_once(world, clock, centre):
    violation = no_show(world, clock, TUESDAY)
    with pytest.raises(DomainError) as exc:
        checkin.violation_appeal(actor=Actor(world.lawyer), violation=violation, text="  ")
    assert exc.value.code == "text_required"
    with pytest.raises(NotFound):
        checkin.violation_appeal(actor=Actor(world.other_lawyer), violation=violation, text="不是我")
    appeal = checkin.violation_appeal(actor=Actor(world.lawyer), violation=violation, text="当日突发疾病，附医院证明")
    assert appeal.status == AppealStatus.PENDING
    with pytest.raises(DomainError) as exc:
        checkin.violation_appeal(actor=Actor(world.lawyer), violation=violation, text="再次申诉")
    assert exc.value.code == "already_appealed"
    assert AuditEvent.objects.filter(action="visits.violation_appeal").count() == 1


def test_an_upheld_appeal_voids_the_violation_and_lifts_its_lock(world, clock, centre):
    violations = three(world, clock)
    appeal = checkin.violation_appeal(actor=Actor(world.lawyer), violation=violations[0], text="当日交通管制，附通知")
    with pytest.raises(PermissionDenied):
        checkin.appeal_decide(actor=Actor(world.officer), appeal=appeal, uphold=True)
    checkin.appeal_decide(actor=Actor(world.authority_officer), appeal=appeal, uphold=True)
    violations[0].refresh_from_db()
    assert violations[0].status == ViolationStatus.VOID
    lock = BookingLock.objects.get()
    assert lock.status == LockStatus.LIFTED and lock.lifted_by == world.authority_officer
    assert len(book(world)) == 1
    assert Notification.objects.filter(user=world.lawyer, kind="visit_appeal_decided").count() == 1
    assert Notification.objects.filter(user=world.lawyer, kind="visit_lock_lifted").count() == 1
    # The two remaining violations count again: one more locks.
    no_show(world, clock, date(2026, 10, 13))
    assert BookingLock.objects.filter(status=LockStatus.ACTIVE).count() == 1
    with pytest.raises(DomainError) as exc:
        checkin.appeal_decide(actor=Actor(world.authority_officer), appeal=appeal, uphold=False, note="重复")
    assert exc.value.code == "wrong_status"


def test_a_rejected_appeal_needs_a_reason_and_leaves_the_lock(world, clock, centre):
    violations = three(world, clock)
    appeal = checkin.violation_appeal(actor=Actor(world.lawyer), violation=violations[1], text="记错了时间")
    with pytest.raises(DomainError) as exc:
        checkin.appeal_decide(actor=Actor(world.authority_officer), appeal=appeal, uphold=False)
    assert exc.value.code == "note_required"
    checkin.appeal_decide(actor=Actor(world.authority_officer), appeal=appeal, uphold=False, note="理由不成立")
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.REJECTED
    assert Violation.objects.filter(status=ViolationStatus.ACTIVE).count() == 3
    assert BookingLock.objects.get().status == LockStatus.ACTIVE
    assert AuditEvent.objects.filter(action="visits.appeal_decide").count() == 1


def test_an_authority_officer_lifts_a_lock_with_a_reason_and_booking_works_again(world, clock, centre):
    three(world, clock)
    lock = BookingLock.objects.get()
    with pytest.raises(DomainError):
        book(world)
    with pytest.raises(PermissionDenied):
        checkin.lock_lift(actor=Actor(world.officer), lock=lock, reason="核实")
    with pytest.raises(DomainError) as exc:
        checkin.lock_lift(actor=Actor(world.authority_officer), lock=lock, reason=" ")
    assert exc.value.code == "reason_required"
    checkin.lock_lift(actor=Actor(world.authority_officer), lock=lock, reason="律师提交了住院证明")
    lock.refresh_from_db()
    assert lock.status == LockStatus.LIFTED and lock.lift_reason == "律师提交了住院证明"
    assert AuditEvent.objects.get(action="visits.lock_lift").actor_id == world.authority_officer.pk
    assert len(book(world)) == 1
    with pytest.raises(DomainError) as exc:
        checkin.lock_lift(actor=Actor(world.authority_officer), lock=lock, reason="再次")
    assert exc.value.code == "wrong_status"
    # The lock's violations stay used: one more does not lock again.
    no_show(world, clock, date(2026, 10, 13))
    assert BookingLock.objects.filter(status=LockStatus.ACTIVE).count() == 0


def test_appeal_decide_and_lift_through_the_api(client, world, clock, centre):
    violations = three(world, clock)
    response = client.post(
        f"/api/v1/visits/violations/{violations[2].pk}/appeal",
        {"text": "当日突发疾病"},
        content_type="application/json",
        **bearer_for(world.lawyer),
    )
    assert response.status_code == 201, response.content
    appeal_id = json.loads(response.content)["id"]
    response = client.post(
        f"/api/v1/visits/appeals/{appeal_id}/decide",
        {"uphold": False, "note": "无证明材料"},
        content_type="application/json",
        **bearer_for(world.authority_officer),
    )
    assert response.status_code == 200 and json.loads(response.content)["status"] == "rejected"
    lock = BookingLock.objects.get()
    response = client.post(
        f"/api/v1/visits/locks/{lock.pk}/lift",
        {"reason": "复核后解除"},
        content_type="application/json",
        **bearer_for(world.authority_officer),
    )
    assert response.status_code == 200 and json.loads(response.content)["status"] == "lifted"
    response = client.post(
        "/api/v1/visits/bookings",
        {"detainee_id": make_detainee(world.centre).pk, "date": "2026-10-13", "slot": "08:30"},
        content_type="application/json",
        **bearer_for(world.lawyer),
    )
    assert json.loads(response.content)["code"] == "not_bound"


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert checkin.add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert checkin.add_months(date(2026, 10, 9), 6) == date(2027, 4, 9)
    assert checkin.add_months(date(2026, 9, 29), 12) == date(2027, 9, 29)


# --- two workers reaching the third violation at once ---------------------------------------


def _three_due(world, clock) -> None:
    """Three approved bookings of one lawyer, all overdue on Wednesday 14:00."""
    clock.set_local(2026, 9, 28, 10, 0)
    for day, start in (
        (date(2026, 9, 29), time(8, 30)),
        (date(2026, 9, 29), time(13, 30)),
        (date(2026, 9, 30), time(8, 30)),
    ):
        detainee = make_detainee(world.centre)
        bind(world.lawyer, detainee)
        [booking] = services.booking_create(actor=Actor(world.lawyer), detainee=detainee, date=day, slot_start=start)
        services.booking_approve(booking=booking, actor=Actor(world.officer))


def _two_workers_lock_once(world, clock):
    make_centre(world.centre, rooms=2, latest_days=14)
    _three_due(world, clock)
    now = datetime(2026, 9, 30, 14, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    counts = run_at_once(lambda: checkin.mark_no_shows(now=now), 2)
    assert sum(counts) == 3 and Violation.objects.count() == 3
    lock = BookingLock.objects.get()
    assert lock.violations.count() == 3 and lock.ends_on == date(2027, 3, 30)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_the_third_violation_make_one_lock_on_postgresql(world, clock):
    _two_workers_lock_once(world, clock)


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_the_third_violation_make_one_lock(world, clock):
    _two_workers_lock_once(world, clock)


def test_the_booking_page_explains_the_lock_and_links_to_the_violations(world, clock, centre, login):
    from django.urls import reverse

    three(world, clock)
    detainee = make_detainee(world.centre)
    bind(world.lawyer, detainee)
    data = {"centre": world.centre.pk, "detainee": detainee.pk, "date": "2026-10-12", "slots": ["08:30"]}

    html = login(world.lawyer).post(reverse("visits:book"), data).content.decode()

    assert "2027-04-09" in html
    assert f'href="{reverse("visits:violations")}"' in html
    assert not Booking.objects.filter(detainee=detainee).exists()
