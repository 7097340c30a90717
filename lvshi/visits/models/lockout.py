from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from lvshi.orgs.models import Organisation

from .bookings import Booking

# --- check-in, no-shows, violations and lock-out ------------------------------------


class CheckIn(models.Model):
    """An officer registered the lawyer's arrival (会见登记)."""

    booking = models.OneToOneField(Booking, verbose_name=_("预约"), on_delete=models.CASCADE, related_name="check_in")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记民警"), on_delete=models.PROTECT, related_name="+"
    )
    assistant_name = models.CharField(_("律师助理"), max_length=50, blank=True)
    at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("会见登记")
        verbose_name_plural = _("会见登记")

    def __str__(self) -> str:
        return f"{self.booking} {self.at:%H:%M}"

    @property
    def scope_org(self) -> Organisation:
        return self.booking.centre


class ViolationStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    VOID = "void", _("已撤销")


class Violation(models.Model):
    """One missed meeting (未到). It counts towards a lock-out until it
    expires (``expires_on``, one year after the meeting day), is voided on
    appeal, or has been used by a lock."""

    lawyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("律师"), on_delete=models.PROTECT, related_name="visit_violations"
    )
    booking = models.OneToOneField(Booking, verbose_name=_("预约"), on_delete=models.PROTECT, related_name="violation")
    centre = models.ForeignKey(Organisation, verbose_name=_("机构"), on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("违约日期"))
    expires_on = models.DateField(_("失效日期"))
    status = models.CharField(_("状态"), max_length=16, choices=ViolationStatus.choices, default=ViolationStatus.ACTIVE)
    lock = models.ForeignKey(
        "BookingLock",
        verbose_name=_("锁定"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="violations",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("违约记录")
        verbose_name_plural = _("违约记录")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["lawyer", "status", "expires_on"], name="visits_violation_lawyer")]

    def __str__(self) -> str:
        return f"{self.lawyer} {self.date}"

    @property
    def scope_org(self) -> Organisation:
        return self.centre


class LockStatus(models.TextChoices):
    ACTIVE = "active", _("锁定中")
    LIFTED = "lifted", _("已解除")


class BookingLock(models.Model):
    """The lawyer may not book online from ``starts_on`` until the day
    before ``ends_on`` (six months), unless an authority officer lifts it."""

    lawyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("律师"), on_delete=models.PROTECT, related_name="visit_locks"
    )
    centre = models.ForeignKey(
        Organisation,
        verbose_name=_("机构"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("第三次违约的机构"),
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("解除日期"))
    reason = models.CharField(_("原因"), max_length=300)
    status = models.CharField(_("状态"), max_length=16, choices=LockStatus.choices, default=LockStatus.ACTIVE)
    lifted_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lift_reason = models.CharField(_("解除原因"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("预约锁定")
        verbose_name_plural = _("预约锁定")
        constraints = [
            models.UniqueConstraint(fields=["lawyer"], condition=Q(status="active"), name="visits_lock_one_active"),
            models.CheckConstraint(condition=Q(starts_on__lt=F("ends_on")), name="visits_lock_dates_order"),
        ]

    def __str__(self) -> str:
        return f"{self.lawyer} → {self.ends_on}"

    @property
    def scope_org(self) -> Organisation:
        return self.centre


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    UPHELD = "upheld", _("申诉成立")
    REJECTED = "rejected", _("申诉不成立")


class Appeal(models.Model):
    """The lawyer contests a violation; an authority officer decides."""

    violation = models.OneToOneField(
        Violation, verbose_name=_("违约记录"), on_delete=models.CASCADE, related_name="appeal"
    )
    lawyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("律师"), on_delete=models.PROTECT, related_name="visit_appeals"
    )
    text = models.TextField(_("申诉理由"), max_length=1000)
    status = models.CharField(_("状态"), max_length=16, choices=AppealStatus.choices, default=AppealStatus.PENDING)
    note = models.CharField(_("处理意见"), max_length=300, blank=True)
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("违约申诉")
        verbose_name_plural = _("违约申诉")

    def __str__(self) -> str:
        return f"{self.violation} ({self.status})"

    @property
    def scope_org(self) -> Organisation:
        return self.violation.centre
