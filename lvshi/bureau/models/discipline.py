"""Complaints, penalties and discipline (A4). A bureau or bar association
registers a complaint against a lawyer or a firm with a first opinion and
handles it step by step; a decided case may record an administrative
penalty (by a bureau) or an industry sanction (by a bar association). Only
the deciding body may change a penalty; public ones are shown in the public
lookup for their public period."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class LawyerComplaintStatus(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    HANDLING = "handling", _("调查处理中")
    DECIDED = "decided", _("已处理")
    DISMISSED = "dismissed", _("不予处理")


class Complaint(models.Model):
    body = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("受理机关"), on_delete=models.PROTECT, related_name="+"
    )
    complainant = models.CharField(_("投诉人"), max_length=50)
    complainant_phone = models.CharField(_("投诉人联系电话"), max_length=20, blank=True)
    lawyer = models.ForeignKey(
        "bureau.Lawyer", verbose_name=_("被投诉律师"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    firm = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("被投诉律师事务所"), on_delete=models.PROTECT, related_name="+"
    )
    facts = models.TextField(_("投诉事实"), max_length=5000)
    first_opinion = models.CharField(_("初步处理意见"), max_length=500)
    status = models.CharField(
        _("状态"), max_length=12, choices=LawyerComplaintStatus.choices, default=LawyerComplaintStatus.REGISTERED
    )
    received_on = models.DateField(_("收到日期"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    entered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("投诉")
        verbose_name_plural = _("投诉")
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["body", "status"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.complainant}"

    @property
    def scope_org(self):
        return self.body


def _evidence_path(instance, filename: str) -> str:
    return f"complaints/{instance.complaint_id}/{filename}"


class StoredFile(models.Model):
    """A file uploaded with a record (checked by its content): what it was called, what it is."""

    name = models.CharField(max_length=150)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class Evidence(StoredFile):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=_evidence_path)


class HandlingStep(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="steps")
    text = models.CharField(_("处理情况"), max_length=1000)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.at:%Y-%m-%d}"


class PenaltyKind(models.TextChoices):
    # administrative penalties, by a justice bureau (律师法 第四十七条至第五十一条)
    WARNING = "warning", _("警告")
    FINE = "fine", _("罚款")
    CONFISCATION = "confiscation", _("没收违法所得")
    SUSPENSION = "suspension", _("停止执业")
    FIRM_SUSPENSION = "firm_suspension", _("停业整顿")
    REVOCATION = "revocation", _("吊销执业证书")
    # industry sanctions, by a bar association
    ADMONITION = "admonition", _("训诫")
    REPRIMAND = "reprimand", _("通报批评")
    CENSURE = "censure", _("公开谴责")
    MEMBERSHIP_SUSPENDED = "membership_suspended", _("中止会员权利")
    EXPELLED = "expelled", _("取消会员资格")


ADMINISTRATIVE = frozenset({"warning", "fine", "confiscation", "suspension", "firm_suspension", "revocation"})
INDUSTRY = frozenset({"admonition", "reprimand", "censure", "membership_suspended", "expelled"})


class Penalty(models.Model):
    body = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("决定机关"), on_delete=models.PROTECT, related_name="+"
    )
    complaint = models.ForeignKey(
        Complaint, verbose_name=_("投诉"), null=True, blank=True, on_delete=models.PROTECT, related_name="penalties"
    )
    lawyer = models.ForeignKey(
        "bureau.Lawyer",
        verbose_name=_("律师"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="penalties",
    )
    firm = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("律师事务所"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("处罚或处分"), max_length=24, choices=PenaltyKind.choices)
    decision_no = models.CharField(_("决定书文号"), max_length=50)
    reason = models.CharField(_("违法违规事实"), max_length=500)
    decided_on = models.DateField(_("决定日期"))
    starts_on = models.DateField(_("执行开始"), null=True, blank=True)
    ends_on = models.DateField(_("执行结束"), null=True, blank=True)
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    public_until = models.DateField(_("公示截止"), null=True, blank=True)  # None: not public
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("处罚处分")
        verbose_name_plural = _("处罚处分")
        ordering = ["-decided_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=False, ends_on__gte=F("starts_on")),
                name="bureau_penalty_period",
            ),
            models.UniqueConstraint(fields=["body", "decision_no"], name="bureau_penalty_decision_no"),
        ]
        indexes = [models.Index(fields=["lawyer", "public_until"])]

    def __str__(self) -> str:
        return f"{self.decision_no} {self.get_kind_display()}"

    @property
    def scope_org(self):
        return self.body

    @property
    def administrative(self) -> bool:
        return self.kind in ADMINISTRATIVE
