"""Hearings (C8) and the lawyers' requests about them (C6).

A room or a judge is never in two hearings at once: each hearing claims its
room and its judge for every quarter hour it covers (:class:`HearingClaim`,
unique per resource and quarter), so the database refuses an overlap on
SQLite and PostgreSQL alike."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .cases import Case
from .courts import CourtRoom


class HearingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("已排期")
    CANCELLED = "cancelled", _("已撤销")


class Hearing(models.Model):
    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="hearings")
    room = models.ForeignKey(CourtRoom, verbose_name=_("法庭"), on_delete=models.PROTECT, related_name="hearings")
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审判人员"), on_delete=models.PROTECT, related_name="hearings"
    )
    start = models.DateTimeField(_("开庭时间"))
    end = models.DateTimeField(_("预计结束"))
    status = models.CharField(_("状态"), max_length=16, choices=HearingStatus.choices, default=HearingStatus.SCHEDULED)
    scheduled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scheduled_at = models.DateTimeField(_("排期时间"))
    # Scheduled later than three days before the hearing (民事诉讼法 第一百三十九条).
    short_notice = models.BooleanField(_("不足三日通知"), default=False)

    class Meta:
        verbose_name = _("庭审")
        verbose_name_plural = _("庭审")
        ordering = ["start", "pk"]
        constraints = [models.CheckConstraint(condition=Q(end__gt=F("start")), name="courts_hearing_ends_after")]
        indexes = [models.Index(fields=["status", "start"], name="courts_hearing_start")]

    def __str__(self) -> str:
        return f"{self.case.number} {self.start:%Y-%m-%d %H:%M}"

    @property
    def scope_org(self):
        return self.case.court.organisation


class HearingClaim(models.Model):
    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="claims")
    # "room:<id>" or "judge:<id>"
    resource = models.CharField(max_length=32)
    quarter = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["resource", "quarter"], name="courts_claim_unique")]

    def __str__(self) -> str:
        return f"{self.resource} {self.quarter:%Y-%m-%d %H:%M}"


class RequestKind(models.TextChoices):
    EXCUSE = "excuse", _("申请不出庭")
    POSTPONE = "postpone", _("申请延期开庭")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    GRANTED = "granted", _("已准许")
    REFUSED = "refused", _("不予准许")


class HearingRequest(models.Model):
    hearing = models.ForeignKey(Hearing, verbose_name=_("庭审"), on_delete=models.PROTECT, related_name="requests")
    lawyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="hearing_requests")
    kind = models.CharField(_("申请事项"), max_length=16, choices=RequestKind.choices)
    reason = models.CharField(_("理由"), max_length=500)
    phone = models.CharField(_("联系电话"), max_length=20)
    proposed = models.JSONField(_("建议开庭时间"), default=list, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    answer = models.CharField(_("答复"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("庭审冲突申请")
        verbose_name_plural = _("庭审冲突申请")
        constraints = [
            models.UniqueConstraint(
                fields=["hearing", "lawyer"], condition=Q(status="pending"), name="courts_one_pending_request"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.hearing}）"

    @property
    def scope_org(self):
        return self.hearing.case.court.organisation
