"""A centre's settings, rooms and extra sessions: the rules at their
boundaries, the capacity of existing days following room changes, the pages
and the API."""

from datetime import date, time, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from lvshi.audit.models import AuditEvent
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.visits import services
from lvshi.visits.models import Booking, CentreConfig, ExtraSession, Room, RoomKind, SlotLoad
from lvshi.visits.services import centres
from tests.test_access import bearer_for

from .factories import bind, make_centre, make_detainee, make_lawyer

TODAY = date(2026, 9, 28)  # the clock fixture's Monday
TUESDAY = date(2026, 9, 29)
WEDNESDAY = date(2026, 9, 30)


def book(world, *, day=TUESDAY, start=time(8, 30)):
    lawyer = make_lawyer(world.firm)
    detainee = make_detainee(world.centre)
    bind(lawyer, detainee)
    return services.booking_create(actor=Actor(lawyer), detainee=detainee, date=day, slot_start=start)[0]


def load(day=TUESDAY, start=time(8, 30), kind=RoomKind.IN_PERSON):
    return SlotLoad.objects.get(centre=centre_org(), date=day, start=start, room_kind=kind)


def centre_org():
    return CentreConfig.objects.order_by("pk").first().organisation


# --- settings: window and slot pattern -------------------------------------------------


def test_window_earliest_after_latest_is_refused_and_changes_nothing(world, clock, centre):
    with pytest.raises(DomainError) as exc:
        centres.config_save(
            centre=world.centre, actor=Actor(world.officer), values={"earliest_days": 15, "latest_days": 14}
        )
    assert exc.value.code == "invalid_settings"
    assert "最晚提前天数不能小于最早提前天数" in exc.value.message
    centre.refresh_from_db()
    assert (centre.earliest_days, centre.latest_days) == (1, 14)

    # Equal is allowed.
    saved = centres.config_save(centre=world.centre, actor=Actor(world.officer), values={"earliest_days": 14})
    assert saved.earliest_days == saved.latest_days == 14


def test_latest_days_limit(world, clock, centre):
    centres.config_save(
        centre=world.centre, actor=Actor(world.officer), values={"latest_days": centres.MAX_LATEST_DAYS}
    )
    with pytest.raises(DomainError, match="最晚提前天数不能超过60天"):
        centres.config_save(
            centre=world.centre, actor=Actor(world.officer), values={"latest_days": centres.MAX_LATEST_DAYS + 1}
        )
    with pytest.raises(DomainError, match="优先预约天数不能超过30天"):
        centres.config_save(centre=world.centre, actor=Actor(world.officer), values={"legal_aid_priority_days": 31})


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"pattern": "sessions", "sessions": []}, "请至少设置一个场次"),
        ({"pattern": "sessions", "sessions": [["11:00", "08:30"]]}, "开始时间应早于结束时间"),
        ({"pattern": "sessions", "sessions": [["08:30", "11:00"], ["10:59", "12:00"]]}, "不能重叠"),
        ({"pattern": "sessions", "sessions": [["8点", "11:00"]]}, "场次格式"),
        ({"pattern": "fixed", "opens_at": time(9, 0), "closes_at": time(9, 0)}, "结束时间应晚于开始时间"),
        ({"pattern": "fixed", "slot_minutes": 90, "opens_at": time(9, 0), "closes_at": time(10, 29)}, "不足一个"),
        ({"pattern": "fixed", "slot_minutes": 45}, "30、60或90"),
    ],
)
def test_slot_pattern_validation(world, clock, centre, values, message):
    with pytest.raises(DomainError, match=message):
        centres.config_save(centre=world.centre, actor=Actor(world.officer), values=values)
    centre.refresh_from_db()
    assert centre.pattern == "sessions" and centre.sessions == [["08:30", "11:00"], ["13:30", "16:30"]]


def test_slot_pattern_boundaries_that_pass(world, clock, centre):
    # Sessions touching end to start; a day exactly one 90-minute slot long.
    centres.config_save(
        centre=world.centre, actor=Actor(world.officer), values={"sessions": [["08:30", "11:00"], ["11:00", "12:00"]]}
    )
    config = centres.config_save(
        centre=world.centre,
        actor=Actor(world.officer),
        values={"pattern": "fixed", "slot_minutes": 90, "opens_at": time(9, 0), "closes_at": time(10, 30)},
    )
    assert config.slots() == [(time(9, 0), time(10, 30))]


def test_a_pattern_dropping_a_booked_slot_is_refused(world, clock, centre):
    booking = book(world)
    with pytest.raises(DomainError) as exc:
        centres.config_save(
            centre=world.centre,
            actor=Actor(world.officer),
            values={"sessions": [["09:00", "11:00"], ["13:30", "16:30"]]},
        )
    assert exc.value.code == "slots_in_use" and exc.value.status == 409
    assert "2026-09-29 08:30" in exc.value.message and "请先处理这些时段的预约" in exc.value.message
    # Once the booking is cancelled the change goes through.
    services.booking_cancel(booking=booking, actor=Actor(booking.lawyer))
    centres.config_save(
        centre=world.centre, actor=Actor(world.officer), values={"sessions": [["09:00", "11:00"], ["13:30", "16:30"]]}
    )


def test_settings_change_is_audited_with_before_and_after(world, clock, centre):
    centres.config_save(
        centre=world.centre, actor=Actor(world.officer), values={"latest_days": 7, "saturday_open": True}
    )
    event = AuditEvent.objects.get(action="visits.centre_config_update")
    assert event.before == {"latest_days": 14, "saturday_open": False}
    assert event.after == {"latest_days": 7, "saturday_open": True}
    assert event.actor_id == world.officer.pk


def test_opening_a_centre_creates_its_settings(world, clock):
    assert not CentreConfig.objects.filter(organisation=world.other_centre).exists()
    config = centres.config_save(centre=world.other_centre, actor=Actor(world.other_officer), values={})
    assert config.pk and config.latest_days == 10
    assert AuditEvent.objects.filter(action="visits.centre_config_create", object_id=str(config.pk)).exists()


def test_only_centres_take_settings(world, clock):
    with pytest.raises(DomainError, match="只有看守所和远程视频会见点"):
        centres.config_save(centre=world.authority, actor=Actor(world.authority_officer), values={})


# --- rooms and the capacity of existing days -----------------------------------------------


def test_deactivating_a_room_of_a_full_slot_is_refused_and_changes_nothing(world, clock, centre):
    book(world)
    book(world)
    assert (load().taken, load().capacity) == (2, 2)
    room = Room.objects.filter(centre=world.centre).first()

    with pytest.raises(DomainError) as exc:
        centres.room_update(room=room, actor=Actor(world.officer), active=False)

    assert exc.value.code == "rooms_in_use" and exc.value.status == 409
    assert "2026-09-29 08:30（2个预约）" in exc.value.message
    assert "请先处理这些时段的预约" in exc.value.message
    room.refresh_from_db()
    assert room.active
    assert load().capacity == 2
    assert not AuditEvent.objects.filter(action="visits.room_update").exists()


def test_deactivating_a_room_with_a_free_one_left_resizes_the_slot(world, clock, centre):
    book(world)
    room = Room.objects.filter(centre=world.centre).first()
    centres.room_update(room=room, actor=Actor(world.officer), active=False)
    assert (load().taken, load().capacity) == (1, 1)
    event = AuditEvent.objects.get(action="visits.room_update")
    assert event.before == {"active": True} and event.after == {"active": False}


def test_the_database_refuses_a_capacity_below_the_bookings(world, clock, centre):
    book(world)
    book(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        SlotLoad.objects.filter(pk=load().pk).update(capacity=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        SlotLoad.objects.filter(pk=load().pk).update(reserved=1, taken_open=2)


def test_resize_applies_to_future_days_only(world, clock, centre):
    for day in (TODAY - timedelta(days=1), TODAY, TUESDAY):
        SlotLoad.objects.create(
            centre=world.centre, date=day, start=time(8, 30), end=time(11, 0), room_kind="in_person", capacity=2
        )
    video = SlotLoad.objects.create(
        centre=world.centre, date=TUESDAY, start=time(8, 30), end=time(11, 0), room_kind="video", capacity=0
    )

    centres.room_create(centre=world.centre, actor=Actor(world.officer), name="会见室3")

    capacities = dict(
        SlotLoad.objects.filter(centre=world.centre, room_kind="in_person").values_list("date", "capacity")
    )
    assert capacities == {TODAY - timedelta(days=1): 2, TODAY: 2, TUESDAY: 3}
    video.refresh_from_db()
    assert video.capacity == 0  # another kind of room


def test_legal_aid_only_sets_reserved_and_is_refused_when_others_hold_the_rooms(world, clock, centre):
    row = SlotLoad.objects.create(
        centre=world.centre,
        date=TUESDAY,
        start=time(8, 30),
        end=time(11, 0),
        room_kind="in_person",
        capacity=2,
        taken=1,
        taken_open=1,
    )
    first, second = Room.objects.filter(centre=world.centre).order_by("pk")
    centres.room_update(room=first, actor=Actor(world.officer), legal_aid_only=True)
    row.refresh_from_db()
    assert (row.capacity, row.reserved) == (2, 1)

    SlotLoad.objects.filter(pk=row.pk).update(taken=1, taken_open=1)
    with pytest.raises(DomainError, match="请先处理这些时段的预约"):
        centres.room_update(room=second, actor=Actor(world.officer), legal_aid_only=True)
    second.refresh_from_db()
    row.refresh_from_db()
    assert not second.legal_aid_only and row.reserved == 1


def test_room_names_are_unique_per_centre(world, clock, centre):
    with pytest.raises(DomainError, match="已有名为“会见室1”"):
        centres.room_create(centre=world.centre, actor=Actor(world.officer), name=" 会见室1 ")
    room = Room.objects.get(centre=world.centre, name="会见室2")
    with pytest.raises(DomainError, match="请填写会见室名称"):
        centres.room_update(room=room, actor=Actor(world.officer), name="  ")
    centres.room_update(room=room, actor=Actor(world.officer), name="大会见室")
    assert Room.objects.filter(centre=world.centre, name="大会见室").exists()


# --- extra sessions -------------------------------------------------------------------


def test_extra_session_date_must_be_in_the_future(world, clock, centre):
    with pytest.raises(DomainError) as exc:
        centres.extra_session_create(
            centre=world.centre, actor=Actor(world.officer), date=TODAY, start=time(17, 0), end=time(18, 0)
        )
    assert exc.value.code == "extra_date_past"
    session = centres.extra_session_create(
        centre=world.centre, actor=Actor(world.officer), date=TUESDAY, start=time(17, 0), end=time(18, 0), note="加班"
    )
    assert session.created_by == world.officer
    with pytest.raises(DomainError, match="已有加开场次"):
        centres.extra_session_create(
            centre=world.centre, actor=Actor(world.officer), date=TUESDAY, start=time(17, 0), end=time(19, 0)
        )
    with pytest.raises(DomainError, match="结束时间应晚于开始时间"):
        centres.extra_session_create(
            centre=world.centre, actor=Actor(world.officer), date=TUESDAY, start=time(18, 0), end=time(18, 0)
        )
    assert AuditEvent.objects.filter(action="visits.extra_session_create").count() == 1


def test_extra_session_holding_a_booking_cannot_be_deleted(world, clock, centre):
    session = ExtraSession.objects.create(centre=world.centre, date=TUESDAY, start=time(17, 0), end=time(18, 0))
    lawyer, detainee = make_lawyer(world.firm), make_detainee(world.centre)
    Booking.objects.create(
        lawyer=lawyer,
        detainee=detainee,
        centre=world.centre,
        date=TUESDAY,
        start=time(17, 0),
        end=time(18, 0),
        submitted_at=clock.now,
    )
    with pytest.raises(DomainError, match="请先处理这些时段的预约"):
        centres.extra_session_delete(session=session, actor=Actor(world.officer))
    Booking.objects.update(status="cancelled")
    centres.extra_session_delete(session=session, actor=Actor(world.officer))
    assert not ExtraSession.objects.exists()
    assert AuditEvent.objects.filter(action="visits.extra_session_delete").exists()


# --- pages ------------------------------------------------------------------------------


def settings_url(world):
    return reverse("visits:centre_settings", kwargs={"centre_id": world.centre.pk})


def test_settings_page_saves_and_shows_chinese_errors(login, world, clock, centre):
    client = login(world.officer)
    page = client.get(settings_url(world))
    assert page.status_code == 200 and "会见室1" in page.content.decode()

    data = {
        "earliest_days": 3,
        "latest_days": 2,
        "pattern": "sessions",
        "sessions": "08:30-11:00\n13:30-16:30",
        "slot_minutes": 60,
        "opens_at": "08:30",
        "closes_at": "16:30",
        "legal_aid_priority_days": 0,
    }
    response = client.post(settings_url(world), data)
    assert "最晚提前天数不能小于最早提前天数" in response.content.decode()
    centre.refresh_from_db()
    assert centre.earliest_days == 1

    response = client.post(settings_url(world), {**data, "latest_days": 5, "sessions": "09:00-11:30"})
    assert response.status_code == 302
    centre.refresh_from_db()
    assert (centre.earliest_days, centre.latest_days, centre.sessions) == (3, 5, [["09:00", "11:30"]])


def test_open_booking_from_the_page(login, world, clock):
    client = login(world.officer)
    page = client.get(settings_url(world)).content.decode()
    assert "开通网上预约" in page
    client.post(settings_url(world), {"action": "open"})
    assert CentreConfig.objects.filter(organisation=world.centre).exists()


def test_deactivate_refusal_is_shown_on_the_page(login, world, clock, centre):
    book(world)
    book(world)
    room = Room.objects.filter(centre=world.centre).first()
    client = login(world.officer)
    url = reverse("visits:room_update", kwargs={"room_id": room.pk})
    asked = client.post(url, {"action": "deactivate"}).content.decode()
    assert "律师将不能再预约到这间会见室" in asked and 'name="action" value="deactivate"' in asked
    response = client.post(url, {"action": "deactivate", "confirmed": "1"}, follow=True)
    assert "请先处理这些时段的预约" in response.content.decode()
    room.refresh_from_db()
    assert room.active


def test_deactivating_a_room_is_confirmed_first(login, world, clock, centre):
    room = Room.objects.filter(centre=world.centre).first()
    client = login(world.officer)
    url = reverse("visits:room_update", kwargs={"room_id": room.pk})
    client.post(url, {"action": "deactivate"})
    room.refresh_from_db()
    assert room.active
    client.post(url, {"action": "deactivate", "confirmed": "1"})
    room.refresh_from_db()
    assert not room.active
    client.post(url, {"action": "activate"})  # switching back on needs no confirmation
    room.refresh_from_db()
    assert room.active


def test_authority_officer_and_centre_admin_may_change_settings(login, world, clock, centre):
    from tests.factories import MembershipFactory, UserFactory

    admin = UserFactory(name="看守所管理员")
    MembershipFactory(user=admin, organisation=world.centre, role="org_admin")
    for user in (world.authority_officer, admin):
        response = login(user).post(
            reverse("visits:room_create", kwargs={"centre_id": world.centre.pk}),
            {"name": f"会见室{user.pk}", "kind": "video"},
        )
        assert response.status_code == 302
    assert Room.objects.filter(centre=world.centre, kind="video").count() == 2


def test_authority_centres_page_lists_centres_with_counts(login, world, clock, centre, django_assert_max_num_queries):
    make_centre(world.other_centre, rooms=1, video_rooms=2)
    client = login(world.authority_officer)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("visits:centres")).content.decode()
    assert world.centre.name in page and world.other_centre.name in page
    assert "当面 1，视频 2" in page and "当面 2，视频 0" in page
    for _i in range(5):
        from tests.factories import OrganisationFactory

        make_centre(OrganisationFactory(kind="video_point", parent=world.authority), rooms=2)
    with django_assert_max_num_queries(12):
        client.get(reverse("visits:centres"))


# --- API ----------------------------------------------------------------------------------


def test_api_settings_rooms_and_extra_sessions(client, world, clock, centre):
    auth = bearer_for(world.officer)
    base = f"/api/v1/visits/centres/{world.centre.pk}"
    data = client.get(f"{base}/settings", **auth).json()
    assert data["open"] and data["slots"] == [["08:30", "11:00"], ["13:30", "16:30"]]

    response = client.put(f"{base}/settings", {"earliest_days": 20}, content_type="application/json", **auth)
    assert response.status_code == 400 and "最晚提前天数" in response.json()["message"]
    response = client.put(
        f"{base}/settings", {"pattern": "fixed", "slot_minutes": 90}, content_type="application/json", **auth
    )
    assert response.status_code == 200 and response.json()["slots"][0] == ["08:30", "10:00"]

    book_day = (clock.now.date() + timedelta(days=2)).isoformat()
    room = client.post(f"{base}/rooms", {"name": "视频1", "kind": "video"}, content_type="application/json", **auth)
    assert room.status_code == 201
    patched = client.patch(
        f"/api/v1/visits/rooms/{room.json()['id']}", {"active": False}, content_type="application/json", **auth
    )
    assert patched.json()["active"] is False
    assert len(client.get(f"{base}/rooms", **auth).json()) == 3

    extra = client.post(
        f"{base}/extra-sessions",
        {"date": book_day, "start": "17:00", "end": "18:00"},
        content_type="application/json",
        **auth,
    )
    assert extra.status_code == 201
    assert client.get(f"{base}/extra-sessions", **auth).json()[0]["start"] == "17:00"
    assert client.delete(f"/api/v1/visits/extra-sessions/{extra.json()['id']}", **auth).status_code == 204

    # Lawyers and other centres' officers never reach it.
    assert client.get(f"{base}/settings", **bearer_for(world.lawyer)).status_code == 404
    assert client.get(f"{base}/settings", **bearer_for(world.other_officer)).status_code == 404
