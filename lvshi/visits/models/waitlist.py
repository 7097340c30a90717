from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lvshi.orgs.models import Organisation

from .bookings import Booking
from .centres import RoomKind
from .detainees import Detainee

# --- waitlist ------------------------------------------------------------------------


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", _("排队中")
    OFFERED = "offered", _("已为您保留")
    BOOKED = "booked", _("已预约")
    EXPIRED = "expired", _("已过期")
    CANCELLED = "cancelled", _("已取消")


WAITLIST_OPEN = (WaitlistStatus.WAITING, WaitlistStatus.OFFERED)


class WaitlistEntry(models.Model):
    """A lawyer waits for a room in a full slot. A released room is offered
    to the first in line and held for them (it stays counted as taken) until
    ``offer_expires_at``; then it goes to the next."""

    lawyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("律师"), on_delete=models.PROTECT, related_name="visit_waits"
    )
    detainee = models.ForeignKey(Detainee, verbose_name=_("在押人员"), on_delete=models.PROTECT, related_name="+")
    centre = models.ForeignKey(Organisation, verbose_name=_("机构"), on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("日期"))
    start = models.TimeField(_("开始时间"))
    end = models.TimeField(_("结束时间"))
    room_kind = models.CharField(_("会见方式"), max_length=16, choices=RoomKind.choices, default=RoomKind.IN_PERSON)
    legal_aid = models.BooleanField(_("法律援助案件"), default=False)
    status = models.CharField(_("状态"), max_length=16, choices=WaitlistStatus.choices, default=WaitlistStatus.WAITING)
    created_at = models.DateTimeField(_("登记时间"))
    offered_at = models.DateTimeField(_("保留开始"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("保留截止"), null=True, blank=True)
    booking = models.OneToOneField(
        Booking, verbose_name=_("预约"), null=True, blank=True, on_delete=models.SET_NULL, related_name="waitlist_entry"
    )
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("候补")
        verbose_name_plural = _("候补")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["lawyer", "detainee", "date", "start", "room_kind"],
                condition=Q(status__in=["waiting", "offered"]),
                name="visits_wait_one_open",
            ),
            models.CheckConstraint(
                condition=~Q(status="offered") | Q(offer_expires_at__isnull=False), name="visits_wait_offer_has_expiry"
            ),
        ]
        indexes = [
            models.Index(fields=["centre", "date", "start", "room_kind", "status"], name="visits_wait_slot"),
            models.Index(fields=["status", "offer_expires_at"], name="visits_wait_offers"),
            models.Index(fields=["lawyer", "status"], name="visits_wait_lawyer"),
        ]

    def __str__(self) -> str:
        return f"{self.lawyer} {self.date} {self.start:%H:%M}"

    @property
    def scope_org(self) -> Organisation:
        return self.centre
