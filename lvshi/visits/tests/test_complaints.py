"""The complaints line (V16): logging calls, the state machine, overdue
complaints, search and export."""

import io
import json
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lvshi.audit.models import AuditEvent
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError, PermissionDenied
from lvshi.notify.models import Notification
from lvshi.visits.models import Complaint, ComplaintStatus
from lvshi.visits.services import complaints
from tests.test_access import _foreign_centre, bearer_for

from .conftest import SHANGHAI
from .factories import make_lawyer


def body(response) -> dict:
    return json.loads(response.content)


def log(world, actor=None, centre=None, **kwargs):
    values = {
        "caller_name": "张先生",
        "caller_phone": "13812345678",
        "category": "booking",
        "content": "预约通过后被临时取消，没有说明原因。",
        **kwargs,
    }
    return complaints.complaint_create(actor=Actor(actor or world.officer), centre=centre or world.centre, **values)


def in_status(world, status, **kwargs) -> Complaint:
    c = log(world, **kwargs)
    if status == "open":
        return c
    c = complaints.complaint_handle(actor=Actor(world.officer), complaint=c, handling="已联系值班民警核实")
    if status == "handling":
        return c
    c = complaints.complaint_answer(actor=Actor(world.officer), complaint=c, answer="系当日提审冲突，已向来电人说明")
    if status == "answered":
        return c
    return complaints.complaint_close(actor=Actor(world.officer), complaint=c)


# --- logging ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phone",
    [
        "13812345678",
        "19912345678",
        "+8613812345678",
        "138 1234 5678",
        "021-12345678",
        "02112345678",
        "0571-8888888",
        "010-12345678-123",
    ],
)
def test_mainland_mobile_and_landline_numbers_are_accepted(world, clock, phone):
    assert log(world, caller_phone=phone).caller_phone == phone.replace(" ", "").removeprefix("+86")


@pytest.mark.parametrize(
    "phone",
    [
        "1381234567",
        "138123456789",
        "12812345678",
        "021-1234567890",
        "21-12345678",
        "0571-888888",
        "021-0234567",
        "abc",
        "",
    ],
)
def test_malformed_numbers_are_refused(world, clock, phone):
    with pytest.raises(DomainError) as exc:
        log(world, caller_phone=phone)
    assert exc.value.code == "phone_invalid"
    assert not Complaint.objects.exists()


def test_received_at_defaults_to_now_and_may_not_be_in_the_future(world, clock):
    assert log(world).received_at == clock.now
    assert log(world, received_at=clock.now).received_at == clock.now
    with pytest.raises(DomainError) as exc:
        log(world, received_at=clock.now + timedelta(seconds=1))
    assert exc.value.code == "received_in_future"
    assert Complaint.objects.count() == 2


def test_a_lawyer_account_is_found_by_licence_number(world, clock):
    c = log(world, lawyer_licence_no=world.lawyer.licence_no)
    assert c.lawyer == world.lawyer
    for wrong, code in (
        ("1" * 17, "lawyer_not_found"),
        ("123", "licence_invalid"),
        (world.officer.pk, "licence_invalid"),
    ):
        with pytest.raises(DomainError) as exc:
            log(world, lawyer_licence_no=str(wrong))
        assert exc.value.code == code
    assert Complaint.objects.count() == 1


def test_officers_log_for_their_centre_and_authority_officers_for_centres_below(world, clock):
    log(world, actor=world.officer, centre=world.centre)
    log(world, actor=world.authority_officer, centre=world.other_centre)
    for actor, centre in (
        (world.officer, world.other_centre),
        (world.authority_officer, _foreign_centre()),
        (world.lawyer, world.centre),
        (world.authority_officer, world.authority),  # not a centre
    ):
        with pytest.raises(PermissionDenied):
            log(world, actor=actor, centre=centre)
    assert Complaint.objects.count() == 2
    assert AuditEvent.objects.filter(action="visits.complaint_create").count() == 2


# --- the state machine ---------------------------------------------------------------------------

ALLOWED = {"handle": {"open"}, "answer": {"handling"}, "close": {"answered"}, "reopen": {"answered"}}
TARGET = {"handle": "handling", "answer": "answered", "close": "closed", "reopen": "handling"}


@pytest.mark.parametrize("action", sorted(ALLOWED))
@pytest.mark.parametrize("status", ["open", "handling", "answered", "closed"])
def test_each_transition_starts_only_from_its_states(client, world, clock, action, status):
    c = in_status(world, status)
    headers = bearer_for(world.officer)
    events = AuditEvent.objects.count()
    response = client.post(
        f"/api/v1/visits/complaints/{c.pk}/{action}",
        {"text": "来电人补充了情况"},
        content_type="application/json",
        **headers,
    )
    c.refresh_from_db()
    if status in ALLOWED[action]:
        assert response.status_code == 200, response.content
        assert c.status == TARGET[action] == body(response)["status"]
        event = AuditEvent.objects.get(action=f"visits.complaint_{action}")
        assert event.before["status"] == status and event.after["status"] == TARGET[action]
    else:
        assert response.status_code == 409
        assert body(response)["code"] == "wrong_status"
        assert c.status == status and AuditEvent.objects.count() == events


@pytest.mark.parametrize(("action", "status"), [("handle", "open"), ("answer", "handling"), ("reopen", "answered")])
def test_handling_answer_and_reopen_need_their_text(client, world, clock, action, status):
    c = in_status(world, status)
    response = client.post(
        f"/api/v1/visits/complaints/{c.pk}/{action}",
        {"text": "  "},
        content_type="application/json",
        **bearer_for(world.officer),
    )
    assert response.status_code == 400
    assert body(response)["code"].endswith("_required") and body(response)["message"].startswith("请填写")
    c.refresh_from_db()
    assert c.status == status


def test_the_whole_way_with_a_reopen(world, clock):
    c = in_status(world, "answered", lawyer_licence_no=world.lawyer.licence_no)
    assert c.answered_at == clock.now and c.handled_by == world.officer
    c = complaints.complaint_reopen(actor=Actor(world.authority_officer), complaint=c, reason="来电人对答复不满意")
    assert c.status == ComplaintStatus.HANDLING and c.answered_at is None
    assert "来电人对答复不满意" in c.handling and "已联系值班民警核实" in c.handling
    clock.set_local(2026, 9, 29, 9, 0)
    c = complaints.complaint_answer(actor=Actor(world.officer), complaint=c, answer="已安排次日补约")
    c = complaints.complaint_close(actor=Actor(world.officer), complaint=c)
    assert c.status == ComplaintStatus.CLOSED and c.closed_at == clock.now
    told = Notification.objects.filter(user=world.lawyer, kind="visit_complaint_answered").order_by("pk")
    assert [n.body.rsplit("：", 1)[1] for n in told] == ["系当日提审冲突，已向来电人说明", "已安排次日补约"]


def test_a_complaint_without_a_lawyer_notifies_nobody(world, clock):
    in_status(world, "answered")
    assert not Notification.objects.filter(kind="visit_complaint_answered").exists()


def test_an_officer_of_another_centre_cannot_move_it(world, clock):
    c = log(world)
    with pytest.raises(PermissionDenied):
        complaints.complaint_handle(actor=Actor(world.other_officer), complaint=c, handling="越权")
    c.refresh_from_db()
    assert c.status == ComplaintStatus.OPEN


# --- overdue -------------------------------------------------------------------------------------


def test_overdue_after_exactly_three_working_days_across_the_holiday(world, clock, login):
    # Received Monday 28 September 2026; working days after it: 29 and 30
    # September, then 8 October (1–7 October is the National Day holiday).
    clock.set_local(2026, 9, 28, 18, 0)
    c = log(world, received_at=datetime(2026, 9, 28, 16, 0, tzinfo=SHANGHAI))
    handling = log(world, received_at=datetime(2026, 9, 28, 9, 0, tzinfo=SHANGHAI))
    complaints.complaint_handle(actor=Actor(world.officer), complaint=handling, handling="正在核实")
    answered = in_status(world, "answered", received_at=datetime(2026, 9, 28, 9, 0, tzinfo=SHANGHAI))

    clock.set_local(2026, 10, 8, 23, 59)  # the third working day: still due
    assert complaints.overdue_ids(Complaint.objects.all(), datetime(2026, 10, 8).date()) == set()
    response = login(world.officer).get(reverse("visits:complaints"))
    assert response.status_code == 200 and f'id="complaint-{c.pk}"' in response.content.decode()
    assert 'class="overdue"' not in response.content.decode()

    clock.set_local(2026, 10, 9, 0, 0)
    assert complaints.overdue_ids(Complaint.objects.all(), datetime(2026, 10, 9).date()) == {c.pk, handling.pk}
    client = login(world.officer)
    html = client.get(reverse("visits:complaints")).content.decode()
    assert f'<tr id="complaint-{c.pk}" class="overdue">' in html
    assert f'<tr id="complaint-{answered.pk}">' in html
    only = client.get(reverse("visits:complaints") + "?overdue=1").content.decode()
    assert only.count('class="overdue"') == 2 and f'id="complaint-{answered.pk}"' not in only


def test_the_make_up_saturday_counts_as_a_working_day(world, clock):
    clock.set_local(2026, 9, 30, 18, 0)
    tuesday = log(world, received_at=datetime(2026, 9, 29, 9, 0, tzinfo=SHANGHAI))
    wednesday = log(world, received_at=datetime(2026, 9, 30, 9, 0, tzinfo=SHANGHAI))
    # 29 September is due by 9 October; 30 September by Saturday 10 October (调休上班).
    assert complaints.overdue_ids([tuesday, wednesday], datetime(2026, 10, 9).date()) == set()
    assert complaints.overdue_ids([tuesday, wednesday], datetime(2026, 10, 10).date()) == {tuesday.pk}
    assert complaints.overdue_ids([tuesday, wednesday], datetime(2026, 10, 11).date()) == {tuesday.pk, wednesday.pk}


# --- lists, search, export, scope -------------------------------------------------------------------


def test_the_list_counts_every_status_and_searches(world, clock, login):
    for status in ("open", "open", "handling", "answered", "closed"):
        in_status(world, status)
    log(world, caller_name="王女士", content="视频会见断线")
    log(world, actor=world.other_officer, centre=world.other_centre, caller_name="别所来电")
    client = login(world.officer)
    response = client.get(reverse("visits:complaints"))
    tabs = {t["status"]: t["count"] for t in response.context["tabs"]}
    assert tabs == {"": 6, "open": 3, "handling": 1, "answered": 1, "closed": 1}
    assert "别所来电" not in response.content.decode()
    found = client.get(reverse("visits:complaints") + "?q=视频会见").content.decode()
    assert "王女士" in found and found.count('<tr id="complaint-') == 1
    closed = client.get(reverse("visits:complaints") + "?status=closed").content.decode()
    assert closed.count('<tr id="complaint-') == 1
    # The authority sees both centres.
    authority = login(world.authority_officer).get(reverse("visits:complaints"))
    assert {t["status"]: t["count"] for t in authority.context["tabs"]}[""] == 7


def test_the_export_is_the_filtered_list_and_is_audited(world, clock, login):
    in_status(world, "answered", caller_name="=HYPERLINK(1)")
    log(world, caller_name="王女士")
    log(world, actor=world.other_officer, centre=world.other_centre, caller_name="别所来电")
    client = login(world.officer)
    response = client.get(reverse("visits:complaints_export") + "?status=open")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "编号" and [r[3] for r in rows[1:]] == ["王女士"]
    event = AuditEvent.objects.get(action="visits.complaints_export")
    assert event.actor_id == world.officer.pk
    assert event.after == {"filters": {"status": "open"}, "rows": 1}

    everything = client.get(reverse("visits:complaints_export"))
    rows = list(load_workbook(io.BytesIO(everything.content)).active.iter_rows(values_only=True))
    assert sorted(r[3] for r in rows[1:]) == ["=HYPERLINK(1)", "王女士"]
    assert load_workbook(io.BytesIO(everything.content)).active.cell(row=3, column=4).data_type == "s"
    assert AuditEvent.objects.filter(action="visits.complaints_export").count() == 2


def test_other_centres_complaints_are_not_found(client, world, clock, login):
    c = log(world)
    page = login(world.other_officer)
    assert page.get(reverse("visits:complaint_detail", args=[c.pk])).status_code == 404
    assert page.post(reverse("visits:complaint_action", args=[c.pk, "handle"]), {"text": "越权"}).status_code == 404
    assert login(world.authority_officer).get(reverse("visits:complaint_detail", args=[c.pk])).status_code == 200
    api = client.get(f"/api/v1/visits/complaints/{c.pk}", **bearer_for(world.other_officer))
    assert api.status_code == 404
    assert login(world.lawyer).get(reverse("visits:complaints")).status_code == 403
    c.refresh_from_db()
    assert c.status == ComplaintStatus.OPEN


def test_pages_log_and_move_a_complaint(world, clock, login):
    client = login(world.officer)
    data = {
        "centre": world.centre.pk,
        "received_at": "2026-09-28T09:30",
        "caller_name": "张先生",
        "caller_phone": "021-12345678",
        "lawyer_licence_no": "",
        "category": "meeting",
        "content": "会见室不够用",
    }
    response = client.post(reverse("visits:complaint_new"), data)
    assert response.status_code == 302, response.content.decode()
    c = Complaint.objects.get()
    assert c.received_at == datetime(2026, 9, 28, 9, 30, tzinfo=SHANGHAI)
    refused = client.post(reverse("visits:complaint_action", args=[c.pk, "answer"]), {"text": "先答复"})
    assert refused.status_code == 409 and "不能答复" in refused.content.decode()
    empty = client.post(reverse("visits:complaint_action", args=[c.pk, "handle"]), {"text": ""})
    assert empty.status_code == 400 and "请填写处理情况" in empty.content.decode()
    ok = client.post(reverse("visits:complaint_action", args=[c.pk, "handle"]), {"text": "已转交值班室"})
    assert ok.status_code == 302
    c.refresh_from_db()
    assert c.status == ComplaintStatus.HANDLING and c.handling == "已转交值班室"
    bad = dict(data, caller_phone="12345", received_at="2026-09-28T09:45")
    response = client.post(reverse("visits:complaint_new"), bad)
    assert response.status_code == 200 and "联系电话格式不正确" in response.content.decode()
    assert Complaint.objects.count() == 1


def test_api_logs_and_lists_with_counts(client, world, clock):
    payload = {
        "centre_id": world.centre.pk,
        "caller_name": "张先生",
        "caller_phone": "13812345678",
        "lawyer_licence_no": world.lawyer.licence_no,
        "category": "conduct",
        "content": "接待态度差",
    }
    response = client.post(
        "/api/v1/visits/complaints", payload, content_type="application/json", **bearer_for(world.officer)
    )
    assert response.status_code == 201, response.content
    assert body(response)["lawyer_id"] == world.lawyer.pk and body(response)["actions"] == ["handle"]
    other = dict(payload, centre_id=world.other_centre.pk)
    response = client.post(
        "/api/v1/visits/complaints", other, content_type="application/json", **bearer_for(world.officer)
    )
    assert response.status_code == 400 and body(response)["code"] == "centre_out_of_scope"
    listed = body(client.get("/api/v1/visits/complaints?status=open", **bearer_for(world.officer)))
    assert listed["count"] == 1 and listed["counts"]["open"] == 1 and listed["counts"]["closed"] == 0
    assert body(client.get("/api/v1/visits/complaints", **bearer_for(world.other_officer)))["count"] == 0


def test_the_list_query_count_does_not_grow(world, clock, login, django_assert_max_num_queries):
    client = login(world.authority_officer)
    in_status(world, "answered", lawyer_licence_no=world.lawyer.licence_no)
    with django_assert_max_num_queries(25) as few:
        client.get(reverse("visits:complaints"))
    for i in range(15):
        lawyer = make_lawyer(world.firm)
        in_status(world, ("open", "handling", "answered")[i % 3], lawyer_licence_no=lawyer.licence_no)
        log(world, actor=world.other_officer, centre=world.other_centre)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("visits:complaints"))
    assert response.content.decode().count('<tr id="complaint-') == 20
