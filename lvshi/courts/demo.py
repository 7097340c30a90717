"""Court services' demo data, added by ``seed_demo`` (docs/demo-accounts.md):
the Chongqing higher, intermediate and basic courts with their rooms; cases
where the demo lawyers are agents (linked automatically) and one to bind
with a printed query code; a filing draft, a returned filing and one
waiting for review; an unpaid fee notice with a fixed code; hearings next
week, one at the time of a demo detention meeting; an entry in 张明's
schedule. Idempotent: nothing is made when the courts' profiles exist."""

from __future__ import annotations

import io
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from lvshi.calendar import schedule
from lvshi.calendar.models import ScheduleEntry
from lvshi.calendar.workdays import SHANGHAI, local_date, next_working_day
from lvshi.core import crypto
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError

from . import numbers
from .models import Agent, Case, CaseType, Court, CourtLevel, CourtRoom, Party, PartyKind, PartyRole, PaymentNotice
from .services import filings, parties, review
from .services.cases import link_agents, set_query_password
from .services.hearings import hearing_schedule

# Printed in docs/demo-accounts.md and the README.
DEMO_FEE_CODE = "5001202600000001"
DEMO_QUERY_CODE = "500120260001"
DEMO_QUERY_PASSWORD = "CQDEMO26"

COURTS = (
    ("cq_higher", CourtLevel.HIGHER, "渝", [CaseType.CIVIL_SECOND, CaseType.CRIMINAL_SECOND, CaseType.ADMIN_SECOND]),
    ("cq_court", CourtLevel.INTERMEDIATE, "渝01", list(CaseType.values)),
    (
        "cq_basic",
        CourtLevel.BASIC,
        "渝0103",
        [
            CaseType.CIVIL_FIRST,
            CaseType.CRIMINAL_FIRST,
            CaseType.ADMIN_FIRST,
            CaseType.ENFORCEMENT,
            CaseType.ENFORCEMENT_OBJECTION,
            CaseType.PRESERVATION,
        ],
    ),
)
ROOMS = {
    "cq_higher": ["第一法庭", "第二法庭"],
    "cq_court": ["第一法庭", "第二法庭", "第三法庭"],
    "cq_basic": ["第一法庭", "第二法庭"],
}


def _png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (320, 200), "#dfe8f3").save(out, "PNG")
    return SimpleUploadedFile("id.png", out.getvalue(), content_type="image/png")


def _pdf(name: str) -> SimpleUploadedFile:
    body = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def _case(court, judge, clerk, *, cause, claim, plaintiff, defendant, agents, code=None, password=None, days_ago=30):
    accepted = timezone.now() - timedelta(days=days_ago)
    number = numbers.allocate(court, local_date(timezone.now()).year, CaseType.CIVIL_FIRST)
    case = Case(
        court=court,
        year=number.year,
        case_type=number.case_type,
        seq=number.seq,
        number=str(number),
        cause=cause,
        claim_amount=Decimal(claim) if claim else None,
        judge=judge,
        clerk=clerk,
        accepted_at=accepted,
        query_code=code or f"5009{Case.objects.count() + 1:08d}",
        query_password_encrypted=crypto.encrypt(password or "CQDEMO00"),
    )
    set_query_password(case, password or "CQDEMO00")
    case.save()
    p = Party.objects.create(
        case=case, kind=PartyKind.ORGANISATION, role=PartyRole.PLAINTIFF, name=plaintiff, representative="刘某"
    )
    Party.objects.create(case=case, kind=PartyKind.PERSON, role=PartyRole.DEFENDANT, name=defendant, position=1)
    for lawyer in agents:
        agent = Agent(case=case, party=p, name=lawyer.name, licence_no=lawyer.licence_no, phone=lawyer.mobile)
        agent.set_id_number(lawyer.id_number)
        agent.save()
    link_agents(case)
    return case


def seed_courts(orgs, users) -> int:
    if Court.objects.filter(organisation=orgs["cq_court"]).exists():
        return 0
    made = 0
    courts = {}
    for key, level, code, types in COURTS:
        courts[key] = Court.objects.create(organisation=orgs[key], level=level, code=code, case_types=types)
        for name in ROOMS[key]:
            CourtRoom.objects.create(court=courts[key], name=name)
        made += 1 + len(ROOMS[key])
    court, basic = courts["cq_court"], courts["cq_basic"]
    judge, clerk, judge2 = users["judge"], users["clerk"], users["judge2"]
    lawyer1, lawyer2 = users["lawyer1"], users["lawyer2"]

    # Cases where the demo lawyers are agents: linked automatically.
    loan = _case(
        court,
        judge,
        clerk,
        cause="借款合同纠纷",
        claim="1000000",
        plaintiff="重庆某某科技有限公司",
        defendant="王某",
        agents=[lawyer1],
    )
    PaymentNotice.objects.create(
        case=loan,
        code=DEMO_FEE_CODE,
        computed_amount=Decimal("13800.00"),
        amount=Decimal("13800.00"),
        issued_at=timezone.now() - timedelta(days=2),
        entered_at=timezone.now(),
    )
    sale = _case(
        basic,
        judge2,
        None,
        cause="买卖合同纠纷",
        claim="86000",
        plaintiff="重庆某某商贸有限公司",
        defendant="陈某",
        agents=[lawyer1, lawyer2],
        days_ago=12,
    )
    review.issue_notice(sale, now=timezone.now() - timedelta(days=10))  # unpaid past seven days: flagged
    lease = _case(
        court,
        judge,
        clerk,
        cause="房屋租赁合同纠纷",
        claim="240000",
        plaintiff="重庆某某置业有限公司",
        defendant="李某",
        agents=[lawyer2],
        days_ago=20,
    )
    # An older case none of the demo lawyers is on: bound with the printed code and password.
    _case(
        court,
        judge,
        clerk,
        cause="劳动争议",
        claim=None,
        plaintiff="重庆某某物流有限公司",
        defendant="赵某",
        agents=[],
        code=DEMO_QUERY_CODE,
        password=DEMO_QUERY_PASSWORD,
        days_ago=200,
    )
    made += 4

    # Hearings next week, and one at the time of 张明's first approved detention meeting.
    today = local_date(timezone.now())
    monday = today + timedelta(days=7 - today.weekday())
    tuesday = next_working_day(monday + timedelta(days=1))
    rooms = list(court.rooms.order_by("pk"))

    def hear(case, day_or_moment, at, minutes, room, judge_user):
        start = (
            day_or_moment
            if isinstance(day_or_moment, datetime)
            else datetime.combine(day_or_moment, at, tzinfo=SHANGHAI)
        )
        hearing_schedule(
            actor=Actor(clerk), case=case, start=start, minutes=minutes, room_id=room.pk, judge_id=judge_user.pk
        )

    hear(sale, tuesday, time(14, 30), 60, basic.rooms.order_by("pk").first(), judge2)
    now = timezone.now()
    meeting = next(
        (
            e
            for e in schedule.events_between(lawyer1, now + timedelta(hours=12), now + timedelta(days=21))
            if e.uid.startswith("booking-") and e.status == "CONFIRMED"
        ),
        None,
    )
    if meeting is not None:  # an hour into the meeting, in Chongqing: a clash
        clash = meeting.start.astimezone(SHANGHAI) + timedelta(hours=1)
        hear(
            loan,
            clash.replace(minute=clash.minute - clash.minute % 15, second=0, microsecond=0),
            None,
            60,
            rooms[1],
            judge,
        )
    else:
        hear(loan, tuesday, time(9, 0), 60, rooms[1], judge)
    # The judge's first free half-day next week.
    for day, at in ((monday, time(9, 30)), (monday, time(14, 30)), (tuesday + timedelta(days=1), time(9, 30))):
        try:
            hear(lease, next_working_day(day, include_today=True), at, 90, rooms[0], judge)
            break
        except DomainError:
            continue
    made += 3

    # 张明 cannot attend court next Thursday afternoon.
    thursday = monday + timedelta(days=3)
    ScheduleEntry.objects.create(
        lawyer=lawyer1,
        start=datetime.combine(thursday, time(13, 0), tzinfo=SHANGHAI),
        end=datetime.combine(thursday, time(18, 0), tzinfo=SHANGHAI),
        text="外地出差（成都）",
        region_code="510100",
    )
    made += 1

    # Filings: a draft, a returned one, one waiting for the clerk.
    made += _filings(lawyer1, court, clerk)
    return made


def _complete(lawyer, court, cause, claim) -> filings.Filing:
    actor = Actor(lawyer)
    f = filings.filing_create(actor=actor)
    filings.filing_update(
        filing=f,
        actor=actor,
        changes={
            "notice_accepted": True,
            "case_type": CaseType.CIVIL_FIRST,
            "application_type": "complaint",
            "cause": cause,
            "claim_amount": Decimal(claim),
            "claims": "一、判令被告支付货款及利息；二、本案诉讼费用由被告承担。",
            "facts": "原、被告签订买卖合同，原告依约供货，被告至今未付清货款。",
            "service_notice_accepted": True,
            "court": court.pk,
        },
    )
    parties.filing_set_parties(
        filing=f,
        actor=actor,
        parties=[
            {
                "kind": "organisation",
                "role": "plaintiff",
                "name": "重庆某某建材有限公司",
                "credit_code": "9144030071526726XG",
                "representative": "周某",
                "id_number": "500103198001010016",
                "service_address": "重庆市渝中区某路1号",
            },
            {"kind": "person", "role": "defendant", "name": "孙某", "service_address": "重庆市江北区某路2号"},
        ],
        agents=[
            {
                "party": 0,
                "name": lawyer.name,
                "licence_no": lawyer.licence_no,
                "id_number": lawyer.id_number,
                "phone": lawyer.mobile,
            }
        ],
    )
    plaintiff = f.parties.get(role="plaintiff")
    parties.filing_add_files(filing=f, actor=actor, kind="complaint", uploads=[_pdf("起诉状.pdf")])
    parties.filing_add_files(filing=f, actor=actor, kind="evidence", uploads=[_pdf("买卖合同.pdf"), _pdf("送货单.pdf")])
    for kind in ("id_front", "id_back"):
        parties.filing_add_files(filing=f, actor=actor, kind=kind, uploads=[_png()], party_id=plaintiff.pk)
    return f


def _filings(lawyer, court, clerk) -> int:
    actor = Actor(lawyer)
    draft = filings.filing_create(actor=actor)
    filings.filing_update(
        filing=draft,
        actor=actor,
        changes={
            "notice_accepted": True,
            "case_type": CaseType.CIVIL_FIRST,
            "application_type": "complaint",
            "cause": "民间借贷纠纷",
            "claim_amount": Decimal("150000"),
        },
    )
    returned = _complete(lawyer, court, "买卖合同纠纷", "320000")
    filings.filing_submit(filing=returned, actor=actor)
    review.filing_return(
        filing=returned, actor=Actor(clerk), code="materials", reason="请补充被告身份信息（身份证号码）和双方对账单。"
    )
    waiting = _complete(lawyer, court, "承揽合同纠纷", "58000")
    filings.filing_submit(filing=waiting, actor=actor)
    return 3
