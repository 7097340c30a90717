from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from lvshi.orgs.models import Organisation

from .centres import RoomKind
from .detainees import Detainee


class BookingStatus(models.TextChoices):
    UNDER_REVIEW = "under_review", _("预约审核中")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("未通过")
    CANCELLED = "cancelled", _("已取消")
    COMPLETED = "completed", _("已会见")
    NO_SHOW = "no_show", _("未到")


# Bookings that hold a room.
HOLDING = (BookingStatus.UNDER_REVIEW, BookingStatus.APPROVED)
HOLDING_Q = Q(status__in=[s.value for s in HOLDING])


class Booking(models.Model):
    lawyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("律师"), on_delete=models.PROTECT, related_name="bookings"
    )
    detainee = models.ForeignKey(
        Detainee, verbose_name=_("在押人员"), on_delete=models.PROTECT, related_name="bookings"
    )
    centre = models.ForeignKey(Organisation, verbose_name=_("机构"), on_delete=models.PROTECT, related_name="bookings")
    date = models.DateField(_("日期"))
    start = models.TimeField(_("开始时间"))
    end = models.TimeField(_("结束时间"))
    room_kind = models.CharField(_("会见方式"), max_length=16, choices=RoomKind.choices, default=RoomKind.IN_PERSON)
    status = models.CharField(
        _("状态"), max_length=16, choices=BookingStatus.choices, default=BookingStatus.UNDER_REVIEW
    )
    reason = models.CharField(_("原因"), max_length=300, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"))
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    legal_aid = models.BooleanField(_("法律援助案件"), default=False)
    assistant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("律师助理"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assisted_bookings",
        help_text=_("同一律师事务所的律师助理，协助会见。"),
    )
    idempotency_key = models.CharField(max_length=80, blank=True)
    request_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("会见预约")
        verbose_name_plural = _("会见预约")
        ordering = ["date", "start", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="visits_booking_time_order"),
            # One lawyer, or one detainee, cannot hold two rooms at the same start.
            models.UniqueConstraint(
                fields=["lawyer", "date", "start"], condition=HOLDING_Q, name="visits_booking_lawyer_slot_unique"
            ),
            models.UniqueConstraint(
                fields=["detainee", "date", "start"], condition=HOLDING_Q, name="visits_booking_detainee_slot_unique"
            ),
            models.UniqueConstraint(
                fields=["lawyer", "idempotency_key", "date", "start"],
                condition=~Q(idempotency_key=""),
                name="visits_booking_idempotency_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["lawyer", "status", "date"], name="visits_booking_lawyer_status"),
            models.Index(fields=["centre", "date", "status"], name="visits_booking_centre_day"),
            models.Index(fields=["detainee", "date"], name="visits_booking_detainee_day"),
        ]

    def __str__(self) -> str:
        return f"{self.detainee} {self.date} {self.start:%H:%M}"

    @property
    def scope_org(self) -> Organisation:
        return self.centre


class SlotLoad(models.Model):
    """How many rooms of one kind one slot has, and how many are taken.

    ``reserved`` of the rooms are for legal-aid cases only; ``taken_open``
    counts the rooms taken by other bookings, which may not use them. A
    room held for a waitlist offer counts as taken."""

    centre = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="slot_loads")
    date = models.DateField()
    start = models.TimeField()
    end = models.TimeField()
    room_kind = models.CharField(max_length=16, choices=RoomKind.choices)
    capacity = models.PositiveIntegerField()
    taken = models.PositiveIntegerField(default=0)
    reserved = models.PositiveIntegerField(default=0)
    taken_open = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["centre", "date", "start", "room_kind"], name="visits_slotload_unique"),
            models.CheckConstraint(condition=Q(taken__lte=F("capacity")), name="visits_slotload_within_capacity"),
            models.CheckConstraint(condition=Q(taken__gte=0), name="visits_slotload_taken_positive"),
            models.CheckConstraint(condition=Q(reserved__lte=F("capacity")), name="visits_slotload_reserved_range"),
            models.CheckConstraint(
                condition=Q(taken_open__lte=F("capacity") - F("reserved")) & Q(taken_open__lte=F("taken")),
                name="visits_slotload_open_within",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.centre_id} {self.date} {self.start} {self.room_kind}: {self.taken}/{self.capacity}"
