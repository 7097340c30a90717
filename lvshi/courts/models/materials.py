"""What the parties' lawyers give the court and what the court shows them
(C4, C5, C10): case materials submitted after filing, received or returned
by the clerk; evidence exchanges with each side's opinion per item; and
messages to the judge, threaded."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .cases import Case


class MaterialStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    RECEIVED = "received", _("已接收")
    RETURNED = "returned", _("已退回")


def _material_path(instance, filename: str) -> str:
    return f"materials/{instance.case_id}/{filename}"


class Material(models.Model):
    """One file a lawyer submitted to a case (补充证据, 代理词…)."""

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="materials")
    lawyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提交律师"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("材料名称"), max_length=100)
    file = models.FileField(upload_to=_material_path)
    name = models.CharField(_("文件名"), max_length=150)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    status = models.CharField(
        _("状态"), max_length=12, choices=MaterialStatus.choices, default=MaterialStatus.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    return_reason = models.CharField(_("退回原因"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("诉讼材料")
        verbose_name_plural = _("诉讼材料")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["case", "status"], name="courts_material_case")]

    def __str__(self) -> str:
        return self.title

    @property
    def scope_org(self):
        return self.case.court.organisation


class Exchange(models.Model):
    """证据交换: a set of the case's materials the judge sends to lawyers, with a deadline."""

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="exchanges")
    title = models.CharField(_("名称"), max_length=100)
    note = models.TextField(_("说明"), max_length=1000, blank=True)
    deadline = models.DateTimeField(_("质证截止时间"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("证据交换")
        verbose_name_plural = _("证据交换")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def scope_org(self):
        return self.case.court.organisation


class ExchangeItem(models.Model):
    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="items")
    material = models.ForeignKey(Material, verbose_name=_("证据"), on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["exchange", "position"]
        constraints = [
            models.UniqueConstraint(fields=["exchange", "material"], name="courts_exchange_item_once"),
        ]

    def __str__(self) -> str:
        return f"{self.exchange_id}#{self.position}"


class ExchangeRecipient(models.Model):
    """A lawyer the exchange was sent to, and when their opinions were submitted (once)."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="recipients")
    lawyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="exchanges")
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["exchange", "lawyer"], name="courts_exchange_recipient_once")]

    def __str__(self) -> str:
        return f"{self.exchange_id} → {self.lawyer_id}"

    @property
    def scope_org(self):
        return self.exchange.case.court.organisation


class Stance(models.TextChoices):
    AGREE = "agree", _("认可")
    DISAGREE = "disagree", _("不认可")
    PARTLY = "partly", _("部分认可")


class Opinion(models.Model):
    """One side's 质证意见 on one item: authenticity, legality, relevance."""

    recipient = models.ForeignKey(ExchangeRecipient, on_delete=models.CASCADE, related_name="opinions")
    item = models.ForeignKey(ExchangeItem, on_delete=models.CASCADE, related_name="opinions")
    authenticity = models.CharField(_("真实性"), max_length=10, choices=Stance.choices, blank=True)
    legality = models.CharField(_("合法性"), max_length=10, choices=Stance.choices, blank=True)
    relevance = models.CharField(_("关联性"), max_length=10, choices=Stance.choices, blank=True)
    comment = models.TextField(_("意见"), max_length=2000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["recipient", "item"], name="courts_opinion_once")]

    def __str__(self) -> str:
        return f"{self.recipient_id}/{self.item_id}"


class Thread(models.Model):
    """A lawyer's message to the judge of one case, and the replies."""

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="threads")
    lawyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="threads")
    title = models.CharField(_("标题"), max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    last_at = models.DateTimeField(_("最后留言时间"))
    # The lawyer's oldest message the judge has not answered yet (None: answered).
    waiting_since = models.DateTimeField(_("待回复自"), null=True, blank=True)

    class Meta:
        verbose_name = _("联系法官")
        verbose_name_plural = _("联系法官")
        ordering = ["-last_at", "-pk"]
        indexes = [models.Index(fields=["case", "waiting_since"], name="courts_thread_waiting")]

    def __str__(self) -> str:
        return self.title

    @property
    def scope_org(self):
        return self.case.court.organisation


class Message(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_court = models.BooleanField(default=False)
    text = models.TextField(_("内容"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:30]


def _attachment_path(instance, filename: str) -> str:
    return f"messages/{instance.message.thread_id}/{filename}"


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_attachment_path)
    name = models.CharField(_("文件名"), max_length=150)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=Q(size__gt=0), name="courts_attachment_not_empty")]

    def __str__(self) -> str:
        return self.name
