"""Access rules of the court pages and API (see tests/access.py)."""

from __future__ import annotations

from tests.access import API_TOKEN, LOGIN, Access

NOT_LAWYER = ("officer", "judge", "clerk", "bureau_clerk")
NOT_COURT = ("lawyer", "officer", "bureau_clerk")


def _case(lawyer_attr: str):
    def make(world):
        from .factories import court_of, direct_case

        return {"case_id": direct_case(court_of(world), judge=world.judge, lawyers=[getattr(world, lawyer_attr)]).pk}

    return make


def _filed_case(lawyer_attr: str):
    """A case accepted from *lawyer*'s filing (whose lawyer may print its notice)."""

    def make(world):
        from lvshi.core.actor import Actor

        from ..services import filings, review
        from .factories import complete_filing, court_of

        filing = complete_filing(getattr(world, lawyer_attr), court_of(world))
        filings.filing_submit(filing=filing, actor=Actor(filing.lawyer))
        case = review.filing_accept(filing=filing, actor=Actor(world.clerk), judge_id=world.judge.pk)
        return {"case_id": case.pk}

    return make


def _court_case(foreign: bool):
    def make(world):
        from lvshi.orgs.models import Role

        from .factories import court_of, direct_case, foreign_court

        court = foreign_court() if foreign else court_of(world)
        judge = court.organisation.memberships.get(role=Role.JUDGE).user if foreign else world.judge
        return {"case_id": direct_case(court, judge=judge, lawyers=[world.lawyer]).pk}

    return make


def _filing(lawyer_attr: str, *, submitted: bool = False, foreign: bool = False, step: str | None = None):
    def make(world):
        from lvshi.core.actor import Actor

        from ..services import filings
        from .factories import complete_filing, court_of, foreign_court

        court = foreign_court() if foreign else court_of(world)
        filing = complete_filing(getattr(world, lawyer_attr), court)
        if submitted:
            filings.filing_submit(filing=filing, actor=Actor(filing.lawyer))
        return {"filing_id": filing.pk, **({"step": step} if step else {})}

    return make


def _notice(lawyer_attr: str, *, by_id: bool = False, foreign: bool = False):
    def make(world):
        from lvshi.orgs.models import Role

        from .factories import court_of, direct_case, foreign_court

        court = foreign_court() if foreign else court_of(world)
        judge = court.organisation.memberships.get(role=Role.JUDGE).user if foreign else world.judge
        notice = direct_case(court, judge=judge, lawyers=[getattr(world, lawyer_attr)]).payment_notices.get()
        return {"notice_id": notice.pk} if by_id else {"code": notice.code}

    return make


def _paid_notice(lawyer_attr: str):
    def make(world):
        from lvshi.core.actor import Actor

        from ..services import payments
        from .factories import court_of, direct_case

        lawyer = getattr(world, lawyer_attr)
        notice = direct_case(court_of(world), judge=world.judge, lawyers=[lawyer]).payment_notices.get()
        payment = payments.payment_start(actor=Actor(lawyer), notice=notice, provider="wechat")
        payments.payment_simulate(payment=payment)
        return {"code": notice.code}

    return make


def _payment(lawyer_attr: str):
    def make(world):
        from lvshi.core.actor import Actor

        from ..services import payments
        from .factories import court_of, direct_case

        lawyer = getattr(world, lawyer_attr)
        notice = direct_case(court_of(world), judge=world.judge, lawyers=[lawyer]).payment_notices.get()
        return {"payment_id": payments.payment_start(actor=Actor(lawyer), notice=notice, provider="alipay").pk}

    return make


def _hearing(lawyer_attr: str, *, foreign: bool = False, key: str = "hearing_id"):
    def make(world):
        from datetime import timedelta

        from django.utils import timezone

        from lvshi.calendar.workdays import next_working_day
        from lvshi.orgs.models import Role

        from ..models import Hearing
        from ..services.hearings import _claim
        from .factories import court_of, direct_case, foreign_court

        court = foreign_court() if foreign else court_of(world)
        judge = court.organisation.memberships.get(role=Role.JUDGE).user if foreign else world.judge
        case = direct_case(court, judge=judge, lawyers=[getattr(world, lawyer_attr)])
        day = next_working_day(timezone.localdate() + timedelta(days=10))
        start = timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time()))
        start += timedelta(hours=9 + Hearing.objects.count())
        hearing = Hearing.objects.create(
            case=case,
            room=court.rooms.first(),
            judge=judge,
            start=start,
            end=start + timedelta(hours=1),
            scheduled_by=judge,
            scheduled_at=timezone.now(),
        )
        _claim(hearing)
        return {key: hearing.pk}

    return make


def _request(foreign: bool):
    def make(world):
        from ..models import Hearing, HearingRequest

        hearing = Hearing.objects.get(pk=_hearing("lawyer", foreign=foreign)(world)["hearing_id"])
        req = HearingRequest.objects.create(
            hearing=hearing, lawyer=world.lawyer, kind="excuse", reason="另案开庭", phone="13800000000"
        )
        return {"request_id": req.pk}

    return make


def _entry(lawyer_attr: str, key: str = "pk"):
    def make(world):
        from datetime import timedelta

        from django.utils import timezone

        from lvshi.calendar.models import ScheduleEntry

        start = timezone.now() + timedelta(days=3)
        entry = ScheduleEntry.objects.create(
            lawyer=getattr(world, lawyer_attr), start=start, end=start + timedelta(hours=2), text="外地出差"
        )
        return {key: entry.pk}

    return make


def _lawyers(make_mine, make_theirs, denied=NOT_LAWYER):
    return {"persona": "lawyer", "mine": make_mine, "theirs": make_theirs, "denied": denied}


def _staff(make, persona="clerk", denied=NOT_COURT):
    return {"persona": persona, "mine": make(False), "theirs": make(True), "denied": denied}


PAGES = {
    "courts:cases": Access(LOGIN, denied=NOT_LAWYER),
    "courts:bind": Access(LOGIN, denied=NOT_LAWYER),
    "courts:case": Access(LOGIN, persona="lawyer", mine=_case("lawyer"), theirs=_case("other_lawyer")),
    "courts:acceptance_pdf": Access(
        LOGIN, persona="lawyer", mine=_filed_case("lawyer"), theirs=_filed_case("other_lawyer")
    ),
    "courts:filings": Access(LOGIN, denied=NOT_LAWYER),
    "courts:filing_new": Access(LOGIN, method="post", denied=NOT_LAWYER),
    "courts:filing": Access(LOGIN, **_lawyers(_filing("lawyer"), _filing("other_lawyer"))),
    "courts:filing_delete": Access(LOGIN, **_lawyers(_filing("lawyer"), _filing("other_lawyer"))),
    "courts:filing_step": Access(
        LOGIN, **_lawyers(_filing("lawyer", step="info"), _filing("other_lawyer", step="info"))
    ),
    "courts:fees": Access(LOGIN, denied=NOT_LAWYER),
    "courts:fee": Access(LOGIN, **_lawyers(_notice("lawyer"), _notice("other_lawyer"))),
    "courts:receipt": Access(LOGIN, **_lawyers(_paid_notice("lawyer"), _paid_notice("other_lawyer"))),
    "courts:payment": Access(LOGIN, **_lawyers(_payment("lawyer"), _payment("other_lawyer"))),
    "courts:payment_simulate": Access(LOGIN, method="post", **_lawyers(_payment("lawyer"), _payment("other_lawyer"))),
    "courts:hearings": Access(LOGIN, denied=NOT_LAWYER),
    "courts:hearing_request": Access(LOGIN, **_lawyers(_hearing("lawyer"), _hearing("other_lawyer"))),
    "courts:workbench": Access(LOGIN, denied=NOT_COURT),
    "courts:review_queue": Access(LOGIN, denied=(*NOT_COURT, "judge")),
    "courts:review": Access(
        LOGIN,
        persona="clerk",
        mine=_filing("lawyer", submitted=True),
        theirs=_filing("lawyer", submitted=True, foreign=True),
        denied=(*NOT_COURT, "judge"),
    ),
    "courts:court_fees": Access(LOGIN, denied=(*NOT_COURT, "judge")),
    "courts:fee_adjust": Access(
        LOGIN,
        persona="clerk",
        mine=_notice("lawyer", by_id=True),
        theirs=_notice("lawyer", by_id=True, foreign=True),
        denied=("lawyer", "officer", "judge"),
    ),
    "courts:court_cases": Access(LOGIN, denied=NOT_COURT),
    "courts:court_case": Access(LOGIN, **_staff(_court_case)),
    "courts:schedule_hearing": Access(LOGIN, **_staff(_court_case)),
    "courts:court_hearings": Access(LOGIN, denied=NOT_COURT),
    "courts:requests": Access(LOGIN, denied=(*NOT_COURT, "clerk")),
    "courts:decide_request": Access(
        LOGIN, persona="judge", mine=_request(False), theirs=_request(True), denied=("lawyer", "officer", "clerk")
    ),
    "calendar:entry_new": Access(LOGIN, denied=NOT_LAWYER),
    "calendar:entry_edit": Access(LOGIN, **_lawyers(_entry("lawyer"), _entry("other_lawyer"))),
}


def _upload(world):
    from .factories import pdf

    return {"kind": "evidence", "files": pdf("evidence.pdf")}


def _filing_file(lawyer_attr: str):
    def make(world):
        ids = _filing(lawyer_attr)(world)
        from ..models import Filing

        return {**ids, "file_id": Filing.objects.get(pk=ids["filing_id"]).files.first().pk}

    return make


def _hearing_body(world):
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from lvshi.calendar.workdays import SHANGHAI, next_working_day

    from .factories import court_of

    day = next_working_day(timezone.localdate() + timedelta(days=20))
    start = datetime.combine(day, time(9, 30), tzinfo=SHANGHAI)
    return {
        "start": start.isoformat(),
        "minutes": 60,
        "room_id": court_of(world).rooms.first().pk,
        "judge_id": world.judge.pk,
    }


def _entry_body(world):
    from datetime import timedelta

    from django.utils import timezone

    start = timezone.now() + timedelta(days=5)
    return {"start": start.isoformat(), "end": (start + timedelta(hours=3)).isoformat(), "text": "外地出差"}


def _range(world):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    return {"from": now.isoformat(), "to": (now + timedelta(days=14)).isoformat()}


def _accept_body(world):
    return {"judge_id": world.judge.pk}


API = {
    "GET /api/v1/courts": Access("public"),
    "GET /api/v1/courts/cases": Access(API_TOKEN, denied=NOT_LAWYER),
    "POST /api/v1/courts/cases/bind": Access(
        API_TOKEN, body=lambda world: {"code": "000000000000", "password": "AAAA2222"}, denied=NOT_LAWYER
    ),
    "GET /api/v1/courts/filings": Access(API_TOKEN, denied=NOT_LAWYER),
    "POST /api/v1/courts/filings": Access(API_TOKEN, denied=NOT_LAWYER),
    "GET /api/v1/courts/filings/{filing_id}": Access(API_TOKEN, **_lawyers(_filing("lawyer"), _filing("other_lawyer"))),
    "PATCH /api/v1/courts/filings/{filing_id}": Access(
        API_TOKEN, body=lambda world: {"cause": "借款合同纠纷"}, **_lawyers(_filing("lawyer"), _filing("other_lawyer"))
    ),
    "DELETE /api/v1/courts/filings/{filing_id}": Access(
        API_TOKEN, **_lawyers(_filing("lawyer"), _filing("other_lawyer"))
    ),
    "POST /api/v1/courts/filings/{filing_id}/check": Access(
        API_TOKEN, **_lawyers(_filing("lawyer"), _filing("other_lawyer"))
    ),
    "POST /api/v1/courts/filings/{filing_id}/submit": Access(
        API_TOKEN, **_lawyers(_filing("lawyer"), _filing("other_lawyer"))
    ),
    "POST /api/v1/courts/filings/{filing_id}/files": Access(
        API_TOKEN, body=_upload, **_lawyers(_filing("lawyer"), _filing("other_lawyer"))
    ),
    "DELETE /api/v1/courts/filings/{filing_id}/files/{file_id}": Access(
        API_TOKEN, **_lawyers(_filing_file("lawyer"), _filing_file("other_lawyer"))
    ),
    "GET /api/v1/courts/filing-reviews": Access(API_TOKEN, denied=(*NOT_COURT, "judge")),
    "POST /api/v1/courts/filings/{filing_id}/accept": Access(
        API_TOKEN,
        body=_accept_body,
        persona="clerk",
        mine=_filing("lawyer", submitted=True),
        theirs=_filing("lawyer", submitted=True, foreign=True),
        denied=("lawyer", "officer", "judge"),
    ),
    "POST /api/v1/courts/filings/{filing_id}/return": Access(
        API_TOKEN,
        body=lambda world: {"code": "materials", "reason": "请补充借条原件扫描件"},
        persona="clerk",
        mine=_filing("lawyer", submitted=True),
        theirs=_filing("lawyer", submitted=True, foreign=True),
        denied=("lawyer", "officer", "judge"),
    ),
    "GET /api/v1/courts/fees": Access(API_TOKEN, denied=NOT_LAWYER),
    "GET /api/v1/courts/fees/{code}": Access(API_TOKEN, **_lawyers(_notice("lawyer"), _notice("other_lawyer"))),
    "POST /api/v1/courts/fees/{code}/pay": Access(
        API_TOKEN, body=lambda world: {"provider": "wechat"}, **_lawyers(_notice("lawyer"), _notice("other_lawyer"))
    ),
    "GET /api/v1/courts/fees/{code}/receipt": Access(
        API_TOKEN, **_lawyers(_paid_notice("lawyer"), _paid_notice("other_lawyer"))
    ),
    "POST /api/v1/courts/payments/callback/{provider}": Access("public"),
    "POST /api/v1/courts/payments/{payment_id}/simulate": Access(
        API_TOKEN, **_lawyers(_payment("lawyer"), _payment("other_lawyer"))
    ),
    "GET /api/v1/courts/hearings": Access(API_TOKEN, denied=NOT_LAWYER),
    "POST /api/v1/courts/hearings/{hearing_id}/conflict-requests": Access(
        API_TOKEN,
        body=lambda world: {"kind": "excuse", "reason": "另案开庭", "phone": "13800000000"},
        **_lawyers(_hearing("lawyer"), _hearing("other_lawyer")),
    ),
    "POST /api/v1/courts/cases/{case_id}/hearings/plan": Access(API_TOKEN, body=_hearing_body, **_staff(_court_case)),
    "POST /api/v1/courts/cases/{case_id}/hearings": Access(API_TOKEN, body=_hearing_body, **_staff(_court_case)),
    "GET /api/v1/courts/conflict-requests": Access(API_TOKEN, denied=(*NOT_COURT, "clerk")),
    "POST /api/v1/courts/conflict-requests/{request_id}/decide": Access(
        API_TOKEN,
        body=lambda world: {"grant": False, "answer": "理由不充分"},
        persona="judge",
        mine=_request(False),
        theirs=_request(True),
        denied=("lawyer", "officer", "clerk"),
    ),
    "GET /api/v1/schedule/entries": Access(API_TOKEN, denied=NOT_LAWYER),
    "POST /api/v1/schedule/entries": Access(API_TOKEN, body=_entry_body, denied=NOT_LAWYER),
    "PUT /api/v1/schedule/entries/{entry_id}": Access(
        API_TOKEN, body=_entry_body, **_lawyers(_entry("lawyer", "entry_id"), _entry("other_lawyer", "entry_id"))
    ),
    "DELETE /api/v1/schedule/entries/{entry_id}": Access(
        API_TOKEN, **_lawyers(_entry("lawyer", "entry_id"), _entry("other_lawyer", "entry_id"))
    ),
    "GET /api/v1/schedule": Access(API_TOKEN, body=_range, denied=NOT_LAWYER),
}
