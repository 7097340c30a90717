"""Electronic service (C9): the key's rules, the time of service written
once under concurrent signing, the periods it starts (across holidays) on
the lawyer's schedule, the proof of service, and who may do what."""

import re
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from lvshi.audit.models import AuditEvent
from lvshi.calendar.models import ScheduleEntry
from lvshi.calendar.workdays import SHANGHAI
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.courts.models import ServedDocument, ServedKind, ServiceStatus, SigningKey
from lvshi.courts.services import service as svc
from lvshi.notify import sms
from lvshi.notify.models import Delivery
from tests.threads import run_at_once

from .factories import court_of, direct_case, pdf


def serve(world, *, kind=ServedKind.JUDGMENT, lawyer=None):
    case = direct_case(court_of(world), judge=world.judge, lawyers=[lawyer or world.lawyer])
    return svc.document_serve(
        case=case,
        actor=Actor(world.clerk),
        recipient_id=(lawyer or world.lawyer).pk,
        kind=kind,
        title="民事判决书",
        upload=pdf("judgment.pdf"),
    )


def key_of(world, document, now=None) -> str:
    """Asks for a key and reads it from the SMS the lawyer got."""
    sms.outbox.clear()
    svc.key_send(document=document, actor=Actor(world.lawyer), now=now)
    delivery = Delivery.objects.filter(kind="document_key").latest("pk")
    from lvshi.notify.services import delivery_send

    delivery_send(delivery_id=delivery.pk)
    return re.search(r"签收密钥(\d{6})", sms.outbox[-1].body).group(1)


@pytest.fixture(autouse=True)
def _locmem_sms(settings):
    settings.SMS_BACKEND = "lvshi.notify.sms.LocmemSmsBackend"


def test_serving_tells_the_lawyer_and_the_court_sees_the_steps(world):
    document = serve(world)
    assert document.status == ServiceStatus.TO_SIGN and document.notification is not None
    assert document.notification.user == world.lawyer
    assert AuditEvent.objects.filter(action="courts.document_serve", object_id=str(document.pk)).exists()
    svc.document_open(document=document, actor=Actor(world.lawyer))
    svc.document_open(document=document, actor=Actor(world.lawyer))
    document.refresh_from_db()
    assert document.opened_at is not None
    assert AuditEvent.objects.filter(action="courts.document_open").count() == 1


def test_only_a_linked_lawyer_gets_a_document_and_only_a_pdf(world):
    case = direct_case(court_of(world), judge=world.judge, lawyers=[world.lawyer])
    with pytest.raises(DomainError) as refused:
        svc.document_serve(
            case=case,
            actor=Actor(world.clerk),
            recipient_id=world.other_lawyer.pk,
            kind="judgment",
            title="x",
            upload=pdf(),
        )
    assert refused.value.code == "recipient_invalid"
    from .factories import png

    with pytest.raises(DomainError) as refused:
        svc.document_serve(
            case=case, actor=Actor(world.clerk), recipient_id=world.lawyer.pk, kind="judgment", title="x", upload=png()
        )
    assert refused.value.code == "file_type"
    with pytest.raises(DomainError):
        svc.document_serve(
            case=case, actor=Actor(world.judge), recipient_id=world.lawyer.pk, kind="judgment", title="x", upload=pdf()
        )


def test_the_right_key_signs_and_the_signing_time_is_the_time_of_service(world):
    document = serve(world)
    key = key_of(world, document)
    assert len(key) == 6 and key.isdigit()
    now = timezone.now()
    svc.document_sign(document=document, actor=Actor(world.lawyer), key=key, now=now)
    document.refresh_from_db()
    assert document.status == ServiceStatus.SIGNED and document.signed_at == now
    with pytest.raises(DomainError) as again:
        svc.document_sign(document=document, actor=Actor(world.lawyer), key=key)
    assert again.value.code == "already_signed"


def test_a_key_expires_after_ten_minutes(world):
    document = serve(world)
    start = timezone.now()
    key = key_of(world, document, now=start)
    with pytest.raises(DomainError) as late:
        svc.document_sign(document=document, actor=Actor(world.lawyer), key=key, now=start + timedelta(minutes=10))
    assert late.value.code == "key_expired"
    svc.document_sign(
        document=document, actor=Actor(world.lawyer), key=key, now=start + timedelta(minutes=9, seconds=59)
    )


def test_the_sixth_try_is_refused_even_with_the_right_key(world):
    document = serve(world)
    key = key_of(world, document)
    wrong = "000000" if key != "000000" else "111111"
    for left in (4, 3, 2, 1, 0):
        with pytest.raises(DomainError) as refused:
            svc.document_sign(document=document, actor=Actor(world.lawyer), key=wrong)
        assert refused.value.code == "key_wrong" and refused.value.details["tries_left"] == left
    with pytest.raises(DomainError) as sixth:
        svc.document_sign(document=document, actor=Actor(world.lawyer), key=key)
    assert sixth.value.code == "key_locked"
    assert SigningKey.objects.get(document=document).tries == 5


@pytest.fixture
def keys_in_turn(monkeypatch):
    """Keys 111111, 222222, … in turn, so that two keys always differ."""
    digits = iter("123456789")
    monkeypatch.setattr(svc, "new_key", lambda: next(digits) * 6)


def test_a_new_key_voids_the_old_and_resending_is_rate_limited(world, keys_in_turn):
    document = serve(world)
    start = timezone.now()
    old = key_of(world, document, now=start)
    with pytest.raises(DomainError) as soon:
        svc.key_send(document=document, actor=Actor(world.lawyer), now=start + timedelta(seconds=30))
    assert soon.value.code == "key_too_soon" and soon.value.status == 409
    new = key_of(world, document, now=start + timedelta(seconds=61))
    assert (old, new) == ("111111", "222222")
    with pytest.raises(DomainError) as voided:
        svc.document_sign(document=document, actor=Actor(world.lawyer), key=old, now=start + timedelta(seconds=62))
    assert voided.value.code == "key_wrong"
    assert SigningKey.objects.filter(document=document, voided=True).count() == 1
    svc.document_sign(document=document, actor=Actor(world.lawyer), key=new, now=start + timedelta(seconds=63))


def test_a_key_of_one_document_is_refused_on_another(world, keys_in_turn):
    first, second = serve(world), serve(world)
    key = key_of(world, first)
    with pytest.raises(DomainError) as refused:
        svc.document_sign(document=second, actor=Actor(world.lawyer), key=key)
    assert refused.value.code == "key_missing"
    key_of(world, second)
    with pytest.raises(DomainError) as refused:
        svc.document_sign(document=second, actor=Actor(world.lawyer), key=key)
    assert refused.value.code == "key_wrong"
    svc.document_sign(document=first, actor=Actor(world.lawyer), key=key)


def test_another_lawyer_cannot_ask_for_a_key_or_sign(world):
    document = serve(world)
    with pytest.raises(DomainError):
        svc.key_send(document=document, actor=Actor(world.other_lawyer))
    key = key_of(world, document)
    with pytest.raises(DomainError):
        svc.document_sign(document=document, actor=Actor(world.other_lawyer), key=key)


def test_signing_at_once_writes_the_time_of_service_once(transactional_db, world):
    document = serve(world)
    key = key_of(world, document)

    def sign():
        try:
            svc.document_sign(document=ServedDocument.objects.get(pk=document.pk), actor=Actor(world.lawyer), key=key)
            return "signed"
        except DomainError as exc:
            return exc.code

    outcomes = run_at_once(sign, 8)
    assert outcomes.count("signed") == 1, outcomes
    assert set(outcomes) - {"signed"} <= {"already_signed", "key_used"}
    assert AuditEvent.objects.filter(action="courts.serveddocument_sign", object_id=str(document.pk)).count() == 1
    assert ScheduleEntry.objects.filter(lawyer=world.lawyer).count() == 1


def test_the_appeal_period_goes_on_the_schedule_past_the_holiday(world):
    # Served on 2026-09-21: fifteen days end on 2026-10-06, in the National Day holiday (10-01 to 10-07),
    # so the period ends on the first working day after it.
    document = serve(world)
    served = datetime(2026, 9, 21, 10, 0, tzinfo=SHANGHAI)
    key = key_of(world, document, now=served)
    svc.document_sign(document=document, actor=Actor(world.lawyer), key=key, now=served)
    document.refresh_from_db()
    assert document.deadline == date(2026, 10, 8)
    entry = ScheduleEntry.objects.get(lawyer=world.lawyer)
    assert entry.start.astimezone(SHANGHAI).date() == date(2026, 10, 8) and entry.can_attend
    assert "上诉期（15日）" in entry.text


def test_a_ruling_starts_ten_days_and_a_summons_none(world):
    ruling = serve(world, kind=ServedKind.RULING)
    served = datetime(2026, 11, 2, 10, 0, tzinfo=SHANGHAI)
    svc.document_sign(document=ruling, actor=Actor(world.lawyer), key=key_of(world, ruling, now=served), now=served)
    ruling.refresh_from_db()
    assert ruling.deadline == date(2026, 11, 12)
    summons = serve(world, kind=ServedKind.SUMMONS)
    svc.document_sign(document=summons, actor=Actor(world.lawyer), key=key_of(world, summons))
    summons.refresh_from_db()
    assert summons.deadline is None and ScheduleEntry.objects.filter(lawyer=world.lawyer).count() == 1
