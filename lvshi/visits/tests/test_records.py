"""会见记录: the lawyer's own records, officers' records of their centres,
search, pages, the audited Excel export, the API and bounded queries."""

import io
import itertools
import json
from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lvshi.audit.models import AuditEvent
from lvshi.visits.models import BookingStatus
from tests.test_access import bearer_for

from .factories import make_centre, make_detainee, make_lawyer
from .test_stats import make_booking, queries, violation_for

RECORDS = reverse("visits:records")
EXPORT = reverse("visits:records_export")
API = "/api/v1/visits/records"


def body(response) -> dict:
    return json.loads(response.content)


@pytest.fixture
def book(world, clock):
    """The lawyer's records at the centre (one per status, a violation for
    the no-show) and at the other centre; the other lawyer's at the centre."""
    make_centre(world.centre)
    make_centre(world.other_centre)
    made = {}
    for i, status in enumerate(BookingStatus.values):
        made[status] = make_booking(
            world.lawyer,
            make_detainee(world.centre, name=f"张{i}"),
            date(2026, 9, 1) + timedelta(days=i),
            status=status,
        )
    violation_for(made[BookingStatus.NO_SHOW])
    made["other_centre"] = make_booking(
        world.lawyer, make_detainee(world.other_centre, name="李四"), date(2026, 9, 15), status="completed"
    )
    made["other_lawyer"] = make_booking(
        world.other_lawyer, make_detainee(world.centre, name="王五"), date(2026, 9, 16), status="approved"
    )
    return made


def _ids(response) -> set[int]:
    return {row["b"].pk for row in response.context["rows"]}


# --- lawyers ------------------------------------------------------------------------------


def test_lawyer_sees_every_status_of_their_own_records(world, login, book):
    response = login(world.lawyer).get(RECORDS)
    assert response.status_code == 200
    assert _ids(response) == {b.pk for k, b in book.items() if k != "other_lawyer"}
    text = response.content.decode()
    assert "王五" not in text and "执业证号" not in text
    for label in ("预约审核中", "已通过", "未通过", "已取消", "已会见", "未到"):
        assert label in text


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "completed"}, ["completed", "other_centre"]),
        ({"status": "violation"}, ["no_show"]),
        ({"q": "李"}, ["other_centre"]),
        ({"centre": "OTHER"}, ["other_centre"]),
        ({"from": "2026-09-03", "to": "2026-09-04"}, ["rejected", "cancelled"]),
        ({"from": "2026-09-15"}, ["other_centre"]),
    ],
)
def test_lawyer_searches_their_records(world, login, book, params, expected):
    params = {k: (world.other_centre.pk if v == "OTHER" else v) for k, v in params.items()}
    response = login(world.lawyer).get(RECORDS, params)
    assert response.status_code == 200
    assert _ids(response) == {book[k].pk for k in expected}


@pytest.mark.parametrize(
    "params", [{"status": "lost"}, {"from": "2026-9-1x"}, {"from": "2026-09-05", "to": "2026-09-01"}, {"centre": "x"}]
)
def test_bad_filters_are_explained(world, login, book, params):
    response = login(world.lawyer).get(RECORDS, params)
    assert response.status_code == 400 and response.context["error"]
    api = login(world.lawyer).get(API, params, **bearer_for(world.lawyer))
    assert 400 <= api.status_code < 500


def test_pages_keep_the_filters(world, login, clock):
    make_centre(world.centre)
    for i in range(25):
        make_booking(
            world.lawyer, make_detainee(world.centre), date(2026, 8, 1) + timedelta(days=i), status="completed"
        )
    client = login(world.lawyer)
    first = client.get(RECORDS, {"status": "completed"})
    assert len(first.context["rows"]) == 20 and "status=completed&amp;page=2" in first.content.decode()
    second = client.get(RECORDS, {"status": "completed", "page": 2})
    assert len(second.context["rows"]) == 5


def test_lawyer_export_holds_only_their_filtered_records_and_is_audited(world, login, book):
    response = login(world.lawyer).get(EXPORT, {"status": "no_show"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    sheet = load_workbook(io.BytesIO(response.content))["会见记录"]
    assert [c.value for c in sheet[1]] == [
        "会见日期",
        "开始时间",
        "结束时间",
        "机构",
        "在押人员",
        "会见方式",
        "状态",
        "原因",
        "提交时间",
        "违约日期",
        "违约状态",
    ]
    assert sheet.max_row == 2
    row = [c.value for c in sheet[2]]
    no_show = book["no_show"]
    assert row[0] == datetime.combine(no_show.date, time()) and sheet.cell(2, 1).is_date
    assert row[1] == time(8, 30) and row[3] == "上海市第一看守所" and row[4] == no_show.detainee.name
    assert row[6] == "未到" and row[9] == datetime.combine(no_show.date, time()) and row[10] == "有效"
    assert isinstance(row[8], datetime)
    event = AuditEvent.objects.get(action="visits.records_export")
    assert event.actor_id == world.lawyer.pk
    assert event.after == {"filters": {"status": "no_show"}, "rows": 1, "scope": "lawyer"}


def test_a_refused_export_changes_nothing(world, login, book):
    assert login(world.lawyer).get(EXPORT, {"status": "lost"}).status_code == 400
    assert not AuditEvent.objects.filter(action="visits.records_export").exists()


# --- officers -------------------------------------------------------------------------------


def test_officer_sees_their_centres_records_with_the_lawyer(world, login, book):
    response = login(world.officer).get(RECORDS)
    assert response.status_code == 200
    expected = {b.pk for k, b in book.items() if k != "other_centre"}
    assert _ids(response) == expected
    text = response.content.decode()
    assert "王律师" in text and "深圳乙律师事务所" in text and world.other_lawyer.licence_no in text
    assert "上海甲律师事务所" in text and world.lawyer.licence_no in text
    assert "李四" not in text


def test_officer_of_another_centre_sees_none_of_them(world, login, book):
    response = login(world.other_officer).get(RECORDS)
    assert _ids(response) == {book["other_centre"].pk}
    assert login(world.other_officer).get(RECORDS, {"centre": world.centre.pk}).status_code == 404
    assert login(world.other_officer).get(EXPORT, {"centre": world.centre.pk}).status_code == 404
    api = login(world.other_officer).get(API, {"centre": world.centre.pk}, **bearer_for(world.other_officer))
    assert api.status_code == 404


def test_authority_officer_sees_the_centres_under_it(world, login, book):
    response = login(world.authority_officer).get(RECORDS)
    assert _ids(response) == {b.pk for b in book.values()}


def test_officer_searches_by_lawyer_name_or_licence(world, login, book):
    client = login(world.officer)
    assert _ids(client.get(RECORDS, {"q": "王律师"})) == {book["other_lawyer"].pk}
    assert _ids(client.get(RECORDS, {"q": world.other_lawyer.licence_no[-6:]})) == {book["other_lawyer"].pk}


def test_officer_export_names_the_lawyer_and_is_a_sensitive_read(world, login, book):
    response = login(world.officer).get(EXPORT, {"centre": world.centre.pk, "q": "王五"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]][-3:] == ["律师", "律师事务所", "执业证号"]
    assert sheet.max_row == 2
    assert [c.value for c in sheet[2]][-3:] == ["王律师", "深圳乙律师事务所", world.other_lawyer.licence_no]
    event = AuditEvent.objects.get(action="visits.records_export")
    assert event.actor_id == world.officer.pk and event.organisation_id == world.centre.pk
    assert event.after["scope"] == "staff" and event.after["rows"] == 1


@pytest.mark.parametrize("who", ["judge", "bureau_clerk", "auditor"])
def test_other_roles_are_refused(world, login, client, who):
    assert login(getattr(world, who)).get(RECORDS).status_code == 403
    assert login(getattr(world, who)).get(EXPORT).status_code == 403
    response = client.get(API, **bearer_for(getattr(world, who)))
    assert response.status_code == 403 and body(response)["code"] == "forbidden"


# --- API ---------------------------------------------------------------------------------------


def test_api_lists_the_lawyers_own_records_with_pages(client, world, book):
    data = body(client.get(API, {"limit": 3}, **bearer_for(world.lawyer)))
    assert data["count"] == 7 and len(data["items"]) == 3 and data["items"][0]["id"] == book["other_centre"].pk
    assert all(item["lawyer"] is None for item in data["items"])
    data = body(client.get(API, {"status": "violation"}, **bearer_for(world.lawyer)))
    [item] = data["items"]
    assert item["violation"]["status"] == "active" and item["status"] == "no_show"
    assert body(client.get(API, {"q": "张1"}, **bearer_for(world.lawyer)))["count"] == 1


def test_api_for_officers_names_the_lawyer(client, world, book):
    data = body(client.get(API, {"q": "王五"}, **bearer_for(world.officer)))
    [item] = data["items"]
    assert item["lawyer"] == {
        "id": world.other_lawyer.pk,
        "name": "王律师",
        "firm": "深圳乙律师事务所",
        "licence_no": world.other_lawyer.licence_no,
    }


# --- queries -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["lawyer", "officer"])
def test_queries_do_not_grow_with_the_records(world, login, clock, who):
    make_centre(world.centre)
    client = login(getattr(world, who))
    days = itertools.count()

    def more(n):
        for i in range(n):
            lawyer = world.lawyer if i % 2 else make_lawyer(world.firm)
            b = make_booking(lawyer, make_detainee(world.centre), date(2026, 5, 1) + timedelta(days=next(days)))
            if i % 3 == 0:
                b.status = "no_show"
                b.save()
                violation_for(b)

    more(3)
    client.get(RECORDS)
    few = queries(lambda: client.get(RECORDS))
    few_export = queries(lambda: client.get(EXPORT))
    few_api = queries(lambda: client.get(API, **bearer_for(world.lawyer if who == "lawyer" else world.officer)))
    more(30)
    assert queries(lambda: client.get(RECORDS)) == few
    assert queries(lambda: client.get(EXPORT)) == few_export
    assert queries(lambda: client.get(API, **bearer_for(world.lawyer if who == "lawyer" else world.officer))) == few_api
