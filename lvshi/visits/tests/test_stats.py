"""The authority's meeting statistics: grouping per centre and local day,
range limits, scope, the audited Excel export and bounded queries."""

import io
import json
from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from lvshi.audit.models import AuditEvent
from lvshi.orgs.models import OrgKind, Role
from lvshi.visits.models import Booking, BookingStatus, SlotLoad, Violation
from lvshi.visits.selectors import stats
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.test_access import bearer_for

from .conftest import SHANGHAI
from .factories import make_centre, make_detainee, make_lawyer

STATS = reverse("visits:stats")
EXPORT = reverse("visits:stats_export")
DAY = date(2026, 10, 8)


def make_booking(lawyer, detainee, day, *, status=BookingStatus.APPROVED, start=time(8, 30), submitted_at=None):
    """A booking row in the given state (the rules that lead there are the services' tests)."""
    return Booking.objects.create(
        lawyer=lawyer,
        detainee=detainee,
        centre=detainee.centre,
        date=day,
        start=start,
        end=time(start.hour + 2, start.minute),
        status=status,
        submitted_at=submitted_at or datetime.combine(day - timedelta(days=2), time(9, 0), tzinfo=SHANGHAI),
    )


def violation_for(booking):
    return Violation.objects.create(
        lawyer=booking.lawyer,
        booking=booking,
        centre=booking.centre,
        date=booking.date,
        expires_on=booking.date + timedelta(days=365),
    )


def load(centre, day, *, taken, capacity, start=time(8, 30)):
    return SlotLoad.objects.create(
        centre=centre, date=day, start=start, end=time(11, 0), room_kind="in_person", capacity=capacity, taken=taken
    )


def queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


@pytest.fixture
def figures(world, clock):
    """At the centre on DAY: 2 completed, 1 no-show (with its violation),
    1 approved, 1 rejected, 1 cancelled; at the other centre 1 completed."""
    make_centre(world.centre)
    make_centre(world.other_centre)
    statuses = [
        BookingStatus.COMPLETED,
        BookingStatus.COMPLETED,
        BookingStatus.NO_SHOW,
        BookingStatus.APPROVED,
        BookingStatus.REJECTED,
        BookingStatus.CANCELLED,
    ]
    made = [make_booking(world.lawyer, make_detainee(world.centre), DAY, status=s) for s in statuses]
    violation_for(made[2])
    make_booking(world.other_lawyer, make_detainee(world.other_centre), DAY, status=BookingStatus.COMPLETED)
    load(world.centre, DAY, taken=3, capacity=4)
    load(world.centre, DAY, taken=1, capacity=4, start=time(13, 30))
    load(world.other_centre, DAY, taken=1, capacity=2)
    return made


def _row(result, centre, day=DAY):
    return next(r for r in result.rows if r.centre_id == centre.pk and r.date == day)


def test_figures_per_centre_and_day(world, figures):
    result = stats.statistics(world.authority_officer, start=DAY, end=DAY)
    mine = _row(result, world.centre)
    assert (mine.approved, mine.rejected, mine.cancelled, mine.completed, mine.no_show, mine.violations) == (
        4,
        1,
        1,
        2,
        1,
        1,
    )
    assert (mine.taken, mine.capacity, mine.utilisation) == (4, 8, 0.5)
    other = _row(result, world.other_centre)
    assert (other.completed, other.utilisation) == (1, 0.5)
    assert result.total.completed == 3 and result.total.capacity == 10
    assert [c.centre for c in result.centres] == ["上海市第一看守所", "上海市第二看守所"]


def test_submissions_count_on_their_local_day_across_the_utc_boundary(world, clock):
    make_centre(world.centre)
    # 07:00 on 8 October in Shanghai is still 7 October in UTC.
    early = datetime(2026, 10, 8, 7, 0, tzinfo=SHANGHAI)
    late = datetime(2026, 10, 7, 23, 30, tzinfo=SHANGHAI)  # 15:30 UTC, 7 October everywhere
    make_booking(world.lawyer, make_detainee(world.centre), date(2026, 10, 12), submitted_at=early)
    make_booking(world.lawyer, make_detainee(world.centre), date(2026, 10, 13), submitted_at=late)
    result = stats.statistics(world.authority_officer, start=date(2026, 10, 7), end=date(2026, 10, 8))
    assert {r.date: r.submitted for r in result.rows} == {date(2026, 10, 7): 1, date(2026, 10, 8): 1}
    # The range ends with the local day: a submission at 00:30 on 9 October (Shanghai) is outside.
    make_booking(
        world.lawyer,
        make_detainee(world.centre),
        date(2026, 10, 14),
        submitted_at=datetime(2026, 10, 9, 0, 30, tzinfo=SHANGHAI),
    )
    result = stats.statistics(world.authority_officer, start=date(2026, 10, 7), end=date(2026, 10, 8))
    assert result.total.submitted == 2


def test_a_voided_violation_is_not_counted(world, figures):
    Violation.objects.update(status="void")
    assert stats.statistics(world.authority_officer, start=DAY, end=DAY).total.violations == 0


def test_authority_sees_only_centres_under_it(world, figures):
    elsewhere = OrganisationFactory(name="外省看守所", kind=OrgKind.DETENTION_CENTRE)
    make_centre(elsewhere)
    make_booking(world.lawyer, make_detainee(elsewhere), DAY, status=BookingStatus.COMPLETED)
    result = stats.statistics(world.authority_officer, start=DAY, end=DAY)
    assert elsewhere.pk not in {r.centre_id for r in result.rows}
    with pytest.raises(stats.NotFound):
        stats.statistics(world.authority_officer, start=DAY, end=DAY, centre_id=elsewhere.pk)
    admin = UserFactory(is_superuser=True)
    assert elsewhere.pk in {r.centre_id for r in stats.statistics(admin, start=DAY, end=DAY).rows}


def test_one_centre_only(world, figures):
    result = stats.statistics(world.authority_officer, start=DAY, end=DAY, centre_id=world.other_centre.pk)
    assert {r.centre_id for r in result.rows} == {world.other_centre.pk}


@pytest.mark.parametrize(("days", "ok"), [(366, True), (367, False)])
def test_range_limit(world, login, clock, days, ok):
    start, end = date(2025, 10, 8), date(2025, 10, 8) + timedelta(days=days - 1)
    response = login(world.authority_officer).get(STATS, {"from": start.isoformat(), "to": end.isoformat()})
    assert response.status_code == (200 if ok else 400)
    api = json.loads(
        login(world.authority_officer)
        .get(
            "/api/v1/visits/stats",
            {"from": start.isoformat(), "to": end.isoformat()},
            **bearer_for(world.authority_officer),
        )
        .content
    )
    if ok:
        assert api["from"] == start.isoformat() and api["to"] == end.isoformat()
    else:
        assert api["code"] == "range_too_long" and "366" in api["message"]
        assert "367" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"from": "2026-10-09", "to": "2026-10-08"}, 400, "invalid_range"),
        ({"from": "yesterday"}, 422, "invalid_input"),
        ({"to": "2026-02-30"}, 422, "invalid_input"),
    ],
)
def test_bad_dates_are_refused_with_a_message(client, world, clock, params, status, code):
    response = client.get("/api/v1/visits/stats", params, **bearer_for(world.authority_officer))
    assert response.status_code == status and json.loads(response.content)["code"] == code


def test_page_shows_the_figures_and_a_total(world, login, figures):
    response = login(world.authority_officer).get(STATS, {"from": "2026-10-08", "to": "2026-10-08"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "上海市第一看守所" in text and "上海市第二看守所" in text and "合计" in text and "50.0%" in text
    by_centre = login(world.authority_officer).get(STATS, {"from": "2026-10-08", "to": "2026-10-08", "view": "centre"})
    assert by_centre.status_code == 200 and "2026-10-08</td>" not in by_centre.content.decode()


@pytest.mark.parametrize("who", ["lawyer", "officer", "judge"])
def test_only_authority_officers_and_admins(world, login, client, who):
    assert login(getattr(world, who)).get(STATS).status_code == 403
    assert login(getattr(world, who)).get(EXPORT).status_code == 403
    response = client.get("/api/v1/visits/stats", **bearer_for(getattr(world, who)))
    assert response.status_code == 403 and json.loads(response.content)["code"] == "forbidden"


def test_a_centre_outside_the_authority_is_not_found(world, login, figures):
    other_authority = OrganisationFactory(name="外省监所管理总队", kind=OrgKind.DETENTION_AUTHORITY)
    elsewhere = OrganisationFactory(name="外省看守所", kind=OrgKind.DETENTION_CENTRE, parent=other_authority)
    client = login(world.authority_officer)
    assert client.get(STATS, {"centre": elsewhere.pk}).status_code == 404
    assert client.get(EXPORT, {"centre": elsewhere.pk}).status_code == 404
    assert client.get(STATS, {"centre": world.centre.pk}).status_code == 200
    outsider = UserFactory()
    MembershipFactory(user=outsider, organisation=other_authority, role=Role.AUTHORITY_OFFICER)
    result = stats.statistics(outsider, start=DAY, end=DAY)
    assert result.rows == []


def test_export_is_a_typed_workbook_and_an_audited_read(world, login, figures):
    response = login(world.authority_officer).get(EXPORT, {"from": "2026-10-07", "to": "2026-10-08"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["按日统计", "按机构汇总"]
    days = book["按日统计"]
    assert [c.value for c in days[1]] == [
        "日期",
        "机构",
        "提交预约",
        "审核通过",
        "未通过",
        "已取消",
        "已会见",
        "未到",
        "违约",
        "已约会见室",
        "会见室容量",
        "利用率",
    ]
    first = [c.value for c in days[2]]
    assert first[0] == datetime(2026, 10, 8) and days.cell(2, 1).is_date
    assert first[1] == "上海市第一看守所" and first[3:9] == [4, 1, 1, 2, 1, 1]
    assert first[11] == 0.5 and days.cell(2, 12).number_format == "0.0%"
    total = [c.value for c in days[days.max_row]]
    assert total[0] == "合计" and total[6] == 3 and total[10] == 10
    centres = book["按机构汇总"]
    assert centres.max_row == 4 and centres.cell(2, 1).value == "上海市第一看守所"
    event = AuditEvent.objects.get(action="visits.statistics_export")
    assert event.actor_id == world.authority_officer.pk
    assert event.after == {"from": "2026-10-07", "to": "2026-10-08", "centre": None, "rows": 2}


def test_a_refused_export_is_not_audited(world, login, clock):
    response = login(world.authority_officer).get(EXPORT, {"from": "2024-01-01", "to": "2026-01-01"})
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action="visits.statistics_export").exists()


def test_queries_do_not_grow_with_the_rows_or_the_range(world, login, figures, django_assert_max_num_queries):
    client = login(world.authority_officer)
    params = {"from": "2026-10-01", "to": "2026-10-31"}
    client.get(STATS, params)  # the session's first request loads more
    few = queries(lambda: client.get(STATS, params))
    few_api = queries(lambda: client.get("/api/v1/visits/stats", params, **bearer_for(world.authority_officer)))
    for i in range(20):
        lawyer = make_lawyer(world.firm)
        day = DAY + timedelta(days=i % 10)
        make_booking(lawyer, make_detainee([world.centre, world.other_centre][i % 2]), day)
        load([world.centre, world.other_centre][i % 2], day, taken=1, capacity=2, start=time(7, i))
    assert queries(lambda: client.get(STATS, params)) == few
    assert queries(lambda: client.get("/api/v1/visits/stats", params, **bearer_for(world.authority_officer))) <= few_api
    with django_assert_max_num_queries(few):
        assert client.get(STATS, {"from": "2025-10-31", "to": "2026-10-31"}).status_code == 200
