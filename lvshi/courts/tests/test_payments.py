"""Fees paid exactly once (C3): verified callbacks, recorded once, one
success per notice enforced by the database, a second real payment kept as
refund-due — on SQLite and PostgreSQL, under concurrency."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from lvshi.audit.models import AuditEvent
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError
from lvshi.courts.models import CallbackRecord, NoticeStatus, Payment, PaymentStatus
from lvshi.courts.payments import registry, signing
from lvshi.courts.services import payments as svc
from lvshi.notify.models import Notification
from tests.threads import run_at_once

from .factories import court_of, direct_case


@pytest.fixture
def notice(world):
    return direct_case(court_of(world), judge=world.judge, lawyers=[world.lawyer]).payment_notices.get()


def _start(world, notice, provider="wechat"):
    return svc.payment_start(actor=Actor(world.lawyer), notice=notice, provider=provider)


def _callback(payment, **kwargs):
    gateway = registry.provider(payment.provider)
    return gateway.callback(out_trade_no=payment.out_trade_no, amount_fen=payment.amount_fen, **kwargs)


def _deliver(payment, headers, body):
    return svc.payment_callback(provider=payment.provider, headers=headers, body=body)


def test_a_genuine_callback_pays_the_notice_and_tells_the_payer(world, notice, django_capture_on_commit_callbacks):
    payment = _start(world, notice)
    assert payment.amount_fen == int(notice.amount * 100) and payment.qr.startswith("weixin://wxpay/")
    with django_capture_on_commit_callbacks(execute=True):
        result = _deliver(payment, *_callback(payment))
    assert result.outcome == "paid" and result.ack.status == 200
    notice.refresh_from_db()
    payment.refresh_from_db()
    assert notice.status == NoticeStatus.PAID and notice.paid_at is not None
    assert payment.status == PaymentStatus.SUCCEEDED and payment.transaction_id.startswith("4200")
    assert Notification.objects.filter(user=world.lawyer, kind="fee_paid").exists()
    assert AuditEvent.objects.filter(action="courts.paymentnotice_pay", object_id=str(notice.pk)).exists()


@pytest.mark.parametrize("provider", ["wechat", "alipay"])
def test_the_same_callback_again_changes_nothing(world, notice, provider):
    payment = _start(world, notice, provider)
    headers, body = _callback(payment)
    outcomes = [_deliver(payment, headers, body).outcome for _ in range(3)]
    assert outcomes == ["paid", "duplicate", "duplicate"]
    assert CallbackRecord.objects.count() == 1


def test_a_bad_signature_is_refused_and_changes_nothing(world, notice):
    payment = _start(world, notice)
    headers, body = _callback(payment)
    headers["Wechatpay-Signature"] = headers["Wechatpay-Signature"][:-8] + "AAAAAAA="
    result = _deliver(payment, headers, body)
    assert result.outcome == "rejected" and result.ack.status == 400
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.UNPAID
    assert AuditEvent.objects.filter(
        action="courts.payment_callback", result="denied", message__contains="bad_signature"
    )


def test_a_body_changed_after_signing_is_refused(world, notice):
    payment = _start(world, notice, "alipay")
    headers, body = _callback(payment)
    forged = body.replace(b"TRADE_SUCCESS", b"TRADE_SUCCESS&x=1")
    assert _deliver(payment, headers, forged).outcome == "rejected"


def test_a_callback_signed_by_another_key_is_refused(world, notice):
    payment = _start(world, notice)
    headers, body = _callback(payment)
    stranger = signing.new_private_key()
    headers["Wechatpay-Signature"] = signing.wechat_sign(
        stranger, headers["Wechatpay-Timestamp"], headers["Wechatpay-Nonce"], body
    )
    assert _deliver(payment, headers, body).outcome == "rejected"


@pytest.mark.parametrize("provider", ["wechat", "alipay"])
def test_an_old_timestamp_is_refused(world, notice, provider):
    payment = _start(world, notice, provider)
    headers, body = _callback(payment, now=timezone.now() - timedelta(minutes=6))
    assert _deliver(payment, headers, body).outcome == "rejected"
    # Just inside the five-minute window it is accepted.
    headers, body = _callback(payment, now=timezone.now() - timedelta(minutes=4))
    assert _deliver(payment, headers, body).outcome == "paid"


@pytest.mark.parametrize("provider", ["wechat", "alipay"])
def test_a_wrong_amount_is_refused(world, notice, provider):
    payment = _start(world, notice, provider)
    gateway = registry.provider(provider)
    headers, body = gateway.callback(out_trade_no=payment.out_trade_no, amount_fen=payment.amount_fen - 1)
    assert _deliver(payment, headers, body).outcome == "rejected"
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.UNPAID


def test_another_merchant_is_refused(world, notice, settings):
    payment = _start(world, notice)
    headers, body = _callback(payment)
    registry.forget()
    settings.PAYMENT_MERCHANTS = {**settings.PAYMENT_MERCHANTS, "wechat": "1900000999"}
    try:
        assert _deliver(payment, headers, body).outcome == "rejected"
    finally:
        registry.forget()


def test_unreadable_bodies_are_refused_without_an_error(world, notice):
    payment = _start(world, notice)
    headers, _body = _callback(payment)
    for junk in (b"", b"{", b"\xff\xfe", json.dumps({"id": 1}).encode(), b"a" * 10000):
        assert _deliver(payment, headers, junk).outcome == "rejected"
    alipay = _start(world, notice, "alipay")
    for junk in (b"", b"sign=x", b"%zz", b"\xff"):
        assert svc.payment_callback(provider="alipay", headers={}, body=junk).outcome == "rejected"
    assert alipay.status == PaymentStatus.PENDING


def test_two_providers_paying_one_notice_give_one_paid_and_one_refund_due(world, notice):
    wechat, alipay = _start(world, notice, "wechat"), _start(world, notice, "alipay")
    assert _deliver(wechat, *_callback(wechat)).outcome == "paid"
    assert _deliver(alipay, *_callback(alipay)).outcome == "refund_due"
    assert sorted(Payment.objects.values_list("status", flat=True)) == [
        PaymentStatus.REFUND_DUE,
        PaymentStatus.SUCCEEDED,
    ]
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PAID


def test_the_database_refuses_a_second_success(world, notice):
    wechat, alipay = _start(world, notice, "wechat"), _start(world, notice, "alipay")
    Payment.objects.filter(pk=wechat.pk).update(status=PaymentStatus.SUCCEEDED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=alipay.pk).update(status=PaymentStatus.SUCCEEDED)


def test_a_paid_notice_cannot_be_paid_again(world, notice, client):
    payment = _start(world, notice)
    _deliver(payment, *_callback(payment))
    notice.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        _start(world, notice, "alipay")
    assert refused.value.code == "already_paid" and refused.value.status == 409


def test_an_open_qr_is_given_again(world, notice):
    assert _start(world, notice).pk == _start(world, notice).pk
    assert _start(world, notice, "alipay").pk != _start(world, notice).pk


def test_the_simulated_provider_keeps_its_keys(world, notice):
    payment = _start(world, notice)
    headers, body = _callback(payment)
    registry.forget()  # a restart: the keys are read back from the database
    assert _deliver(payment, headers, body).outcome == "paid"


def test_the_simulate_endpoint_exists_only_with_the_simulated_provider(world, notice, client, api, settings):
    payment = _start(world, notice)
    settings.PAYMENT_PROVIDER = ""
    r = client.post(f"/api/v1/courts/payments/{payment.pk}/simulate", **api(world.lawyer))
    assert r.status_code == 404
    r = client.post(
        f"/api/v1/courts/fees/{notice.code}/pay",
        {"provider": "wechat"},
        content_type="application/json",
        **api(world.lawyer),
    )
    assert r.status_code == 409 and r.json()["code"] == "payments_unavailable"


def test_the_callback_url_answers_the_provider(world, notice, client):
    payment = _start(world, notice, "alipay")
    headers, body = _callback(payment)
    r = client.post("/api/v1/courts/payments/callback/alipay", body, content_type=headers["Content-Type"])
    assert r.status_code == 200 and r.content == b"success"
    r = client.post(
        "/api/v1/courts/payments/callback/alipay", b"junk", content_type="application/x-www-form-urlencoded"
    )
    assert r.status_code == 400 and r.content != b"success"  # anything but "success": the provider retries
    r = client.post("/api/v1/courts/payments/callback/bitcoin", b"{}", content_type="application/json")
    assert r.status_code == 422


def test_the_deploy_check_warns_while_simulated(settings):
    from lvshi.courts.checks import simulated_payments_check

    assert [w.id for w in simulated_payments_check()] == ["lvshi.courts.W001"]
    settings.PAYMENT_PROVIDER = ""
    assert simulated_payments_check() == []


# --- concurrency: the same on SQLite and PostgreSQL -------------------------------------------


def test_the_same_callback_twenty_times_at_once_pays_once(transactional_db, world):
    notice = direct_case(court_of(world), judge=world.judge, lawyers=[world.lawyer]).payment_notices.get()
    payment = _start(world, notice)
    headers, body = _callback(payment)
    outcomes = run_at_once(lambda: _deliver(payment, headers, body).outcome, 20)
    assert sorted(outcomes) == ["duplicate"] * 19 + ["paid"]
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.SUCCEEDED
    assert CallbackRecord.objects.count() == 1
    assert AuditEvent.objects.filter(action="courts.paymentnotice_pay").count() == 1


def test_two_providers_at_once_give_one_paid_and_one_refund_due(transactional_db, world):
    notice = direct_case(court_of(world), judge=world.judge, lawyers=[world.lawyer]).payment_notices.get()
    calls = []
    for provider in ("wechat", "alipay"):
        p = _start(world, notice, provider)
        calls.append((p, *_callback(p)))
    turn = iter(calls)
    import threading

    lock = threading.Lock()

    def pay():
        with lock:
            p, h, b = next(turn)
        return _deliver(p, h, b).outcome

    outcomes = run_at_once(pay, 2)
    assert sorted(outcomes) == ["paid", "refund_due"]
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PAID
    assert Payment.objects.filter(notice=notice, status=PaymentStatus.SUCCEEDED).count() == 1
    assert Payment.objects.filter(notice=notice, status=PaymentStatus.REFUND_DUE).count() == 1
    assert Decimal(Payment.objects.get(status=PaymentStatus.REFUND_DUE).amount_fen) / 100 == notice.amount
