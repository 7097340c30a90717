"""Hearings (C8), the lawyers' conflicts seen before saving (C1, X4) and
conflict requests (C6)."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lvshi.calendar.models import ScheduleEntry, TravelTime
from lvshi.calendar.workdays import SHANGHAI, next_working_day
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.courts.models import Hearing, HearingClaim, HearingRequest, RequestStatus
from lvshi.courts.services import hearings as svc
from lvshi.notify.models import Delivery, Notification
from lvshi.visits.models import Booking, BookingStatus
from lvshi.visits.tests.factories import make_detainee
from tests.threads import run_at_once

from .factories import court_of, direct_case, foreign_court


def workday(days_ahead: int = 10):
    return next_working_day(timezone.localdate() + timedelta(days=days_ahead))


def at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


@pytest.fixture
def court(world):
    return court_of(world)


@pytest.fixture
def case(world, court):
    return direct_case(court, judge=world.judge, lawyers=[world.lawyer], clerk=world.clerk)


def schedule(world, case, start, minutes=60, room=None, judge=None):
    room = room or case.court.rooms.order_by("pk").first()
    return svc.hearing_schedule(
        actor=Actor(world.clerk),
        case=case,
        start=start,
        minutes=minutes,
        room_id=room.pk,
        judge_id=(judge or world.judge).pk,
    )


def test_a_room_or_a_judge_is_never_in_two_hearings_at_once(world, court, case):
    day = workday()
    schedule(world, case, at(day, 9))
    other = direct_case(court, judge=world.judge)
    with pytest.raises(DomainError) as refused:
        schedule(world, other, at(day, 9, 30))  # same room, same judge
    assert refused.value.code == "resource_taken" and refused.value.status == 409
    second_room = court.rooms.order_by("pk").last()
    with pytest.raises(DomainError):
        schedule(world, other, at(day, 9, 45), room=second_room)  # the judge is busy
    schedule(world, other, at(day, 10))  # back to back is fine
    assert Hearing.objects.count() == 2
    assert HearingClaim.objects.count() == 2 * 2 * 4


def test_times_are_checked(world, case):
    day = workday()
    for start, minutes, code in (
        (at(day, 9, 10), 60, "start_quarter"),
        (at(day, 9), 50, "length_invalid"),
        (at(day, 9), 60 * 9, "length_invalid"),
        (at(timezone.localdate() - timedelta(days=1), 9), 60, "start_past"),
    ):
        with pytest.raises(DomainError) as refused:
            schedule(world, case, start, minutes)
        assert refused.value.code == code


def test_only_the_court_s_staff_schedule(world, case):
    with pytest.raises(DomainError) as refused:
        svc.hearing_plan(
            actor=Actor(world.lawyer),
            case=case,
            start=at(workday(), 9),
            minutes=60,
            room_id=case.court.rooms.first().pk,
            judge_id=world.judge.pk,
        )
    assert refused.value.status == 403


def test_double_booking_race_leaves_one_hearing(transactional_db, world):
    court = court_of(world)
    cases = [direct_case(court, judge=world.judge) for _ in range(8)]
    start = at(workday(), 14)
    turn = iter(cases)
    import threading

    lock = threading.Lock()

    def book():
        with lock:
            c = next(turn)
        try:
            schedule(world, c, start)
        except DomainError as exc:
            return exc.code
        return "scheduled"

    outcomes = run_at_once(book, 8)
    assert sorted(outcomes) == ["resource_taken"] * 7 + ["scheduled"]
    assert Hearing.objects.count() == 1


def test_the_plan_shows_each_agent_s_conflicts_before_saving(world, court, case):
    day = workday()
    # Another hearing of the lawyer at another court at the same time.
    far = foreign_court()
    far_judge = far.organisation.memberships.get(role="judge").user
    elsewhere = direct_case(far, judge=far_judge, lawyers=[world.lawyer])
    Hearing.objects.create(
        case=elsewhere,
        room=far.rooms.first(),
        judge=far_judge,
        start=at(day, 9),
        end=at(day, 10),
        scheduled_by=far_judge,
        scheduled_at=timezone.now(),
    )
    # A detention meeting in Shanghai from 13:00 to 14:00 (three hours after the 9:00 hearing ends: enough).
    Booking.objects.create(
        lawyer=world.lawyer,
        detainee=make_detainee(world.centre),
        centre=world.centre,
        date=day,
        start=time(13, 0),
        end=time(14, 0),
        status=BookingStatus.APPROVED,
        submitted_at=timezone.now(),
    )
    # A day the lawyer cannot attend, and one the lawyer can.
    ScheduleEntry.objects.create(lawyer=world.lawyer, start=at(day, 16), end=at(day, 18), text="外地出差")
    ScheduleEntry.objects.create(lawyer=world.lawyer, start=at(day, 9), end=at(day, 12), text="写材料", can_attend=True)

    room = court.rooms.first().pk

    def plan(hour, minute=0):
        return svc.hearing_plan(
            actor=Actor(world.clerk),
            case=case,
            start=at(day, hour, minute),
            minutes=60,
            room_id=room,
            judge_id=world.judge.pk,
        )

    morning = plan(9)
    [(lawyer, found)] = morning.conflicts.items()
    assert lawyer == world.lawyer
    assert [(c.kind, c.other.public_summary) for c in found] == [("overlap", "开庭（四川省成都市中级人民法院）")]
    # 15:00 in Chongqing, an hour after a Shanghai meeting: not enough time to travel.
    afternoon = plan(15)
    [c] = afternoon.conflicts[world.lawyer]
    assert c.kind == "travel" and c.travel == 180 and "看守所会见" in c.other.public_summary
    # With 45 minutes set between the two cities, an hour is enough.
    TravelTime.objects.create(region_a="310000", region_b="500000", minutes=45)
    assert plan(15).conflicts == {}
    # The entry the lawyer cannot attend.
    [c] = plan(16, 30).conflicts[world.lawyer]
    assert c.other.summary == "外地出差"
    # The nearest times free for all are proposed, and are free.
    assert morning.suggestions
    for s in morning.suggestions:
        assert not svc.hearing_plan(
            actor=Actor(world.clerk), case=case, start=s, minutes=60, room_id=room, judge_id=world.judge.pk
        ).conflicts


def test_scheduling_tells_the_lawyers_and_warns_of_short_notice(
    world, case, django_capture_on_commit_callbacks, monkeypatch
):
    from datetime import date

    today = at(date(2026, 12, 15), 10)  # a Tuesday
    monkeypatch.setattr(timezone, "now", lambda: today)
    soon = at(date(2026, 12, 17), 9)  # Thursday: two days' notice
    assert not svc.hearing_plan(
        actor=Actor(world.clerk),
        case=case,
        start=at(date(2026, 12, 18), 9),
        minutes=60,
        room_id=case.court.rooms.first().pk,
        judge_id=world.judge.pk,
    ).short_notice
    plan = svc.hearing_plan(
        actor=Actor(world.clerk),
        case=case,
        start=soon,
        minutes=60,
        room_id=case.court.rooms.first().pk,
        judge_id=world.judge.pk,
    )
    assert plan.short_notice
    with django_capture_on_commit_callbacks(execute=True):
        hearing = schedule(world, case, soon)
    assert hearing.short_notice
    note = Notification.objects.get(user=world.lawyer, kind="hearing_scheduled")
    assert case.number in note.body
    assert Delivery.objects.filter(notification=note, channel="sms").exists()


def test_the_clerk_sees_conflicts_on_the_page_before_saving(world, case, login):
    day = workday()
    ScheduleEntry.objects.create(lawyer=world.lawyer, start=at(day, 9), end=at(day, 12), text="另案开庭")
    web = login(world.clerk)
    url = reverse("courts:schedule_hearing", args=[case.pk])
    data = {
        "start": f"{day:%Y-%m-%d}T09:30",
        "minutes": 60,
        "room": case.court.rooms.first().pk,
        "judge": world.judge.pk,
    }
    preview = web.get(url, data, HTTP_HX_REQUEST="true").content.decode()
    assert "代理律师在该时间有冲突" in preview and "另案开庭" in preview
    refused = web.post(url, data).content.decode()
    assert "勾选确认" in refused and not Hearing.objects.exists()
    saved = web.post(url, {**data, "confirm": "on"})
    assert saved.status_code == 302 and Hearing.objects.count() == 1


def test_hearings_are_in_the_lawyer_s_schedule_and_feed(world, case, client, api):
    day = workday()
    hearing = schedule(world, case, at(day, 9))
    ScheduleEntry.objects.create(lawyer=world.lawyer, start=at(day, 9), end=at(day, 10), text="另一件事")
    r = client.get(
        "/api/v1/schedule", {"from": at(day, 0).isoformat(), "to": at(day, 23).isoformat()}, **api(world.lawyer)
    )
    assert r.status_code == 200, r.content
    items = {i["uid"]: i for i in r.json()}
    assert items[svc.hearing_uid(hearing)]["conflicts"][0]["kind"] == "overlap"
    from lvshi.calendar import feeds

    assert svc.hearing_uid(hearing).encode() in feeds.render_ics(world.lawyer)
    hearings = client.get("/api/v1/courts/hearings", **api(world.lawyer)).json()
    assert [h["id"] for h in hearings] == [hearing.pk]


def test_a_postponement_request_granted_moves_the_hearing(world, case, django_capture_on_commit_callbacks):
    day = workday()
    hearing = schedule(world, case, at(day, 9))
    ScheduleEntry.objects.create(
        lawyer=world.lawyer, start=at(day + timedelta(days=1), 9), end=at(day + timedelta(days=1), 12), text="出差"
    )
    with pytest.raises(DomainError) as refused:
        svc.request_create(
            actor=Actor(world.lawyer),
            hearing=hearing,
            kind="postpone",
            reason="另案开庭",
            phone="13800000000",
            proposed=[at(day + timedelta(days=1), 9)],
        )
    assert refused.value.code == "proposed_conflict"
    later = at(next_working_day(day + timedelta(days=3)), 14)
    req = svc.request_create(
        actor=Actor(world.lawyer),
        hearing=hearing,
        kind="postpone",
        reason="另案开庭",
        phone="13800000000",
        proposed=[later],
    )
    with pytest.raises(DomainError) as twice:
        svc.request_create(
            actor=Actor(world.lawyer), hearing=hearing, kind="excuse", reason="x", phone="13800000000", proposed=[]
        )
    assert twice.value.code == "request_pending"
    with pytest.raises(DomainError):
        svc.request_grant(actor=Actor(world.clerk), request=req, start=later)  # only a judge decides
    with django_capture_on_commit_callbacks(execute=True):
        svc.request_grant(actor=Actor(world.judge), request=req, start=later, answer="准许")
    hearing.refresh_from_db()
    assert hearing.start == later and req.status == RequestStatus.GRANTED
    assert HearingClaim.objects.filter(hearing=hearing, quarter=later).count() == 2
    assert Notification.objects.filter(user=world.lawyer, kind="hearing_rescheduled").exists()
    assert Notification.objects.filter(user=world.lawyer, kind="hearing_request_decided").exists()


def test_a_refusal_needs_a_reason(world, case):
    hearing = schedule(world, case, at(workday(), 9))
    req = svc.request_create(
        actor=Actor(world.lawyer), hearing=hearing, kind="excuse", reason="生病", phone="13800000000", proposed=[]
    )
    with pytest.raises(DomainError):
        svc.request_refuse(actor=Actor(world.judge), request=req, answer="")
    svc.request_refuse(actor=Actor(world.judge), request=req, answer="可委托其他律师出庭")
    assert HearingRequest.objects.get(pk=req.pk).status == RequestStatus.REFUSED


def test_the_request_api(world, case, client, api):
    hearing = schedule(world, case, at(workday(), 9))
    r = client.post(
        f"/api/v1/courts/hearings/{hearing.pk}/conflict-requests",
        {"kind": "excuse", "reason": "生病", "phone": "1380000"},
        content_type="application/json",
        **api(world.lawyer),
    )
    assert r.status_code == 400 and r.json()["code"] == "phone_invalid"
    r = client.post(
        f"/api/v1/courts/hearings/{hearing.pk}/conflict-requests",
        {"kind": "excuse", "reason": "生病", "phone": "13800000000"},
        content_type="application/json",
        **api(world.lawyer),
    )
    assert r.status_code == 201 and r.json()["status"] == "pending"
    listed = client.get("/api/v1/courts/conflict-requests", **api(world.judge)).json()
    assert [x["id"] for x in listed] == [r.json()["id"]]


def test_looking_for_free_times_reads_the_room_and_judge_once(world, court, case, django_assert_max_num_queries):
    day = workday()
    ScheduleEntry.objects.create(lawyer=world.lawyer, start=at(day, 9), end=at(day, 18), text="全天出差")
    other = direct_case(court, judge=world.judge)
    for hour in (9, 14):  # the judge is taken on the following day too
        schedule(world, other, at(next_working_day(day + timedelta(days=1)), hour), minutes=180)

    def plan():
        return svc.hearing_plan(
            actor=Actor(world.clerk),
            case=case,
            start=at(day, 9),
            minutes=60,
            room_id=court.rooms.first().pk,
            judge_id=world.judge.pk,
        )

    with django_assert_max_num_queries(25) as queries:
        found = plan()
    assert found.suggestions and all(s.date() != day for s in found.suggestions)
    claims = [q for q in queries.captured_queries if "courts_hearingclaim" in q["sql"]]
    assert len(claims) == 2  # is the room taken now, and every quarter taken around it
