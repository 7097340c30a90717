"""Electronic service (C9) and online file review (C11): documents the
court serves on a lawyer, signed with a one-time SMS key (the signing time
is the time of service); and the case file's volumes a judge lets a lawyer
read online, as watermarked page images, for a period."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .cases import Case


class ServedKind(models.TextChoices):
    JUDGMENT = "judgment", _("判决书")
    RULING = "ruling", _("裁定书")
    MEDIATION = "mediation", _("调解书")
    SUMMONS = "summons", _("传票")
    NOTICE = "notice", _("通知书")
    OTHER = "other", _("其他文书")


class ServiceStatus(models.TextChoices):
    TO_SIGN = "to_sign", _("待签收")
    SIGNED = "signed", _("已签收")


def _document_path(instance, filename: str) -> str:
    return f"served/{instance.case_id}/{filename}"


class ServedDocument(models.Model):
    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="served")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("受送达律师"), on_delete=models.PROTECT, related_name="served"
    )
    kind = models.CharField(_("文书类型"), max_length=12, choices=ServedKind.choices)
    title = models.CharField(_("文书名称"), max_length=100)
    file = models.FileField(upload_to=_document_path)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    status = models.CharField(_("状态"), max_length=10, choices=ServiceStatus.choices, default=ServiceStatus.TO_SIGN)
    served_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    # The inbox notice whose SMS tells whether the text message went out.
    notification = models.ForeignKey(
        "notify.Notification", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField(_("首次查看时间"), null=True, blank=True)
    # The time of service: written once, by the signing that wins.
    signed_at = models.DateTimeField(_("签收（送达）时间"), null=True, blank=True)
    # The last day of the period the service starts (上诉期), if the document starts one.
    deadline = models.DateField(_("期限届满日"), null=True, blank=True)

    class Meta:
        verbose_name = _("电子送达文书")
        verbose_name_plural = _("电子送达文书")
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "status"], name="courts_served_recipient")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="to_sign", signed_at__isnull=True) | Q(status="signed", signed_at__isnull=False),
                name="courts_served_signed_has_time",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def scope_org(self):
        return self.case.court.organisation


class SigningKey(models.Model):
    """A one-time key sent by SMS to sign one document: 6 digits, valid 10
    minutes, 5 tries; a new key voids the old one. Only its hash is kept."""

    document = models.ForeignKey(ServedDocument, on_delete=models.CASCADE, related_name="keys")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    tries = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    voided = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["document", "created_at"], name="courts_key_document")]

    def __str__(self) -> str:
        return f"{self.document_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class Volume(models.Model):
    """One volume (卷宗) of a case file, a PDF the court keeps; never served whole."""

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="volumes")
    title = models.CharField(_("卷宗名称"), max_length=100)
    file = models.FileField(upload_to="volumes/")
    pages = models.PositiveIntegerField(_("页数"))
    sha256 = models.CharField(max_length=64)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("卷宗")
        verbose_name_plural = _("卷宗")
        ordering = ["case", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def scope_org(self):
        return self.case.court.organisation


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未批准")


class FileReview(models.Model):
    """A lawyer's request to read a case's file online (阅卷), and the judge's decision."""

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="reviews")
    lawyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="file_reviews")
    reason = models.CharField(_("阅卷理由"), max_length=300)
    status = models.CharField(_("状态"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    volumes = models.ManyToManyField(Volume, verbose_name=_("准予查阅的卷宗"), blank=True, related_name="+")
    days = models.PositiveSmallIntegerField(_("查阅期限（天）"), null=True, blank=True)
    until = models.DateTimeField(_("查阅截止时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    refuse_reason = models.CharField(_("不予批准的理由"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("网上阅卷")
        verbose_name_plural = _("网上阅卷")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(until__isnull=False), name="courts_review_approved_has_period"
            ),
            # One request waiting for the judge per lawyer and case.
            models.UniqueConstraint(
                fields=["case", "lawyer"], condition=Q(status="pending"), name="courts_review_one_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.get_status_display()}"

    @property
    def scope_org(self):
        return self.case.court.organisation
