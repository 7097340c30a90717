"""The meetings' demo data (``seed_demo``): made through the services on
today's calendar, created once, and enough for every main page."""

from collections import Counter
from datetime import date, time
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from lvshi.accounts.models import User
from lvshi.audit.models import AuditEvent
from lvshi.calendar.workdays import WorkCalendar
from lvshi.core.uploads import check_upload
from lvshi.orgs.models import Organisation, OrgKind
from lvshi.site.demo import ACCOUNTS
from lvshi.visits import demo, demo_documents, selectors
from lvshi.visits.models import (
    HOLDING,
    Appeal,
    Binding,
    BindingStatus,
    Booking,
    BookingStatus,
    CentreConfig,
    CheckIn,
    Complaint,
    ComplaintStatus,
    ExtraSession,
    MeetingRequestRecipient,
    Notice,
    Room,
    SlotLoad,
    Violation,
    WaitlistEntry,
    WaitlistStatus,
)

pytestmark = pytest.mark.django_db

MONDAY = (2026, 11, 23, 10, 0)  # an ordinary week
FRIDAY = (2026, 11, 20, 19, 0)  # a weekend ahead, after the 18:00 cancel deadline
BEFORE_NATIONAL_DAY = (2026, 9, 30, 10, 0)  # 1–7 October off, Saturday 10 October a working day


@pytest.fixture(autouse=True)
def _development(settings):
    settings.DEBUG = True


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _user(key: str) -> User:
    spec = next(a for a in ACCOUNTS if a.key == key)
    return User.objects.by_id_number(spec.id_number).get()


def _org(name: str) -> Organisation:
    return Organisation.objects.get(name=name)


def _counts() -> tuple:
    return (*(m.objects.count() for m in demo.COUNTED), SlotLoad.objects.count(), AuditEvent.objects.count())


@pytest.fixture
def seeded(clock):
    clock.set_local(*MONDAY)
    _seed()
    return clock


def test_seeding_twice_creates_nothing_the_second_time(clock):
    clock.set_local(*MONDAY)
    assert "created" in _seed()
    before = _counts()
    clock.set_local(2026, 11, 25, 9, 0)  # another day: still nothing new
    assert "nothing changed" in _seed()
    assert _counts() == before


def test_demo_meetings_through_the_services(seeded):
    centre1, centre2 = _org("上海市第一看守所"), _org("上海市第二看守所")
    video = _org("上海市第一看守所远程视频会见点")
    assert video.kind == OrgKind.VIDEO_POINT and video.parent == centre1
    sessions, fixed, point = (CentreConfig.objects.get(organisation=o) for o in (centre1, centre2, video))
    assert sessions.pattern == "sessions" and len(sessions.slots()) == 2
    assert fixed.slot_minutes == 60 and fixed.saturday_open
    assert point.slot_minutes == 30 and point.legal_aid_priority_days > 0
    assert Room.objects.filter(centre=video, legal_aid_only=True, kind="video").exists()
    at_point = Booking.objects.get(centre=video)  # booked there for a detainee of the centre
    assert at_point.room_kind == "video" and at_point.detainee.centre == centre1
    for centre in (centre1, centre2):
        assert set(Room.objects.filter(centre=centre).values_list("kind", flat=True)) == {"in_person", "video"}
        assert centre.detainees.count() == 8
    assert ExtraSession.objects.filter(centre=centre1, date__gt=date(2026, 11, 23)).exists()
    # Cases with co-defendants, none of whom shares a lawyer.
    for case in centre1.cases.all():
        lawyers = Binding.objects.filter(detainee__case_links__case=case, status=BindingStatus.ACTIVE)
        assert lawyers.count() == lawyers.values("lawyer").distinct().count()
    assert max(c.links.count() for c in centre1.cases.all()) >= 2

    lawyer1 = _user("lawyer1")
    statuses = Counter(Binding.objects.filter(lawyer=lawyer1).values_list("status", flat=True))
    assert statuses[BindingStatus.ACTIVE] >= 3
    for status in (BindingStatus.PENDING, BindingStatus.RETURNED, BindingStatus.VERIFYING):
        assert statuses[status] == 1, status
    assert Binding.objects.get(lawyer=lawyer1, status=BindingStatus.RETURNED).return_reason
    assert Binding.objects.filter(lawyer=lawyer1, status=BindingStatus.ACTIVE, legal_aid=True).exists()
    pending = Binding.objects.get(lawyer=lawyer1, status=BindingStatus.PENDING)
    documents = list(pending.documents.all())
    assert {d.content_type for d in documents} == {"application/pdf", "image/png"}
    for document in documents:  # the stored files still pass the upload check
        with document.file.open("rb") as f:
            check_upload(f, label="材料")

    mine = Counter(Booking.objects.filter(lawyer=lawyer1).values_list("status", flat=True))
    for status in BookingStatus.values:
        assert mine[status] >= 1, status
    assert Booking.objects.get(lawyer=lawyer1, status=BookingStatus.REJECTED).reason
    assert CheckIn.objects.filter(booking__lawyer=lawyer1).exists()
    violation = Violation.objects.get(lawyer=lawyer1)
    assert violation.date < date(2026, 11, 23) and Appeal.objects.filter(violation=violation).exists()
    assert WaitlistEntry.objects.filter(lawyer=lawyer1, status=WaitlistStatus.WAITING).exists()
    assert MeetingRequestRecipient.objects.filter(lawyer=lawyer1, seen_at=None).count() == 2
    assert Notice.objects.count() == 1
    assert set(Complaint.objects.values_list("status", flat=True)) == {ComplaintStatus.OPEN, ComplaintStatus.ANSWERED}
    # Every write of the services was audited, the past records as such.
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    for action in ("booking_create", "booking_reject", "booking_cancel", "binding_submit", "binding_return",
                   "waitlist_join", "room_create", "complaint_answer", "demo_history_create"):  # fmt: skip
        assert f"visits.{action}" in actions, action


def _assert_invariants(today: date):
    """Rooms taken are the bookings holding them, or that held them to the
    meeting (met, or missed), and offers held; every holding booking lies in
    its centre's window on an open day, but today's, which the board checks in."""
    kept = [*HOLDING, BookingStatus.COMPLETED, BookingStatus.NO_SHOW]
    holding = Counter(Booking.objects.filter(status__in=kept).values_list("centre", "date", "start", "room_kind"))
    offered = Counter(
        WaitlistEntry.objects.filter(status=WaitlistStatus.OFFERED).values_list("centre", "date", "start", "room_kind")
    )
    loads = {(s.centre_id, s.date, s.start, s.room_kind): s for s in SlotLoad.objects.all()}
    assert set(holding) <= set(loads)
    for key, load in loads.items():
        assert load.taken == holding[key] + offered[key], key
        assert load.taken <= load.capacity and load.taken_open <= load.capacity - load.reserved
    for booking in Booking.objects.filter(status__in=HOLDING).select_related("centre"):
        config = selectors.centre_config(booking.centre_id)
        assert selectors.day_open(config, booking.date)[0], booking.date
        if booking.date == today:
            assert booking.status == BookingStatus.APPROVED
            continue
        selectors.check_window(config, booking.date, legal_aid=booking.legal_aid)
        assert booking.date > today
    for booking in Booking.objects.exclude(status__in=HOLDING).exclude(status=BookingStatus.CANCELLED):
        if booking.status in (BookingStatus.COMPLETED, BookingStatus.NO_SHOW):
            assert booking.date < today
            assert WorkCalendar(booking.centre).day_info(booking.date).working


@pytest.mark.parametrize("now", [MONDAY, FRIDAY, BEFORE_NATIONAL_DAY])
def test_window_and_capacity_hold_on_the_demo_data(clock, now):
    clock.set_local(*now)
    _seed()
    _assert_invariants(date(*now[:3]))
    # The waitlist entry waits on a full slot.
    entry = WaitlistEntry.objects.get()
    load = SlotLoad.objects.get(centre=entry.centre, date=entry.date, start=entry.start, room_kind=entry.room_kind)
    assert load.taken == load.capacity > 0


def test_bookings_skip_the_weekend(clock):
    clock.set_local(*FRIDAY)
    _seed()
    centre1 = _org("上海市第一看守所")
    extra = ExtraSession.objects.get(centre=centre1)
    assert extra.date == date(2026, 11, 21)  # Saturday, opened by the extra session
    days = sorted(
        set(Booking.objects.filter(centre=centre1, date__gt=date(2026, 11, 20)).values_list("date", flat=True))
    )
    assert days == [date(2026, 11, 21), date(2026, 11, 23)]
    # Bookings of the next open day stay cancellable after 18:00 only from the day after.
    cancelled = Booking.objects.get(centre=centre1, status=BookingStatus.CANCELLED)
    assert cancelled.date == date(2026, 11, 23)
    centre2 = Booking.objects.filter(centre=_org("上海市第二看守所"), date__gt=date(2026, 11, 20))
    centre2_days = set(centre2.values_list("date", flat=True))
    assert centre2_days == {date(2026, 11, 24)}
    past = set(Booking.objects.filter(date__lt=date(2026, 11, 20)).values_list("date", flat=True))
    assert max(past) == date(2026, 11, 19) and min(past) >= date(2026, 11, 6)
    assert not past & {date(2026, 11, 14), date(2026, 11, 15)}  # the weekend between
    # Friday is a working day: both centres have approved meetings today.
    today = Booking.objects.filter(date=date(2026, 11, 20))
    assert set(today.values_list("status", flat=True)) == {BookingStatus.APPROVED}
    assert set(today.values_list("centre__name", flat=True)) == {"上海市第一看守所", "上海市第二看守所"}


def test_bookings_skip_the_national_day_holiday(clock):
    clock.set_local(*BEFORE_NATIONAL_DAY)
    _seed()
    centre1, centre2 = _org("上海市第一看守所"), _org("上海市第二看守所")
    upcoming = set(Booking.objects.filter(centre=centre1, date__gt=date(2026, 9, 30)).values_list("date", flat=True))
    assert upcoming == {date(2026, 10, 8), date(2026, 10, 9)}
    # No Saturday in the window is an ordinary weekend day: the extra session
    # goes after the last session of the first open day.
    extra = ExtraSession.objects.get(centre=centre1)
    assert (extra.date, extra.start) == (date(2026, 10, 8), time(16, 30))
    # The second centre's first other open day is the make-up Saturday.
    later = Booking.objects.filter(centre=centre2, date__gt=date(2026, 9, 30))
    assert set(later.values_list("date", flat=True)) == {date(2026, 10, 10)}


PAGES = {
    "lawyer1": [
        ("visits:my_bookings", "", ["王小虎", "上海市第一看守所"]),
        ("visits:my_bookings", "?status=approved", ["孙立平"]),
        ("visits:my_bookings", "?status=rejected", ["该在押人员当日下午需配合提审"]),
        ("visits:my_bookings", "?status=cancelled", ["吴春燕"]),
        ("visits:bindings", "", ["郑国强", "冯志远", "委托书缺少委托人签名", "卫红梅"]),
        ("visits:meeting_requests", "", ["在押人员要求会见辩护律师"]),
        ("visits:violations", "", ["上海市第一看守所"]),
        ("visits:waitlist", "", ["陈晓东"]),
        ("visits:notices", "", ["关于律师会见预约有关事项的通知"]),
        ("visits:book", "", ["上海市第一看守所"]),
        ("visits:records", "", ["王小虎", "孙立平"]),
    ],
    "officer1": [
        ("visits:review_queue", "", ["王小虎"]),
        ("visits:binding_queue", "", ["郑国强"]),
        ("visits:board", "?date={first}", ["李建军", "赵海涛"]),
        ("visits:board", "", ["周德胜", "吴春燕", "赵海涛"]),  # today's meetings, to check in
        ("visits:detainees", "", ["冯志远", "1C-008"]),
        ("visits:cases", "", ["（2026）沪0101刑初118号"]),
        ("visits:my_centre", "", ["上海市第一看守所远程视频会见点"]),
    ],
    "authority": [
        ("visits:stats", "", ["上海市第二看守所", "已会见"]),
        ("visits:appeals", "", ["庭审延长"]),
        ("visits:notice_manage", "", ["关于律师会见预约有关事项的通知"]),
        ("visits:complaints", "", ["刘先生", "张明"]),
        ("visits:centres", "", ["上海市第一看守所远程视频会见点"]),
    ],
}


@pytest.mark.parametrize("who", sorted(PAGES))
def test_main_pages_show_the_demo_data(seeded, login, who):
    client = login(_user(who))
    first = demo.bookable_days(selectors.centre_config(_org("上海市第一看守所").pk), date(2026, 11, 23))[0]
    for name, query, texts in PAGES[who]:
        response = client.get(reverse(name) + query.format(first=first.isoformat()))
        assert response.status_code == 200, name
        body = response.content.decode()
        for text in texts:
            assert text in body, (name, text)
    if who == "officer1":
        for centre, room in (("上海市第一看守所", "第一会见室"), ("上海市第一看守所远程视频会见点", "法律援助视频室")):
            response = client.get(reverse("visits:centre_settings", args=[_org(centre).pk]))
            assert response.status_code == 200 and room in response.content.decode()


def test_demo_documents_are_what_they_claim():
    from django.core.files.uploadedfile import SimpleUploadedFile

    assert (
        check_upload(SimpleUploadedFile("a.pdf", demo_documents.demo_pdf()), label="委托书").content_type
        == "application/pdf"
    )
    assert (
        check_upload(SimpleUploadedFile("a.png", demo_documents.demo_png()), label="执业证").content_type == "image/png"
    )


def test_the_demo_shows_today_s_board_and_the_statistics_at_work(seeded, login):
    """Point 8 of the pages issue: the board has meetings to check in today,
    and the statistics' default range (the last 30 days) has meetings,
    a no-show and the rooms' use."""
    officer = login(_user("officer1"))
    today = Booking.objects.filter(date=date(2026, 11, 23), centre=_org("上海市第一看守所"))
    assert today.count() == 3 and set(today.values_list("status", flat=True)) == {BookingStatus.APPROVED}
    later = today.filter(start__gte=time(13, 30)).first()  # 10:00 now: the afternoon is open to check in
    response = officer.post(reverse("visits:board_check_in", args=[later.pk]))
    assert response.status_code in (200, 302)
    later.refresh_from_db()
    assert later.status == BookingStatus.COMPLETED

    from lvshi.visits.selectors import stats

    result = stats.statistics(_user("authority"), start=date(2026, 10, 25), end=date(2026, 11, 23), centre_id=None)
    assert result.total.completed >= 10 and result.total.no_show == 1 and result.total.violations == 1
    assert result.total.utilisation is not None and 0 < result.total.utilisation < 1
    page = login(_user("authority")).get(reverse("visits:stats")).content.decode()
    assert f"{result.total.utilisation_percent}%" in page
