"""Paying a fee notice exactly once (C3).

The lawyer starts a payment (an order and its QR code at the chosen
provider). The provider's callback is verified (signature, timestamp
window, merchant, amount) and then, in one transaction:

1. it is recorded by (provider, event id) — a repeat changes nothing;
2. its payment moves ``pending → succeeded``; the partial unique index
   allows one success per notice, so a second real payment (the other
   provider, a second scan) becomes ``refund_due`` instead;
3. the notice moves ``unpaid → paid`` by a conditional update.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lvshi.audit.services import audit_record
from lvshi.core.actor import Actor
from lvshi.core.errors import Conflict, DomainError
from lvshi.notify.services import notify_user
from lvshi.orgs.permissions import require

from ..flows import NOTICE
from ..models import CallbackRecord, NoticeStatus, Payment, PaymentNotice, PaymentStatus, ProviderName
from ..payments import registry
from ..payments.base import Ack, CallbackRejected, PaidEvent

PS = PaymentStatus
JOB = "payment_callback"


def _fen(notice: PaymentNotice) -> int:
    return int(notice.amount * 100)


def _already_paid() -> Conflict:
    return Conflict("already_paid", _("该交费通知书已缴费，无需再次支付。可在“诉讼费缴纳”中查看电子票据。"), status=409)


def payment_start(*, actor: Actor, notice: PaymentNotice, provider: str) -> Payment:
    """An order at *provider* for the notice's amount, with its QR code. An
    open order of the same payer and provider is given again."""
    require(actor.user, "courts.file")
    if provider not in ProviderName.values:
        raise DomainError("provider_invalid", _("请选择微信支付或支付宝。"))
    if notice.status == NoticeStatus.PAID:
        raise _already_paid()
    gateway = registry.provider(provider)
    now = timezone.now()
    open_order = Payment.objects.filter(
        notice=notice,
        payer=actor.user,
        provider=provider,
        status=PS.PENDING,
        expires_at__gt=now,
        amount_fen=_fen(notice),
    ).first()
    if open_order is not None:
        return open_order
    out_trade_no = now.strftime("%Y%m%d") + secrets.token_hex(8).upper()
    expires_at = now + timedelta(minutes=settings.PAYMENT_QR_MINUTES)
    order = gateway.create_order(
        out_trade_no=out_trade_no,
        amount_fen=_fen(notice),
        description=f"{notice.case.number} {notice.item}",
        expires_at=expires_at,
    )
    with transaction.atomic():
        payment = Payment.objects.create(
            notice=notice,
            payer=actor.user,
            provider=provider,
            out_trade_no=out_trade_no,
            amount_fen=_fen(notice),
            qr=order.qr,
            expires_at=order.expires_at,
            entered_at=now,
        )
        audit_record(
            action="courts.payment_start",
            actor=actor,
            obj=payment,
            organisation=notice.case.court.organisation,
            after={"notice": notice.code, "provider": provider, "amount_fen": payment.amount_fen},
        )
    return payment


@dataclass(frozen=True)
class CallbackResult:
    ack: Ack
    outcome: str  # rejected | unknown_order | duplicate | paid | refund_due | already


def payment_callback(*, provider: str, headers: Mapping[str, str], body: bytes) -> CallbackResult:
    """Handle one notification from *provider*: verified, recorded once, and
    applied exactly once. Answers the provider with its acknowledgement."""
    gateway = registry.provider(provider)
    now = timezone.now()
    try:
        event = gateway.verify_callback(headers, body, now=now)
    except CallbackRejected as exc:
        audit_record(
            action="courts.payment_callback",
            actor=Actor.system(JOB),
            object_type="courts.payment",
            result="denied",
            message=f"{provider}: {exc.code}",
        )
        return CallbackResult(gateway.acknowledge(False, exc.message), "rejected")
    payment = (
        Payment.objects.select_related("notice__case__court__organisation")
        .filter(provider=provider, out_trade_no=event.out_trade_no)
        .first()
    )
    if payment is None or event.amount_fen != payment.amount_fen:
        audit_record(
            action="courts.payment_callback",
            actor=Actor.system(JOB),
            object_type="courts.payment",
            object_repr=event.out_trade_no,
            result="denied",
            message=f"{provider}: {'unknown_order' if payment is None else 'wrong_amount'}",
        )
        return CallbackResult(gateway.acknowledge(False, "订单不存在或金额不符"), "rejected")
    with transaction.atomic():
        try:
            with transaction.atomic():
                CallbackRecord.objects.create(
                    provider=provider, event_id=event.event_id, payment=payment, outcome="received"
                )
        except IntegrityError:
            return CallbackResult(gateway.acknowledge(True), "duplicate")
        outcome = _apply(payment, event, now)
        CallbackRecord.objects.filter(provider=provider, event_id=event.event_id).update(outcome=outcome)
    return CallbackResult(gateway.acknowledge(True), outcome)


def _apply(payment: Payment, event: PaidEvent, now: datetime) -> str:
    # One payment of a notice is applied at a time (the notice's row lock):
    # a second one then meets the unique index and becomes refund-due,
    # instead of two transactions waiting for each other's payments.
    PaymentNotice.objects.select_for_update().filter(pk=payment.notice_id).first()
    notice = payment.notice
    values = {"transaction_id": event.transaction_id, "succeeded_at": event.paid_at}
    pending = Payment.objects.filter(pk=payment.pk, status__in=[PS.PENDING, PS.CLOSED])
    try:
        with transaction.atomic():
            moved = pending.update(status=PS.SUCCEEDED, **values)
    except IntegrityError:
        # Another payment of the notice succeeded first: this money goes back.
        moved = 0
        if pending.update(status=PS.REFUND_DUE, **values):
            audit_record(
                action="courts.payment_refund_due",
                actor=Actor.system(JOB),
                obj=payment,
                organisation=notice.case.court.organisation,
                after={"notice": notice.code, "amount_fen": payment.amount_fen},
            )
            return "refund_due"
    if not moved:
        return "already"
    payer = payment.payer

    def tell() -> None:
        notify_user(
            payer,
            kind="fee_paid",
            context={"number": notice.case.number, "amount": f"{notice.amount:,.2f}", "code": notice.code},
            url=reverse("courts:fee", args=[notice.code]),
        )

    NOTICE.apply(
        notice,
        "pay",
        actor=Actor.system(JOB),
        values={"paid_at": event.paid_at},
        details={"payment": payment.out_trade_no, "provider": payment.provider},
        notify=tell,
    )
    # The payer's other open orders for this notice are closed.
    Payment.objects.filter(notice=notice, status=PS.PENDING).exclude(pk=payment.pk).update(status=PS.CLOSED)
    return "paid"


def payment_simulate(*, payment: Payment, times: int = 1) -> list[str]:
    """Play the payer scanning *payment*'s QR code: the simulated provider
    sends its signed notification *times* times, as the real one retries."""
    if not registry.simulated_on():
        raise DomainError("not_simulated", _("只有模拟支付环境可以模拟扫码。"), status=404)
    gateway = registry.provider(payment.provider)
    headers, body = gateway.callback(out_trade_no=payment.out_trade_no, amount_fen=payment.amount_fen)  # type: ignore[attr-defined]
    return [payment_callback(provider=payment.provider, headers=headers, body=body).outcome for _ in range(times)]
