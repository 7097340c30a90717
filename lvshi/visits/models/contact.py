from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lvshi.orgs.models import Organisation

from .detainees import Detainee

# --- meeting requests, notices and complaints ----------------------------------------


class MeetingRequest(models.Model):
    """A detainee asked to see their lawyer (要求会见); an officer recorded it
    and every lawyer then bound to the detainee was told."""

    detainee = models.ForeignKey(
        Detainee, verbose_name=_("在押人员"), on_delete=models.PROTECT, related_name="meeting_requests"
    )
    centre = models.ForeignKey(Organisation, verbose_name=_("看守所"), on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("说明"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记民警"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("会见要求")
        verbose_name_plural = _("会见要求")
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["centre", "recorded_at"], name="visits_request_centre")]

    def __str__(self) -> str:
        return f"{self.detainee} {self.recorded_at:%Y-%m-%d}"

    @property
    def scope_org(self) -> Organisation:
        return self.centre


class MeetingRequestRecipient(models.Model):
    """One bound lawyer told of a meeting request, and when they read it."""

    request = models.ForeignKey(MeetingRequest, on_delete=models.CASCADE, related_name="recipients")
    lawyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meeting_requests")
    seen_at = models.DateTimeField(_("查看时间"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "lawyer"], name="visits_request_recipient_unique")]
        indexes = [models.Index(fields=["lawyer", "seen_at"], name="visits_request_lawyer")]

    def __str__(self) -> str:
        return f"{self.request_id} → {self.lawyer_id}"


class Notice(models.Model):
    """A notice of the detention authority (e.g. a policy change). Lawyers
    holding bookings at the centres concerned get an SMS."""

    issuer = models.ForeignKey(
        Organisation, verbose_name=_("发布机构"), on_delete=models.PROTECT, related_name="issued_visit_notices"
    )
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文"), max_length=5000)
    centres = models.ManyToManyField(Organisation, verbose_name=_("涉及机构"), related_name="visit_notices")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("发布时间"))
    recipients = models.PositiveIntegerField(_("短信通知人数"), default=0)

    class Meta:
        verbose_name = _("通知公告")
        verbose_name_plural = _("通知公告")
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def scope_org(self) -> Organisation:
        return self.issuer


class ComplaintStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    HANDLING = "handling", _("处理中")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已办结")


class ComplaintCategory(models.TextChoices):
    BOOKING = "booking", _("预约")
    MEETING = "meeting", _("会见安排")
    CONDUCT = "conduct", _("工作作风")
    SYSTEM = "system", _("系统使用")
    OTHER = "other", _("其他")


class Complaint(models.Model):
    """A call to the complaints line (律师会见投诉), kept until closed."""

    centre = models.ForeignKey(Organisation, verbose_name=_("被投诉机构"), on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(_("来电时间"))
    caller_name = models.CharField(_("来电人"), max_length=50)
    caller_phone = models.CharField(_("联系电话"), max_length=20)
    lawyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("律师账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visit_complaints",
    )
    category = models.CharField(_("类别"), max_length=16, choices=ComplaintCategory.choices)
    content = models.TextField(_("投诉内容"), max_length=2000)
    handling = models.TextField(_("处理情况"), max_length=2000, blank=True)
    answer = models.TextField(_("答复内容"), max_length=2000, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=ComplaintStatus.choices, default=ComplaintStatus.OPEN)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("投诉记录")
        verbose_name_plural = _("投诉记录")
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["centre", "status", "received_at"], name="visits_complaint_centre")]

    def __str__(self) -> str:
        return f"{self.caller_name} {self.received_at:%Y-%m-%d}"

    @property
    def scope_org(self) -> Organisation:
        return self.centre
