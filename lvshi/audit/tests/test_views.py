"""The auditor's pages: scope, role, filters, paging, export, and every read
of the trail recorded in it."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lvshi.audit.models import AuditEvent, Result
from lvshi.audit.services import audit_record
from lvshi.orgs.models import Role
from tests.factories import MembershipFactory, UserFactory

EVENTS = reverse("audit:events")
EXPORT = reverse("audit:export")


@pytest.fixture
def trail(world):
    """One event in each corner of the organisation tree."""
    return {
        "firm": audit_record(
            action="visit.booking_create", actor=world.lawyer, organisation=world.firm, object_repr="甲所预约-001"
        ),
        "bureau": audit_record(
            action="bureau.approve",
            actor=world.bureau_clerk,
            organisation=world.sh_bureau,
            object_repr="上海审批-002",
            result=Result.DENIED,
        ),
        "other": audit_record(
            action="visit.booking_create",
            actor=world.other_lawyer,
            organisation=world.other_firm,
            object_repr="乙所预约-003",
        ),
        "centre": audit_record(
            action="visit.checkin", actor=world.officer, organisation=world.centre, object_repr="看守所签到-004"
        ),
        "platform": audit_record(action="system.setting", object_repr="平台设置-005"),
    }


def _shown(response) -> set[str]:
    text = response.content.decode()
    return {
        label
        for label in ("甲所预约-001", "上海审批-002", "乙所预约-003", "看守所签到-004", "平台设置-005")
        if label in text
    }


def test_auditor_sees_their_organisation_and_its_subtree_only(trail, world, login):
    response = login(world.auditor).get(EVENTS)
    assert response.status_code == 200
    assert _shown(response) == {"甲所预约-001", "上海审批-002"}


def test_org_admin_of_a_detention_authority_sees_its_centres(trail, world, login):
    admin = UserFactory(name="监所管理员")
    MembershipFactory(user=admin, organisation=world.authority, role=Role.ORG_ADMIN)
    response = login(admin).get(EVENTS)
    assert response.status_code == 200
    assert _shown(response) == {"看守所签到-004"}


def test_platform_admin_sees_everything(trail, world, login):
    response = login(world.admin).get(EVENTS)
    assert response.status_code == 200
    assert _shown(response) == {"甲所预约-001", "上海审批-002", "乙所预约-003", "看守所签到-004", "平台设置-005"}


@pytest.mark.parametrize("persona", ["lawyer", "officer", "judge", "bureau_clerk"])
def test_people_without_an_auditing_role_are_refused(trail, world, login, persona):
    client = login(getattr(world, persona))
    assert client.get(EVENTS).status_code == 403
    assert client.get(EXPORT).status_code == 403
    assert client.get(reverse("audit:event_detail", args=[trail["firm"].pk])).status_code == 404
    assert not AuditEvent.objects.filter(action__startswith="audit.").exists()


@pytest.mark.parametrize("url", [EVENTS, EXPORT, "detail"])
def test_anonymous_visitors_are_sent_to_sign_in(trail, client, url):
    if url == "detail":
        url = reverse("audit:event_detail", args=[trail["firm"].pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_viewing_the_list_is_itself_audited(trail, world, login):
    login(world.auditor).get(EVENTS, {"action": "visit.", "result": "ok"})
    event = AuditEvent.objects.get(action="audit.view_events")
    assert event.actor_id == world.auditor.pk
    assert event.organisation_id == world.sh_bureau.pk
    assert event.after == {"filters": {"action": "visit.", "result": "ok"}, "page": 1, "count": 1}
    assert event.ip == "127.0.0.1"


def test_filters_by_action_actor_result_and_dates(trail, world, login):
    client = login(world.admin)
    assert _shown(client.get(EVENTS, {"action": "visit."})) == {"甲所预约-001", "乙所预约-003", "看守所签到-004"}
    assert _shown(client.get(EVENTS, {"actor": "王律师"})) == {"乙所预约-003"}
    assert _shown(client.get(EVENTS, {"result": "denied"})) == {"上海审批-002"}
    today = timezone.localdate()
    assert len(_shown(client.get(EVENTS, {"date_from": today, "date_to": today}))) == 5
    assert _shown(client.get(EVENTS, {"date_to": today - timedelta(days=1)})) == set()
    assert _shown(client.get(EVENTS, {"date_from": today + timedelta(days=1)})) == set()


def test_bad_filters_are_explained_and_read_nothing(trail, world, login):
    client = login(world.auditor)
    today = timezone.localdate()
    response = client.get(EVENTS, {"date_from": today, "date_to": today - timedelta(days=3)})
    assert response.status_code == 400
    assert "开始日期不能晚于结束日期" in response.content.decode()
    assert client.get(EVENTS, {"date_from": "2026-13-45"}).status_code == 400
    assert client.get(EVENTS, {"result": "maybe"}).status_code == 400
    assert client.get(EXPORT, {"result": "maybe"}).status_code == 400
    assert _shown(response) == set()
    assert not AuditEvent.objects.filter(action__in=["audit.view_events", "audit.export_events"]).exists()


def test_detail_in_scope_is_shown_and_audited_other_scopes_are_404(trail, world, login):
    client = login(world.auditor)
    response = client.get(reverse("audit:event_detail", args=[trail["firm"].pk]))
    assert response.status_code == 200
    assert "甲所预约-001" in response.content.decode()
    read = AuditEvent.objects.get(action="audit.view_event")
    assert read.object_id == str(trail["firm"].pk)
    assert read.actor_id == world.auditor.pk

    for other in ("other", "centre", "platform"):
        assert client.get(reverse("audit:event_detail", args=[trail[other].pk])).status_code == 404
    assert client.get(reverse("audit:event_detail", args=[999999])).status_code == 404


def test_paging_and_bounded_queries(world, login, django_assert_max_num_queries):
    client = login(world.auditor)
    for i in range(5):
        audit_record(action="bulk.event", organisation=world.firm, object_repr=f"条目{i}")
    with django_assert_max_num_queries(20):
        assert client.get(EVENTS, {"action": "bulk."}).status_code == 200
    for i in range(5, 75):
        audit_record(action="bulk.event", organisation=world.firm, object_repr=f"条目{i}")
    with django_assert_max_num_queries(20):
        first = client.get(EVENTS, {"action": "bulk."})
    assert first.content.decode().count("条目") == 50
    second = client.get(EVENTS, {"action": "bulk.", "page": 2})
    assert second.content.decode().count("条目") == 25
    assert "第 2 / 2 页" in second.content.decode()


def test_htmx_requests_get_only_the_results(trail, world, login):
    response = login(world.auditor).get(EVENTS, {"action": "bureau."}, HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert response.status_code == 200
    assert 'id="audit-results"' in text
    assert "<html" not in text
    assert _shown(response) == {"上海审批-002"}


def test_export_of_the_filtered_list_is_an_audited_workbook(trail, world, login):
    audit_record(action="visit.note", organisation=world.firm, object_repr='=HYPERLINK("http://x")', message="=1+1")
    response = login(world.auditor).get(EXPORT, {"action": "visit."})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "事件编号"
    assert rows[0][5:7] == ("动作代码", "动作")
    assert all(row[6] == row[5] for row in rows[1:])  # these test actions have no name: their code shows
    reprs = {row[9] for row in rows[1:]}
    assert reprs == {"甲所预约-001", '=HYPERLINK("http://x")'}
    cells = [cell for row in sheet.iter_rows() for cell in row if str(cell.value).startswith("=")]
    assert cells and all(cell.data_type == "s" for cell in cells)

    export = AuditEvent.objects.get(action="audit.export_events")
    assert export.actor_id == world.auditor.pk
    assert export.after == {"filters": {"action": "visit."}, "rows": 2}
