"""Detainees and cases kept by officers, and a detainee's release or
transfer with everything that hung on them."""

from datetime import date, time, timedelta

import pytest
from django.urls import reverse

from lvshi.audit.models import AuditEvent
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.notify.models import Delivery, Notification
from lvshi.visits import services
from lvshi.visits.models import (
    Binding,
    BindingStatus,
    Booking,
    BookingStatus,
    CaseDefendant,
    Detainee,
    SlotLoad,
    WaitlistEntry,
)
from lvshi.visits.services import detainees
from tests.test_access import bearer_for

from .factories import bind, make_detainee, make_lawyer

TODAY = date(2026, 9, 28)
TUESDAY = date(2026, 9, 29)
WEDNESDAY = date(2026, 9, 30)
VALUES = {"name": "张三", "gender": "male", "birth_date": date(1985, 5, 1), "centre_number": "A001"}


# --- records ----------------------------------------------------------------------------


def test_centre_number_is_unique_per_centre(world, clock):
    detainees.detainee_create(centre=world.centre, actor=Actor(world.officer), values=VALUES)
    with pytest.raises(DomainError) as exc:
        detainees.detainee_create(centre=world.centre, actor=Actor(world.officer), values={**VALUES, "name": "李四"})
    assert exc.value.code == "centre_number_taken" and exc.value.status == 409
    assert Detainee.objects.count() == 1
    # Another centre may use the same number.
    detainees.detainee_create(centre=world.other_centre, actor=Actor(world.other_officer), values=VALUES)
    assert AuditEvent.objects.filter(action="visits.detainee_create").count() == 2


def test_detainee_fields_are_checked(world, clock):
    with pytest.raises(DomainError, match="出生日期应早于今天"):
        detainees.detainee_create(
            centre=world.centre, actor=Actor(world.officer), values={**VALUES, "birth_date": TODAY}
        )
    detainees.detainee_create(
        centre=world.centre, actor=Actor(world.officer), values={**VALUES, "birth_date": TODAY - timedelta(days=1)}
    )
    with pytest.raises(DomainError, match="请选择性别"):
        detainees.detainee_create(
            centre=world.centre, actor=Actor(world.officer), values={**VALUES, "gender": "x", "centre_number": "B"}
        )
    # The actor is checked first: an authority officer keeps no detainee records.
    with pytest.raises(DomainError, match="只有看守所民警可以查看和登记在押人员") as refused:
        detainees.detainee_create(centre=world.authority, actor=Actor(world.authority_officer), values=VALUES)
    assert refused.value.status == 403


def test_edit_is_audited_and_keeps_numbers_unique(world, clock):
    first = make_detainee(world.centre, centre_number="A1")
    make_detainee(world.centre, centre_number="A2")
    with pytest.raises(DomainError, match="监号为“A2”"):
        detainees.detainee_update(detainee=first, actor=Actor(world.officer), values={"centre_number": "A2"})
    detainees.detainee_update(detainee=first, actor=Actor(world.officer), values={"name": "新名字"})
    event = AuditEvent.objects.get(action="visits.detainee_update")
    assert event.after == {"name": "新名字"} and event.actor_id == world.officer.pk


def test_cases_with_co_defendants_of_the_same_centre(world, clock):
    a, b = make_detainee(world.centre), make_detainee(world.centre)
    stranger = make_detainee(world.other_centre)
    with pytest.raises(DomainError, match="只能关联本看守所"):
        detainees.case_create(centre=world.centre, actor=Actor(world.officer), number="X1", detainees=[a, stranger])
    case = detainees.case_create(
        centre=world.centre, actor=Actor(world.officer), number="X1", title="盗窃", detainees=[a]
    )
    with pytest.raises(DomainError, match="已登记案号"):
        detainees.case_create(centre=world.centre, actor=Actor(world.officer), number="X1")

    # A co-defendant whose lawyer already acts for another defendant is refused.
    lawyer = make_lawyer(world.firm)
    bind(lawyer, a)
    bind(lawyer, b)
    with pytest.raises(DomainError) as exc:
        detainees.case_attach(case=case, actor=Actor(world.officer), detainee=b)
    assert exc.value.code == "co_defendant_conflict"
    Binding.objects.filter(detainee=b).update(status=BindingStatus.ENDED)
    detainees.case_attach(case=case, actor=Actor(world.officer), detainee=b)
    assert set(CaseDefendant.objects.values_list("detainee_id", flat=True)) == {a.pk, b.pk}
    detainees.case_detach(case=case, actor=Actor(world.officer), detainee=b)
    assert AuditEvent.objects.filter(action__in=["visits.case_attach", "visits.case_detach"]).count() == 3


# --- release and transfer ------------------------------------------------------------------


@pytest.fixture
def held(world, clock, centre):
    """A detainee with an active lawyer, another lawyer's pending binding,
    two future bookings, a meeting already held, today's meeting that is over,
    today's meeting still ahead, and a waitlist entry."""
    clock.set_local(2026, 9, 28, 12, 0)
    detainee = make_detainee(world.centre)
    lawyer, other = world.lawyer, make_lawyer(world.firm)
    active = bind(lawyer, detainee)
    pending = Binding.objects.create(lawyer=other, detainee=detainee, status=BindingStatus.PENDING)
    tuesday = services.booking_create(actor=Actor(lawyer), detainee=detainee, date=TUESDAY, slot_start=time(8, 30))[0]
    services.booking_approve(booking=tuesday, actor=Actor(world.officer))
    wednesday = services.booking_create(
        actor=Actor(lawyer), detainee=detainee, date=WEDNESDAY, slot_start=time(13, 30)
    )[0]

    def today_booking(start, end, status):
        return Booking.objects.create(
            lawyer=lawyer,
            detainee=detainee,
            centre=world.centre,
            date=TODAY,
            start=start,
            end=end,
            status=status,
            submitted_at=clock.now,
        )

    over = today_booking(time(8, 30), time(11, 0), BookingStatus.APPROVED)
    ahead = today_booking(time(13, 30), time(16, 30), BookingStatus.APPROVED)
    SlotLoad.objects.create(
        centre=world.centre,
        date=TODAY,
        start=time(13, 30),
        end=time(16, 30),
        room_kind="in_person",
        capacity=2,
        taken=1,
    )
    met = Booking.objects.create(
        lawyer=lawyer,
        detainee=detainee,
        centre=world.centre,
        date=TODAY - timedelta(days=3),
        start=time(8, 30),
        end=time(11, 0),
        status=BookingStatus.COMPLETED,
        submitted_at=clock.now,
    )
    wait = WaitlistEntry.objects.create(
        lawyer=other,
        detainee=detainee,
        centre=world.centre,
        date=WEDNESDAY,
        start=time(8, 30),
        end=time(11, 0),
        created_at=clock.now,
    )
    Notification.objects.all().delete()
    return {
        "detainee": detainee,
        "lawyer": lawyer,
        "other": other,
        "active": active,
        "pending": pending,
        "tuesday": tuesday,
        "wednesday": wednesday,
        "over": over,
        "ahead": ahead,
        "met": met,
        "wait": wait,
    }


def test_release_ends_bindings_cancels_bookings_releases_rooms_and_tells_lawyers(world, clock, held):
    assert SlotLoad.objects.get(date=TUESDAY, start=time(8, 30)).taken == 1

    detainee = detainees.detainee_leave(
        detainee=held["detainee"], actor=Actor(world.officer), status="released", note="取保候审"
    )

    assert detainee.status == "released" and detainee.status_changed_at == clock.now
    active, pending = held["active"], held["pending"]
    active.refresh_from_db()
    pending.refresh_from_db()
    assert (active.status, active.end_reason, active.ended_by) == ("ended", "released", world.officer)
    assert (pending.status, pending.end_reason) == ("withdrawn", "released")

    for key in ("tuesday", "wednesday", "ahead"):
        booking = Booking.objects.get(pk=held[key].pk)
        assert booking.status == BookingStatus.CANCELLED, key
        assert "在押人员已释放" in booking.reason and booking.cancelled_at == clock.now
    # Meetings already over stay as they were.
    assert Booking.objects.get(pk=held["over"].pk).status == BookingStatus.APPROVED
    assert Booking.objects.get(pk=held["met"].pk).status == BookingStatus.COMPLETED
    # Every room is given back.
    assert set(SlotLoad.objects.filter(date__gte=TODAY).values_list("taken", flat=True)) == {0}
    # The waitlist entry is closed.
    held["wait"].refresh_from_db()
    assert held["wait"].status == "cancelled"

    # One notification per lawyer, listing what ended; SMS as well.
    notes = Notification.objects.filter(kind="visit_detainee_left")
    assert sorted(n.user_id for n in notes) == sorted([held["lawyer"].pk, held["other"].pk])
    mine = notes.get(user=held["lawyer"])
    assert "委托关系已解除" in mine.body and "2026-09-29 08:30-11:00的会见预约已取消" in mine.body
    assert "2026-09-30 13:30" in mine.body and "2026-09-28 13:30" in mine.body
    theirs = notes.get(user=held["other"])
    assert "委托申请已撤回" in theirs.body and "候补已取消" in theirs.body
    assert Delivery.objects.filter(user=held["lawyer"], channel="sms", kind="visit_detainee_left").count() == 1

    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "visits.detainee_leave",
        "visits.binding_end",
        "visits.binding_withdraw",
        "visits.booking_cancel",
    } <= actions


def test_a_released_detainee_cannot_be_released_again(world, clock, held):
    detainees.detainee_leave(detainee=held["detainee"], actor=Actor(world.officer), status="released")
    with pytest.raises(DomainError) as exc:
        detainees.detainee_leave(
            detainee=held["detainee"], actor=Actor(world.officer), status="transferred", transferred_to="B"
        )
    assert exc.value.status == 409 and exc.value.code == "detainee_not_held"
    assert Detainee.objects.get(pk=held["detainee"].pk).status == "released"


def test_transfer_needs_a_destination_and_records_it(world, clock, held):
    with pytest.raises(DomainError, match="请填写转往"):
        detainees.detainee_leave(detainee=held["detainee"], actor=Actor(world.officer), status="transferred")
    assert Booking.objects.get(pk=held["tuesday"].pk).status == BookingStatus.APPROVED  # nothing changed
    detainee = detainees.detainee_leave(
        detainee=held["detainee"], actor=Actor(world.officer), status="transferred", transferred_to="上海市第三看守所"
    )
    assert detainee.transferred_to == "上海市第三看守所"
    held["active"].refresh_from_db()
    assert held["active"].end_reason == "transferred"
    assert "已转所（转往上海市第三看守所）" in Booking.objects.get(pk=held["tuesday"].pk).reason


def test_the_lawyer_cannot_book_a_released_detainee(world, clock, held):
    detainees.detainee_leave(detainee=held["detainee"], actor=Actor(world.officer), status="released")
    with pytest.raises(DomainError) as exc:
        services.booking_create(
            actor=Actor(held["lawyer"]), detainee=held["detainee"], date=WEDNESDAY, slot_start=time(8, 30)
        )
    assert exc.value.code == "not_bound"


# --- pages ---------------------------------------------------------------------------------


def test_detainee_list_searches_and_pages_in_bounded_queries(login, world, clock, django_assert_max_num_queries):
    for i in range(25):
        make_detainee(world.centre, name=f"甲{i:02d}", centre_number=f"K{i:03d}")
    make_detainee(world.centre, name="乙某", centre_number="Z999")
    make_detainee(world.other_centre, name="乙外所", centre_number="Z998")
    client = login(world.officer)
    url = reverse("visits:detainees")
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    assert "第 1 / 2 页" in page
    with django_assert_max_num_queries(12):
        page = client.get(url, {"q": "Z99"}).content.decode()
    assert "乙某" in page and "乙外所" not in page


def test_officer_adds_and_edits_a_detainee_on_the_page(login, world, clock):
    client = login(world.officer)
    response = client.post(
        reverse("visits:detainees"),
        {
            "centre": world.centre.pk,
            "name": "王五",
            "gender": "male",
            "birth_date": "1990-02-03",
            "centre_number": "C7",
        },
    )
    detainee = Detainee.objects.get(name="王五")
    assert response.status_code == 302 and detainee.centre == world.centre
    response = client.post(
        reverse("visits:detainees"),
        {
            "centre": world.centre.pk,
            "name": "赵六",
            "gender": "male",
            "birth_date": "1990-02-03",
            "centre_number": "C7",
        },
    )
    assert "监号为“C7”" in response.content.decode()
    url = reverse("visits:detainee_detail", kwargs={"detainee_id": detainee.pk})
    client.post(url, {"name": "王五一", "gender": "male", "birth_date": "1990-02-03", "centre_number": "C7"})
    detainee.refresh_from_db()
    assert detainee.name == "王五一"


def test_leave_page_confirms_then_releases(login, world, clock, held):
    client = login(world.officer)
    url = reverse("visits:detainee_leave", kwargs={"detainee_id": held["detainee"].pk})
    page = client.get(url, {"status": "released"}).content.decode()
    assert "个未进行的会见预约将取消" in page and "确认办理" in page
    response = client.post(url, {"status": "released"}, follow=True)
    assert "已办理" in response.content.decode()
    assert Detainee.objects.get(pk=held["detainee"].pk).status == "released"
    again = client.post(url, {"status": "released"}, follow=True)
    assert "不能再次办理" in again.content.decode()


def test_lawyers_and_authority_officers_do_not_see_detainees(login, world, clock):
    detainee = make_detainee(world.centre)
    for user in (world.lawyer, world.authority_officer):
        client = login(user)
        assert client.get(reverse("visits:detainees")).status_code == 403
        assert client.get(reverse("visits:detainee_detail", kwargs={"detainee_id": detainee.pk})).status_code == 404


def test_case_pages_create_and_attach_by_centre_number(login, world, clock):
    a = make_detainee(world.centre, centre_number="D1")
    b = make_detainee(world.centre, centre_number="D2")
    make_detainee(world.other_centre, centre_number="D3")
    client = login(world.officer)
    response = client.post(reverse("visits:cases"), {"centre": world.centre.pk, "number": "沪刑1", "defendants": "D1"})
    case = a.cases.get()
    assert response.status_code == 302
    url = reverse("visits:case_detail", kwargs={"case_id": case.pk})
    page = client.post(url, {"action": "attach", "centre_number": "D3"}, follow=True).content.decode()
    assert "没有监号为 D3" in page
    client.post(url, {"action": "attach", "centre_number": "D2"})
    assert set(case.defendants.all()) == {a, b}


# --- API ---------------------------------------------------------------------------------------


def test_api_detainees_and_leave(client, world, clock, held):
    auth = bearer_for(world.officer)
    listing = client.get("/api/v1/visits/detainees", {"q": held["detainee"].centre_number}, **auth).json()
    assert listing["count"] == 1
    created = client.post(
        "/api/v1/visits/detainees",
        {"name": "钱七", "gender": "female", "birth_date": "1979-12-31", "centre_number": "E1"},
        content_type="application/json",
        **auth,
    )
    assert created.status_code == 201 and created.json()["centre_id"] == world.centre.pk
    url = f"/api/v1/visits/detainees/{held['detainee'].pk}"
    assert client.patch(url, {"name": "改名"}, content_type="application/json", **auth).json()["name"] == "改名"
    left = client.post(f"{url}/leave", {"status": "released"}, content_type="application/json", **auth)
    assert left.status_code == 200 and left.json()["status"] == "released"
    again = client.post(f"{url}/leave", {"status": "released"}, content_type="application/json", **auth)
    assert again.status_code == 409 and again.json()["code"] == "detainee_not_held"
    case = client.post(
        "/api/v1/visits/cases",
        {"number": "沪刑9", "detainee_ids": [created.json()["id"]]},
        content_type="application/json",
        **auth,
    )
    assert case.status_code == 201 and case.json()["defendants"][0]["name"] == "钱七"
    assert client.get("/api/v1/visits/detainees", **bearer_for(world.lawyer)).status_code == 403
    assert client.get(url, **bearer_for(world.other_officer)).status_code == 404


def test_the_edit_page_keeps_the_date_of_birth_for_the_browser_s_date_picker(login, world, clock):
    """The page renders the date as a ``type=date`` input can show it (ISO,
    not ``1985/05/01``), so saving the form unchanged keeps it."""
    detainee = make_detainee(world.centre, birth_date=date(1985, 5, 1))
    client = login(world.officer)
    url = reverse("visits:detainee_detail", kwargs={"detainee_id": detainee.pk})
    page = client.get(url).content.decode()
    assert 'type="date" name="birth_date" value="1985-05-01"' in page
    response = client.post(
        url, {"name": detainee.name, "gender": detainee.gender, "birth_date": "1985-05-01", "centre_number": "Z9"}
    )
    assert response.status_code == 302
    detainee.refresh_from_db()
    assert detainee.birth_date == date(1985, 5, 1) and detainee.centre_number == "Z9"
