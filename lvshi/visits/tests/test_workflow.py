"""The workflow mechanism (lvshi/audit/workflow.py) as the bindings use it:
a named permission per transition (403), a required reason, a lost race
answering wrong_status with nothing changed, the audit event in the same
transaction, the history read back in one query, and the overdue query."""

from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lvshi.audit.models import AuditEvent
from lvshi.audit.workflow import Transition, Workflow
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.visits import bindings as svc
from lvshi.visits import flows
from lvshi.visits.models import Binding, BindingStatus
from lvshi.visits.services import checkin

from .factories import make_detainee
from .test_bindings import submit

S = BindingStatus


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def pending(world, centre):
    return submit(world, make_detainee(world.centre))


def test_every_transition_names_a_permission_and_known_states():
    for t in svc.FLOW.transitions:
        assert t.permission.startswith("visits."), t.name
        assert {*t.sources, t.target} <= set(S.values)


def test_a_transition_someone_may_not_make_is_403_and_changes_nothing(world, pending):
    with pytest.raises(DomainError) as refused:
        svc.binding_pass(binding=pending, actor=Actor(world.lawyer))
    assert refused.value.status == 403
    with pytest.raises(DomainError) as other:
        svc.binding_pass(binding=pending, actor=Actor(world.other_officer))
    assert other.value.status == 403
    pending.refresh_from_db()
    assert pending.status == S.PENDING
    assert not AuditEvent.objects.filter(action="visits.binding_pass").exists()


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_transition_that_needs_a_reason_refuses_an_empty_one(world, pending, reason):
    with pytest.raises(DomainError) as refused:
        svc.FLOW.apply(pending, "return", actor=Actor(world.officer), reason=reason)
    assert refused.value.code == "reason_required"
    pending.refresh_from_db()
    assert pending.status == S.PENDING


def test_a_lost_race_is_wrong_status_with_nothing_changed(world, pending):
    stale = Binding.objects.get(pk=pending.pk)
    svc.binding_pass(binding=pending, actor=Actor(world.officer))
    events = AuditEvent.objects.count()
    with pytest.raises(DomainError) as lost:
        svc.binding_pass(binding=stale, actor=Actor(world.officer))
    assert lost.value.code == "wrong_status" and lost.value.status == 409
    assert str(S.VERIFYING.label) in lost.value.message
    stale.refresh_from_db()
    assert stale.status == S.VERIFYING
    assert AuditEvent.objects.count() == events


def test_history_says_who_when_from_to_and_why(world, pending, django_assert_num_queries):
    svc.binding_return(binding=pending, actor=Actor(world.officer), reason="委托书未签字")
    svc.binding_resubmit(binding=pending, actor=Actor(world.lawyer), documents={})
    svc.binding_pass(binding=pending, actor=Actor(world.officer))
    with django_assert_num_queries(1):
        steps = svc.FLOW.history(pending)
    assert [(s.transition, s.source, s.target) for s in steps] == [
        ("return", S.PENDING, S.RETURNED),
        ("resubmit", S.RETURNED, S.PENDING),
        ("pass", S.PENDING, S.VERIFYING),
    ]
    assert steps[0].actor == world.officer.name and steps[0].reason == "委托书未签字"
    assert steps[1].actor_id == world.lawyer.pk
    assert steps[0].at <= steps[1].at <= steps[2].at


def test_the_overdue_query_finds_objects_past_their_states_deadline(world, centre):
    flow = Workflow(
        Binding,
        transitions=svc.FLOW.transitions,
        deadlines={S.PENDING: timedelta(days=3)},
        entered_field="submitted_at",
    )
    late = submit(world, make_detainee(world.centre))
    fresh = submit(world, make_detainee(world.centre))
    Binding.objects.filter(pk=late.pk).update(submitted_at=timezone.now() - timedelta(days=4))
    assert list(flow.overdue()) == [late]
    assert fresh not in flow.overdue()


def test_a_declaration_with_an_unknown_state_or_a_repeated_name_is_refused():
    with pytest.raises(ValueError, match="unknown states"):
        Workflow(Binding, transitions=[Transition("x", sources=["nowhere"], target=S.ACTIVE, verb="x", permission="p")])
    t = Transition("x", sources=[S.PENDING], target=S.ACTIVE, verb="x", permission="p")
    with pytest.raises(ValueError, match="declared twice"):
        Workflow(Binding, transitions=[t, t])


def test_the_history_is_on_the_review_page_and_in_the_api(world, pending, login, client):
    from lvshi.accounts.models import ApiToken
    from lvshi.core import crypto

    svc.binding_return(binding=pending, actor=Actor(world.officer), reason="委托书未签字")
    page = login(world.officer).get(reverse("visits:binding_review", args=[pending.pk]))
    body = page.content.decode()
    assert "办理记录" in body and "委托书未签字" in body
    ApiToken.objects.create(
        user=world.lawyer, key_hash=crypto.token_hash("h1"), expires_at=timezone.now() + timedelta(hours=1)
    )
    response = client.get(f"/api/v1/visits/bindings/{pending.pk}/history", HTTP_AUTHORIZATION="Bearer h1")
    assert response.status_code == 200
    [step] = response.json()
    assert step["transition"] == "return" and step["source"] == "pending" and step["target"] == "returned"
    assert step["reason"] == "委托书未签字" and step["actor"] == world.officer.name


def test_complaints_use_the_same_mechanism_and_show_their_history(world, login):
    from lvshi.visits.models import ComplaintStatus
    from lvshi.visits.services import complaints

    complaint = complaints.complaint_create(
        actor=Actor(world.officer),
        centre=world.centre,
        caller_name="王某",
        caller_phone="13800138000",
        category="booking",
        content="预约后被临时取消",
    )
    complaints.complaint_handle(actor=Actor(world.officer), complaint=complaint, handling="已核实")
    complaints.complaint_answer(actor=Actor(world.officer), complaint=complaint, answer="已恢复预约")
    with pytest.raises(DomainError) as refused:
        complaints.complaint_close(actor=Actor(world.other_officer), complaint=complaint)
    assert refused.value.status == 403
    complaints.complaint_reopen(actor=Actor(world.officer), complaint=complaint, reason="来电人不满意")
    steps = complaints.FLOW.history(complaint)
    assert [s.transition for s in steps] == ["handle", "answer", "reopen"]
    assert steps[-1].reason == "来电人不满意" and steps[-1].target == ComplaintStatus.HANDLING
    body = login(world.officer).get(reverse("visits:complaint_detail", args=[complaint.pk])).content.decode()
    assert "办理记录" in body and "来电人不满意" in body


def test_only_a_reviewing_officer_approves_a_booking(world, clock, centre, detainee, client):
    from datetime import date, time

    from lvshi.visits import services
    from lvshi.visits.models import BookingStatus

    [booking] = services.booking_create(
        actor=Actor(world.lawyer), detainee=detainee, date=date(2026, 9, 29), slot_start=time(8, 30)
    )
    for outsider in (world.lawyer, world.other_officer):
        with pytest.raises(DomainError) as refused:
            services.booking_approve(booking=booking, actor=Actor(outsider))
        assert refused.value.status == 403
    booking.refresh_from_db()
    assert booking.status == BookingStatus.UNDER_REVIEW
    services.booking_approve(booking=booking, actor=Actor(world.officer))
    assert [s.transition for s in flows.BOOKING.history(booking)] == ["approve"]

    from lvshi.accounts.models import ApiToken
    from lvshi.core import crypto

    ApiToken.objects.create(
        user=world.lawyer, key_hash=crypto.token_hash("b1"), expires_at=timezone.now() + timedelta(hours=1)
    )
    [step] = client.get(f"/api/v1/visits/bookings/{booking.pk}/history", HTTP_AUTHORIZATION="Bearer b1").json()
    assert (step["transition"], step["source"], step["target"]) == ("approve", "under_review", "approved")


def test_no_module_writes_a_declared_status_field_directly():
    """Bookings, bindings, complaints, waitlist entries, appeals, violations and locks change status only through their
    workflow (flows.py); a direct ``.update(status=…)`` would skip its rules."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    direct = re.compile(
        r"(Booking|Binding|Complaint|WaitlistEntry)\.objects\.[^;]{0,200}?\.update\([^)]*\bstatus=", re.S
    )
    offenders = [
        p.name for p in root.glob("*.py") if direct.search(p.read_text(encoding="utf-8")) and p.name != "flows.py"
    ]
    assert not offenders


def test_appeals_and_locks_show_their_history_to_the_lawyer_and_the_authority(world, client):
    from lvshi.visits.models import BookingLock
    from lvshi.visits.services import checkin
    from tests.test_access import bearer_for

    from .access_lockouts import violation_of

    violation = violation_of(world.lawyer, world.centre)
    appeal = checkin.violation_appeal(actor=Actor(world.lawyer), violation=violation, text="当日突发疾病")
    checkin.appeal_decide(actor=Actor(world.authority_officer), appeal=appeal, uphold=False, note="未附证明")
    for user in (world.lawyer, world.authority_officer):
        [step] = client.get(f"/api/v1/visits/appeals/{appeal.pk}/history", **bearer_for(user)).json()
        assert (step["transition"], step["source"], step["target"]) == ("reject", "pending", "rejected")
        assert step["reason"] == "未附证明"
    assert (
        client.get(f"/api/v1/visits/appeals/{appeal.pk}/history", **bearer_for(world.other_lawyer)).status_code == 404
    )

    today = timezone.localdate()
    lock = BookingLock.objects.create(
        lawyer=world.lawyer,
        centre=world.centre,
        starts_on=today,
        ends_on=today + timedelta(days=180),
        reason="累计违约3次",
    )
    checkin.lock_lift(actor=Actor(world.authority_officer), lock=lock, reason="材料核实无误")
    [step] = client.get(f"/api/v1/visits/locks/{lock.pk}/history", **bearer_for(world.lawyer)).json()
    assert (step["transition"], step["target"], step["reason"]) == ("lift", "lifted", "材料核实无误")


def test_a_waitlist_entry_shows_its_history_to_its_lawyer(world, clock, centre, detainee, client):
    from lvshi.visits.models import WaitlistEntry, WaitlistStatus
    from lvshi.visits.services import waitlist
    from tests.test_access import bearer_for

    entry = WaitlistEntry.objects.create(
        lawyer=world.lawyer,
        detainee=detainee,
        centre=world.centre,
        date=date(2026, 9, 30),
        start=time(8, 30),
        end=time(11, 0),
        created_at=timezone.now(),
        status=WaitlistStatus.WAITING,
    )
    waitlist.waitlist_leave(actor=Actor(world.lawyer), entry=entry)
    [step] = client.get(f"/api/v1/visits/waitlist/{entry.pk}/history", **bearer_for(world.lawyer)).json()
    assert (step["transition"], step["source"], step["target"]) == ("leave", "waiting", "cancelled")
    assert (
        client.get(f"/api/v1/visits/waitlist/{entry.pk}/history", **bearer_for(world.other_lawyer)).status_code == 404
    )


def test_the_appeal_and_lock_pages_show_their_history(world, login):
    from lvshi.visits.models import BookingLock

    from .access_lockouts import violation_of

    violation = violation_of(world.lawyer, world.centre)
    appeal = checkin.violation_appeal(actor=Actor(world.lawyer), violation=violation, text="当日突发疾病")
    page = login(world.authority_officer)
    assert "办理记录" in page.get(reverse("visits:appeal_decide", args=[appeal.pk])).content.decode()
    today = timezone.localdate()
    lock = BookingLock.objects.create(
        lawyer=world.lawyer, centre=world.centre, starts_on=today, ends_on=today + timedelta(days=30), reason="违约"
    )
    assert "办理记录" in page.get(reverse("visits:lock_lift", args=[lock.pk])).content.decode()
