"""Online filing (C2): the lawyer's filing, kept step by step as a draft,
submitted to a court, and accepted (a case) or returned with reasons."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .courts import CaseType, Court


class FilingStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审查")
    RETURNED = "returned", _("已退回")
    ACCEPTED = "accepted", _("已立案")
    DELETED = "deleted", _("已删除")


class ApplicationType(models.TextChoices):
    COMPLAINT = "complaint", _("起诉")
    APPEAL = "appeal", _("上诉")
    APPLICATION = "application", _("申请")


class ReturnCode(models.TextChoices):
    MATERIALS = "materials", _("材料不齐全")
    PARTIES = "parties", _("当事人信息不准确")
    CLAIMS = "claims", _("诉讼请求不明确")
    JURISDICTION = "jurisdiction", _("不属于本院管辖")
    IDENTITY = "identity", _("身份证明不清晰")
    OTHER = "other", _("其他")


class Filing(models.Model):
    lawyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("立案律师"), on_delete=models.PROTECT, related_name="filings"
    )
    status = models.CharField(_("状态"), max_length=16, choices=FilingStatus.choices, default=FilingStatus.DRAFT)
    # step 1: the filing notice
    notice_accepted = models.BooleanField(_("已阅读并同意立案须知"), default=False)
    # step 2
    case_type = models.CharField(_("案件类型"), max_length=8, choices=CaseType.choices, blank=True)
    application_type = models.CharField(_("申请类型"), max_length=16, choices=ApplicationType.choices, blank=True)
    # step 3 (parties and agents in their own rows)
    cause = models.CharField(_("案由"), max_length=100, blank=True)
    claim_amount = models.DecimalField(_("诉讼标的额（元）"), max_digits=15, decimal_places=2, null=True, blank=True)
    claims = models.TextField(_("诉讼请求"), max_length=2000, blank=True)
    facts = models.TextField(_("事实与理由"), max_length=5000, blank=True)
    # step 4
    service_notice_accepted = models.BooleanField(_("已阅读并确认送达地址确认书"), default=False)
    # step 5
    court = models.ForeignKey(
        Court, verbose_name=_("受理法院"), on_delete=models.PROTECT, related_name="filings", null=True, blank=True
    )
    # step 8
    mediation_consent = models.BooleanField(_("同意先行调解"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    # when the filing entered its status (the clerk's seven days run from the submission)
    entered_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(_("审查时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    return_code = models.CharField(_("退回原因"), max_length=16, choices=ReturnCode.choices, blank=True)
    return_reason = models.CharField(_("退回说明"), max_length=300, blank=True)
    case = models.OneToOneField("courts.Case", on_delete=models.PROTECT, related_name="filing", null=True, blank=True)

    class Meta:
        verbose_name = _("网上立案")
        verbose_name_plural = _("网上立案")
        indexes = [
            models.Index(fields=["lawyer", "status"], name="courts_filing_lawyer"),
            models.Index(fields=["court", "status", "submitted_at"], name="courts_filing_queue"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(case__isnull=False), name="courts_filing_accepted_has_case"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cause or _('网上立案')}（{self.get_status_display()}）"

    @property
    def scope_org(self):
        return self.court.organisation if self.court is not None else None


class FileKind(models.TextChoices):
    COMPLAINT = "complaint", _("起诉状")
    EVIDENCE = "evidence", _("证据材料")
    ID_FRONT = "id_front", _("身份证人像面")
    ID_BACK = "id_back", _("身份证国徽面")
    LICENCE = "licence", _("营业执照")


def _filing_path(instance, filename: str) -> str:
    return f"filings/{instance.filing_id}/{filename}"


class FilingFile(models.Model):
    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("材料类型"), max_length=16, choices=FileKind.choices)
    party = models.ForeignKey("courts.Party", on_delete=models.CASCADE, related_name="files", null=True, blank=True)
    file = models.FileField(upload_to=_filing_path)
    name = models.CharField(_("文件名"), max_length=150)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("立案材料")
        verbose_name_plural = _("立案材料")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name
