"""Demo data for meetings, added by ``manage.py seed_demo`` (docs/demo-accounts.md).

Centres' settings and rooms, detainees and cases, bindings in every state,
bookings, a waitlist entry, meeting requests, a notice and complaints, for
the demo centres (上海市第一看守所, 上海市第二看守所 and the video point below
the first). Everything is made through the services, so it is valid and
audited like any other write, and bookings keep the booking window, the
calendar and the rooms' capacity. Dates are relative to today (Asia/Shanghai):
the bookings fall on the next open days, whatever day the data is loaded.

Idempotency: the data is keyed on the first centre's settings. When they
exist the meetings' demo data is already there and nothing is created; it is
not re-created for a new day.

The only records no service can make are meetings outside the booking
window: those of the past fortnight (meetings that took place with their
check-in, a no-show with its violation) and today's approved ones, which the
board checks in (the window opens tomorrow). Services work on the present
clock, and the audit chain keeps times in order, so these are written with
the ORM in :func:`_recorded_meeting`, with their rooms taken, and recorded in
the audit log as ``visits.demo_history_create`` (``demo_history.py``).
"""

from __future__ import annotations

from datetime import date, time, timedelta

from django.utils import timezone

from lvshi.calendar.models import DayKind
from lvshi.calendar.workdays import WorkCalendar, local_date
from lvshi.core.actor import Actor

from . import bindings, demo_history, selectors, services
from .demo_documents import documents
from .demo_history import open_days
from .models import (
    Appeal,
    Binding,
    BindingDocument,
    Booking,
    Case,
    CaseDefendant,
    CentreConfig,
    CheckIn,
    Complaint,
    ComplaintCategory,
    Detainee,
    ExtraSession,
    MeetingRequest,
    Notice,
    Room,
    RoomKind,
    SlotPattern,
    Violation,
    WaitlistEntry,
)
from .services import centres, complaints, detainees, meeting_requests, notices, waitlist

# The tables whose new rows seed_meetings counts.
COUNTED = (
    Appeal,
    CentreConfig,
    Room,
    ExtraSession,
    Detainee,
    Case,
    CaseDefendant,
    Binding,
    BindingDocument,
    Booking,
    CheckIn,
    Violation,
    WaitlistEntry,
    MeetingRequest,
    Notice,
    Complaint,
)

CENTRE1_DETAINEES = (
    ("王小虎", "male", date(1986, 4, 12), "1A-001"),
    ("李建军", "male", date(1979, 11, 3), "1A-002"),
    ("赵海涛", "male", date(1991, 2, 27), "1A-003"),
    ("孙立平", "male", date(1983, 7, 8), "1B-004"),
    ("周德胜", "male", date(1975, 9, 19), "1B-005"),
    ("吴春燕", "female", date(1990, 5, 30), "1C-006"),
    ("郑国强", "male", date(1988, 12, 1), "1C-007"),
    ("冯志远", "male", date(1995, 3, 16), "1C-008"),
)
CENTRE2_DETAINEES = (
    ("陈晓东", "male", date(1984, 1, 21), "2A-001"),
    ("褚明亮", "male", date(1992, 6, 5), "2A-002"),
    ("卫红梅", "female", date(1987, 10, 9), "2A-003"),
    ("蒋永福", "male", date(1972, 8, 14), "2B-004"),
    ("沈立新", "male", date(1981, 4, 2), "2B-005"),
    ("韩宝山", "male", date(1969, 12, 25), "2B-006"),
    ("杨振华", "male", date(1993, 9, 11), "2C-007"),
    ("朱文斌", "male", date(1989, 2, 18), "2C-008"),
)


# --- days ----------------------------------------------------------------------------------


def bookable_days(config: CentreConfig, today: date) -> list[date]:
    """The open days inside the centre's booking window."""
    return open_days(config, today + timedelta(days=config.earliest_days), selectors.last_day(config, today))


def _extra_session_day(config: CentreConfig, today: date) -> tuple[date, time, time]:
    """A Saturday in the window that is an ordinary weekend day (the extra
    session opens it); otherwise the first open day, after the last session."""
    first, last = today + timedelta(days=config.earliest_days), selectors.last_day(config, today)
    calendar = WorkCalendar(config.organisation).prepare(first, last)
    for n in range((last - first).days + 1):
        day = first + timedelta(days=n)
        if day.weekday() == 5 and calendar.day_info(day).kind == DayKind.WEEKEND:
            return day, time(9, 0), time(11, 0)
    return bookable_days(config, today)[0], time(16, 30), time(17, 30)


# --- the data ------------------------------------------------------------------------------


def _centres(orgs, users) -> None:
    officer1, officer2 = users["officer1"], users["officer2"]
    centre1, centre2, video = orgs["sh_centre1"], orgs["sh_centre2"], orgs["sh_video1"]
    centres.config_save(
        centre=centre1,
        actor=Actor(officer1),
        values={
            "pattern": SlotPattern.SESSIONS,
            "sessions": [["08:30", "11:00"], ["13:30", "16:30"]],
            "earliest_days": 1,
            "latest_days": 14,
        },
    )
    centres.config_save(
        centre=centre2,
        actor=Actor(officer2),
        values={
            "pattern": SlotPattern.FIXED,
            "slot_minutes": 60,
            "opens_at": time(9, 0),
            "closes_at": time(16, 0),
            "saturday_open": True,
            "auto_approve": True,
            "earliest_days": 1,
            "latest_days": 10,
        },
    )
    centres.config_save(
        centre=video,
        actor=Actor(officer1),
        values={
            "pattern": SlotPattern.FIXED,
            "slot_minutes": 30,
            "opens_at": time(9, 0),
            "closes_at": time(12, 0),
            "earliest_days": 1,
            "latest_days": 7,
            "legal_aid_priority_days": 3,
        },
    )
    rooms = [
        (centre1, officer1, "第一会见室", RoomKind.IN_PERSON, False),
        (centre1, officer1, "第二会见室", RoomKind.IN_PERSON, False),
        (centre1, officer1, "第三会见室", RoomKind.IN_PERSON, False),
        (centre1, officer1, "视频会见室", RoomKind.VIDEO, False),
        (centre2, officer2, "会见室A", RoomKind.IN_PERSON, False),
        (centre2, officer2, "会见室B", RoomKind.IN_PERSON, False),
        (centre2, officer2, "视频会见室", RoomKind.VIDEO, False),
        (video, officer1, "远程视频一室", RoomKind.VIDEO, False),
        (video, officer1, "远程视频二室", RoomKind.VIDEO, False),
        (video, officer1, "法律援助视频室", RoomKind.VIDEO, True),
    ]
    for centre, officer, name, kind, legal_aid_only in rooms:
        centres.room_create(centre=centre, actor=Actor(officer), name=name, kind=kind, legal_aid_only=legal_aid_only)
    today = local_date(timezone.now())
    config = selectors.centre_config(centre1.pk)
    day, start, end = _extra_session_day(config, today)
    centres.extra_session_create(
        centre=centre1, actor=Actor(officer1), date=day, start=start, end=end, note="律师会见高峰，加开会见场次"
    )


def _people(orgs, users) -> dict:
    """Detainees of both centres (by centre number) and their cases."""
    people = {}
    for key, rows in (("sh_centre1", CENTRE1_DETAINEES), ("sh_centre2", CENTRE2_DETAINEES)):
        officer = users["officer1" if key == "sh_centre1" else "officer2"]
        for name, gender, born, number in rows:
            people[number] = detainees.detainee_create(
                centre=orgs[key],
                actor=Actor(officer),
                values={"name": name, "gender": gender, "birth_date": born, "centre_number": number},
            )
    detainees.case_create(
        centre=orgs["sh_centre1"],
        actor=Actor(users["officer1"]),
        number="（2026）沪0101刑初118号",
        title="涉嫌诈骗罪",
        detainees=[people["1A-001"], people["1A-002"], people["1A-003"]],
    )
    detainees.case_create(
        centre=orgs["sh_centre1"],
        actor=Actor(users["officer1"]),
        number="（2026）沪0101刑初205号",
        title="涉嫌盗窃罪",
        detainees=[people["1B-004"], people["1B-005"]],
    )
    detainees.case_create(
        centre=orgs["sh_centre2"],
        actor=Actor(users["officer2"]),
        number="（2026）沪0104刑初87号",
        title="涉嫌非法吸收公众存款罪",
        detainees=[people["2A-001"], people["2B-004"]],
    )
    return people


def _bindings(orgs, users, people) -> None:
    lawyer1, lawyer2, lawyer3 = users["lawyer1"], users["lawyer2"], users["lawyer3"]
    officer1, officer2 = users["officer1"], users["officer2"]
    active = [
        (lawyer1, "1A-001", officer1),
        (lawyer1, "1B-004", officer1),
        (lawyer1, "1C-006", officer1),
        (lawyer2, "1A-002", officer1),
        (lawyer2, "1B-005", officer1),
        (lawyer3, "1A-003", officer1),
        (lawyer1, "2A-001", officer2),
        (lawyer2, "2B-004", officer2),
        (lawyer3, "2B-005", officer2),
        (lawyer2, "2B-006", officer2),
    ]
    for lawyer, number, officer in active:
        bindings.binding_create(lawyer=lawyer, detainee=people[number], actor=Actor(officer))

    def submit(number: str, centre_key: str, *, legal_aid: bool = False):
        person = people[number]
        return bindings.binding_submit(
            actor=Actor(lawyer1),
            centre=orgs[centre_key],
            detainee_name=person.name,
            centre_number=person.centre_number,
            legal_aid=legal_aid,
            documents=documents(legal_aid=legal_aid),
        )

    submit("1C-007", "sh_centre1")  # pending: waits for the pre-check
    returned = submit("1C-008", "sh_centre1")
    bindings.binding_return(
        binding=returned, actor=Actor(officer1), reason="委托书缺少委托人签名，请上传委托人签名后的委托书。"
    )
    verifying = submit("2A-002", "sh_centre2")
    bindings.binding_pass(binding=verifying, actor=Actor(officer2))
    legal_aid = submit("2A-003", "sh_centre2", legal_aid=True)
    bindings.binding_pass(binding=legal_aid, actor=Actor(officer2))
    bindings.binding_verify(binding=legal_aid, actor=Actor(officer2))


def _book(lawyer, detainee, day: date, start: time, kind: str = RoomKind.IN_PERSON) -> Booking:
    return services.booking_create(actor=Actor(lawyer), detainee=detainee, date=day, slot_start=start, room_kind=kind)[
        0
    ]


def _bookings(orgs, users, people) -> None:
    lawyer1, lawyer2, lawyer3 = users["lawyer1"], users["lawyer2"], users["lawyer3"]
    officer1 = users["officer1"]
    today = local_date(timezone.now())
    morning, afternoon = time(8, 30), time(13, 30)

    # 上海市第一看守所: reviewed by its officers; the next open day fills the board.
    config1 = selectors.centre_config(orgs["sh_centre1"].pk)
    first, second = bookable_days(config1, today)[:2]
    _book(lawyer1, people["1A-001"], first, morning)  # stays under review
    rejected = _book(lawyer1, people["1C-006"], first, afternoon)
    services.booking_reject(
        booking=rejected, actor=Actor(officer1), reason="该在押人员当日下午需配合提审，请改约其他时段。"
    )
    for lawyer, number, start in ((lawyer2, "1A-002", morning), (lawyer3, "1A-003", afternoon)):
        services.booking_approve(booking=_book(lawyer, people[number], first, start), actor=Actor(officer1))
    services.booking_approve(booking=_book(lawyer1, people["1B-004"], second, morning), actor=Actor(officer1))
    services.booking_approve(
        booking=_book(lawyer2, people["1B-005"], second, morning, RoomKind.VIDEO), actor=Actor(officer1)
    )
    cancelled = _book(lawyer1, people["1C-006"], second, afternoon)
    services.booking_cancel(booking=cancelled, actor=Actor(lawyer1))

    # 上海市第二看守所: approved automatically; its first 09:00 slot is full
    # (two rooms), and 张明 waits for it; the legal-aid case is booked at 10:00.
    config2 = selectors.centre_config(orgs["sh_centre2"].pk)
    # A lawyer is in one place at a time: another day than the first centre's.
    day = next(d for d in bookable_days(config2, today) if d not in (first, second))
    _book(lawyer2, people["2B-004"], day, time(9, 0))
    _book(lawyer3, people["2B-005"], day, time(9, 0))
    waitlist.waitlist_join(actor=Actor(lawyer1), detainee=people["2A-001"], date=day, slot_start=time(9, 0))
    _book(lawyer1, people["2A-003"], day, time(10, 0))

    # The video point below 上海市第一看守所 serves its detainees: a video
    # meeting there, on the point's own 30-minute slots (at 10:30, when the
    # lawyer and the detainee are free whichever day it is); none when its
    # 7-day window holds no open day (the National Day holiday).
    video = orgs["sh_video1"]
    for point_day in bookable_days(selectors.centre_config(video.pk), today)[:1]:
        services.booking_create(
            actor=Actor(lawyer3),
            detainee=people["1A-003"],
            date=point_day,
            slot_start=time(10, 30),
            room_kind=RoomKind.VIDEO,
            centre=video,
        )

    # The past fortnight: meetings that took place (the statistics' default
    # range shows them and the rooms' use), one no-show with its violation,
    # which the lawyer has appealed; and today's approved meetings for the
    # board to check in.
    demo_history.history(orgs, users, people, today)


def _contact(orgs, users, people) -> None:
    officer1, officer2, authority = users["officer1"], users["officer2"], users["authority"]
    meeting_requests.meeting_request_create(
        actor=Actor(officer1), detainee=people["1B-004"], note="在押人员要求会见辩护律师，商谈退赔事宜。"
    )
    meeting_requests.meeting_request_create(
        actor=Actor(officer2), detainee=people["2A-001"], note="在押人员称有新的证据线索需告知律师。"
    )
    notices.notice_publish(
        actor=Actor(authority),
        title="关于律师会见预约有关事项的通知",
        body="各位律师：\n"
        "一、会见须提前在网上预约，预约成功后请按时到达，会见开始20分钟后未到的按未到处理。\n"
        "二、如需取消，请在会见前一日18:00前在网上取消。\n"
        "三、法律援助案件可通过远程视频会见点优先预约。\n"
        "特此通知。",
    )
    complaints.complaint_create(
        actor=Actor(authority),
        centre=orgs["sh_centre1"],
        caller_name=users["lawyer1"].name,
        caller_phone=users["lawyer1"].mobile,
        category=ComplaintCategory.MEETING,
        content="到所后等候一个多小时才安排会见室，希望改进叫号安排。",
        lawyer_licence_no=users["lawyer1"].licence_no,
    )
    answered = complaints.complaint_create(
        actor=Actor(authority),
        centre=orgs["sh_centre2"],
        caller_name="刘先生",
        caller_phone="021-63450000",
        category=ComplaintCategory.SYSTEM,
        content="预约页面看不到第二看守所周六的时段。",
    )
    complaints.complaint_handle(
        actor=Actor(authority), complaint=answered, handling="已联系第二看守所核实周六开放设置。"
    )
    complaints.complaint_answer(
        actor=Actor(authority),
        complaint=answered,
        answer="第二看守所已开放周六会见，时段在可预约范围内显示，已电话告知来电人。",
    )


def already_seeded(orgs) -> bool:
    return CentreConfig.objects.filter(organisation=orgs["sh_centre1"]).exists()


def _rows() -> int:
    return sum(model.objects.count() for model in COUNTED)


def seed_meetings(orgs, users) -> int:
    """Create the meetings' demo data unless it is there; return how many
    rows of the meetings' main tables were made."""
    if already_seeded(orgs):
        return 0
    before = _rows()
    _centres(orgs, users)
    people = _people(orgs, users)
    _bindings(orgs, users, people)
    _bookings(orgs, users, people)
    _contact(orgs, users, people)
    return _rows() - before
