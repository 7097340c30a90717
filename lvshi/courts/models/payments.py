"""Court fees (C3): the payment notice (交费通知书), the payments made for
it, and the providers' callbacks.

Paying twice is made impossible by the database: a callback is stored once
per (provider, event id); at most one payment of a notice succeeds (a
partial unique index); the notice moves ``unpaid → paid`` by a conditional
update. A second real payment of a paid notice is kept as ``refund_due``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .cases import Case


class NoticeStatus(models.TextChoices):
    UNPAID = "unpaid", _("待缴费")
    PAID = "paid", _("已缴费")


class PaymentNotice(models.Model):
    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="payment_notices")
    code = models.CharField(_("缴费码"), max_length=16, unique=True)
    item = models.CharField(_("费用项目"), max_length=40, default=_("案件受理费"))
    computed_amount = models.DecimalField(_("按标准计算"), max_digits=14, decimal_places=2)
    amount = models.DecimalField(_("应缴金额（元）"), max_digits=14, decimal_places=2)
    adjust_reason = models.CharField(_("调整理由"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=NoticeStatus.choices, default=NoticeStatus.UNPAID)
    issued_at = models.DateTimeField(_("开具时间"))
    paid_at = models.DateTimeField(_("缴费时间"), null=True, blank=True)
    entered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("交费通知书")
        verbose_name_plural = _("交费通知书")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="courts_notice_amount_positive"),
            models.CheckConstraint(
                condition=~Q(status="paid") | Q(paid_at__isnull=False), name="courts_notice_paid_at"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def scope_org(self):
        return self.case.court.organisation


class ProviderName(models.TextChoices):
    WECHAT = "wechat", _("微信支付")
    ALIPAY = "alipay", _("支付宝")


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("待支付")
    SUCCEEDED = "succeeded", _("支付成功")
    CLOSED = "closed", _("已关闭")
    REFUND_DUE = "refund_due", _("重复支付，待退款")


class Payment(models.Model):
    notice = models.ForeignKey(PaymentNotice, on_delete=models.PROTECT, related_name="payments")
    payer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="court_payments")
    provider = models.CharField(_("支付方式"), max_length=16, choices=ProviderName.choices)
    # Our order number at the provider (out_trade_no), and theirs once paid.
    out_trade_no = models.CharField(max_length=32, unique=True)
    transaction_id = models.CharField(max_length=64, blank=True)
    amount_fen = models.PositiveBigIntegerField()
    status = models.CharField(_("状态"), max_length=16, choices=PaymentStatus.choices, default=PaymentStatus.PENDING)
    qr = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    succeeded_at = models.DateTimeField(null=True, blank=True)
    entered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("缴费记录")
        verbose_name_plural = _("缴费记录")
        constraints = [
            # At most one successful payment per notice, whatever arrives when.
            models.UniqueConstraint(
                fields=["notice"], condition=Q(status="succeeded"), name="courts_one_success_per_notice"
            ),
            models.UniqueConstraint(
                fields=["provider", "transaction_id"],
                condition=~Q(transaction_id=""),
                name="courts_payment_transaction_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.out_trade_no


class CallbackRecord(models.Model):
    """Every verified callback, once: a repeat of (provider, event id) is
    acknowledged and changes nothing."""

    provider = models.CharField(max_length=16, choices=ProviderName.choices)
    event_id = models.CharField(max_length=64)
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="callbacks")
    received_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=16)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "event_id"], name="courts_callback_once")]

    def __str__(self) -> str:
        return f"{self.provider}:{self.event_id}"


class ProviderKeys(models.Model):
    """The simulated provider's keys, made once and kept, so callbacks it
    signed verify after a restart and in every worker."""

    provider = models.CharField(max_length=16, choices=ProviderName.choices, unique=True)
    private_pem = models.TextField()
    api_key = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return self.provider
