"""Materials (C4), evidence exchange (C5) and messages to the judge (C10):
the rules of each, and the workbench's queues."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lvshi.audit.models import AuditEvent
from lvshi.calendar.workdays import SHANGHAI
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.courts import deadlines, selectors
from lvshi.courts.models import ExchangeRecipient, Material, MaterialStatus, Thread
from lvshi.courts.services import exchanges, materials, messages
from lvshi.notify.models import Notification

from .casework_factories import exchange, staff_case, thread
from .factories import pdf, png


def test_materials_several_at_once_and_deleted_only_before_the_court_decides(world):
    case, _judge, clerk = staff_case(world, world.lawyer)
    rows = materials.material_add(case=case, actor=Actor(world.lawyer), title="补充证据", uploads=[pdf(), png(), pdf()])
    assert [r.title for r in rows] == ["补充证据（1）", "补充证据（2）", "补充证据（3）"]
    materials.material_decide(actor=Actor(clerk), ids=[rows[0].pk], receive=True)
    with pytest.raises(DomainError) as refused:
        materials.material_delete(actor=Actor(world.lawyer), ids=[rows[0].pk, rows[1].pk])
    assert refused.value.code == "material_decided" and Material.objects.count() == 3
    assert materials.material_delete(actor=Actor(world.lawyer), ids=[rows[1].pk, rows[2].pk]) == 2
    assert list(Material.objects.values_list("status", flat=True)) == [MaterialStatus.RECEIVED]


def test_a_lawyer_not_on_the_case_cannot_add_or_delete(world):
    case, _judge, _clerk = staff_case(world, world.lawyer)
    with pytest.raises(DomainError):
        materials.material_add(case=case, actor=Actor(world.other_lawyer), title="x", uploads=[pdf()])
    row = materials.material_add(case=case, actor=Actor(world.lawyer), title="x", uploads=[pdf()])[0]
    with pytest.raises(DomainError):
        materials.material_delete(actor=Actor(world.other_lawyer), ids=[row.pk])


def test_the_clerk_returns_a_batch_with_a_reason_and_the_lawyer_is_told(world, django_capture_on_commit_callbacks):
    case, _judge, clerk = staff_case(world, world.lawyer)
    rows = materials.material_add(case=case, actor=Actor(world.lawyer), title="证据", uploads=[pdf(), pdf()])
    with pytest.raises(DomainError):
        materials.material_decide(actor=Actor(clerk), ids=[r.pk for r in rows], receive=False, reason="")
    with django_capture_on_commit_callbacks(execute=True):
        moved = materials.material_decide(
            actor=Actor(clerk), ids=[r.pk for r in rows], receive=False, reason="复印件不清晰"
        )
    assert moved == 2
    assert set(Material.objects.values_list("status", "return_reason")) == {(MaterialStatus.RETURNED, "复印件不清晰")}
    assert Notification.objects.filter(user=world.lawyer, kind="material_returned").count() == 2
    with pytest.raises(DomainError):
        materials.material_decide(actor=Actor(world.judge), ids=[rows[0].pk], receive=True)


def test_opinions_draft_then_submit_once_before_the_deadline(world):
    ex = exchange(world, world.lawyer)
    recipient = ExchangeRecipient.objects.get(exchange=ex, lawyer=world.lawyer)
    item = ex.items.get()
    exchanges.opinions_save(
        recipient=recipient, actor=Actor(world.lawyer), opinions={item.pk: {"authenticity": "agree"}}
    )
    with pytest.raises(DomainError) as incomplete:
        exchanges.opinions_submit(recipient=recipient, actor=Actor(world.lawyer))
    assert incomplete.value.code == "opinions_incomplete"
    full = {"authenticity": "agree", "legality": "disagree", "relevance": "partly", "comment": "来源不明"}
    exchanges.opinions_save(recipient=recipient, actor=Actor(world.lawyer), opinions={item.pk: full})
    exchanges.opinions_submit(recipient=recipient, actor=Actor(world.lawyer))
    with pytest.raises(DomainError) as again:
        exchanges.opinions_save(recipient=recipient, actor=Actor(world.lawyer), opinions={item.pk: full})
    assert again.value.code == "already_submitted"
    with pytest.raises(DomainError):
        exchanges.opinions_save(
            recipient=recipient, actor=Actor(world.lawyer), opinions={item.pk: {"authenticity": "maybe"}}
        )


def test_after_the_deadline_the_exchange_is_closed(world):
    ex = exchange(world, world.lawyer)
    recipient = ExchangeRecipient.objects.select_related("exchange").get(exchange=ex, lawyer=world.lawyer)
    later = ex.deadline + timedelta(seconds=1)
    with pytest.raises(DomainError) as closed:
        exchanges.opinions_save(
            recipient=recipient, actor=Actor(world.lawyer), opinions={ex.items.get().pk: {}}, now=later
        )
    assert closed.value.code == "exchange_closed"
    with pytest.raises(DomainError):
        exchanges.opinions_submit(recipient=recipient, actor=Actor(world.lawyer), now=later)


def test_each_side_sees_only_what_it_was_sent_and_the_judge_sees_both(world, login):
    ex = exchange(world, world.lawyer, others=[world.other_lawyer])
    lone = exchange(world, world.lawyer)
    assert login(world.other_lawyer).get(reverse("courts:exchange", args=[lone.pk])).status_code == 404
    for lawyer, stance in ((world.lawyer, "agree"), (world.other_lawyer, "disagree")):
        recipient = ExchangeRecipient.objects.get(exchange=ex, lawyer=lawyer)
        opinion = {"authenticity": stance, "legality": stance, "relevance": stance, "comment": lawyer.name}
        exchanges.opinions_save(recipient=recipient, actor=Actor(lawyer), opinions={ex.items.get().pk: opinion})
        exchanges.opinions_submit(recipient=recipient, actor=Actor(lawyer))
    page = login(world.judge).get(reverse("courts:court_exchange", args=[ex.pk])).content.decode()
    assert "认可" in page and "不认可" in page and world.other_lawyer.name in page
    pdf_response = login(world.judge).get(reverse("courts:exchange_pdf", args=[ex.pk]))
    assert pdf_response.status_code == 200 and pdf_response.content.startswith(b"%PDF")


def test_a_message_thread_and_the_unanswered_on_the_workbench(world, settings):
    settings.COURT_MESSAGE_REPLY_DAYS = 3
    t = thread(world, world.lawyer)
    assert Notification.objects.filter(user=world.judge, kind="message_new").exists()
    assert selectors.workbench_counts(world.judge)["messages"] == 1
    # Waiting since more than three working days: overdue.
    Thread.objects.filter(pk=t.pk).update(waiting_since=timezone.now() - timedelta(days=10))
    world.judge.__dict__.pop("_courts_workbench", None)
    assert selectors.workbench_counts(world.judge)["messages_overdue"] == 1
    messages.thread_post(thread=t, actor=Actor(world.judge), text="已收到，准许。")
    t.refresh_from_db()
    assert t.waiting_since is None and t.messages.count() == 2
    assert Notification.objects.filter(user=world.lawyer, kind="message_reply").exists()
    messages.thread_post(thread=t, actor=Actor(world.lawyer), text="谢谢。", uploads=[pdf()])
    t.refresh_from_db()
    assert t.waiting_since is not None and t.messages.last().attachments.count() == 1
    with pytest.raises(DomainError):
        messages.thread_post(thread=t, actor=Actor(world.clerk), text="我来回复")
    assert AuditEvent.objects.filter(action__startswith="courts.message_").count() == 3


def test_working_days_before_skips_the_holiday(db):
    # 2026-10-09 (Friday): three working days back skip the National Day holiday and its weekend.
    now = datetime(2026, 10, 9, 10, 0, tzinfo=SHANGHAI)
    assert deadlines.working_days_before(3, now=now).date() == datetime(2026, 9, 29).date()


def test_lawyer_pages_answer(world, login):
    ex = exchange(world, world.lawyer)
    t = thread(world, world.lawyer)
    client = login(world.lawyer)
    for url in (
        reverse("courts:exchanges"),
        reverse("courts:exchange", args=[ex.pk]),
        reverse("courts:threads"),
        reverse("courts:thread", args=[t.pk]),
        reverse("courts:thread_new"),
        reverse("courts:documents"),
        reverse("courts:file_reviews"),
        reverse("courts:materials", args=[t.case_id]),
    ):
        assert client.get(url).status_code == 200, url
    response = client.post(reverse("courts:exchange", args=[ex.pk]), {f"authenticity_{ex.items.get().pk}": "agree"})
    assert response.status_code == 302
    response = client.post(reverse("courts:exchange", args=[ex.pk]), {"submit": "1"})
    assert response.status_code == 400 and "还有1份证据" in response.content.decode()
