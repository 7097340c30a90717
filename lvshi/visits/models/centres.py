from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from lvshi.calendar.workdays import WorkCalendar
from lvshi.orgs.models import Organisation, OrgKind

CENTRE_KINDS = (OrgKind.DETENTION_CENTRE, OrgKind.VIDEO_POINT)


class RoomKind(models.TextChoices):
    IN_PERSON = "in_person", _("当面会见")
    VIDEO = "video", _("视频会见")


# RoomKind.values builds a new list on every access; the availability of a
# window asks for it once per slot and day.
ROOM_KINDS = tuple(RoomKind.values)


class SlotPattern(models.TextChoices):
    SESSIONS = "sessions", _("上午、下午场次")
    FIXED = "fixed", _("固定时长时段")


def _parse_hhmm(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def _default_sessions() -> list:
    return [["08:30", "11:00"], ["13:30", "16:30"]]


class CentreConfig(models.Model):
    """How one detention centre or video point takes bookings."""

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("机构"),
        on_delete=models.CASCADE,
        related_name="visit_config",
        limit_choices_to={"kind__in": CENTRE_KINDS},
    )
    earliest_days = models.PositiveSmallIntegerField(_("最早提前天数"), default=1)
    latest_days = models.PositiveSmallIntegerField(_("最晚提前天数"), default=10)
    saturday_open = models.BooleanField(_("周六开放"), default=False)
    auto_approve = models.BooleanField(_("自动审核通过"), default=False)
    pattern = models.CharField(_("时段方式"), max_length=16, choices=SlotPattern.choices, default=SlotPattern.SESSIONS)
    sessions = models.JSONField(_("场次"), default=_default_sessions, blank=True)
    slot_minutes = models.PositiveSmallIntegerField(
        _("时段长度（分钟）"), choices=[(30, "30"), (60, "60"), (90, "90")], default=60
    )
    opens_at = models.TimeField(_("开始时间"), default=time(8, 30))
    closes_at = models.TimeField(_("结束时间"), default=time(16, 30))
    legal_aid_priority_days = models.PositiveSmallIntegerField(
        _("法律援助律师优先预约天数"),
        default=0,
        help_text=_("法律援助案件的律师可比最晚提前天数再多预约的天数（0 表示不设优先）。"),
    )

    # The centre's active rooms per kind, and how many of them only legal-aid
    # cases may book: not columns, but the counts every query that reads a
    # configuration for booking adds (``selectors.room_counts()``, and the
    # booking request's one statement).
    in_person_rooms: int
    video_rooms: int
    in_person_reserved: int
    video_reserved: int

    class Meta:
        verbose_name = _("会见设置")
        verbose_name_plural = _("会见设置")
        constraints = [
            models.CheckConstraint(condition=Q(earliest_days__lte=F("latest_days")), name="visits_window_order"),
            models.CheckConstraint(condition=Q(opens_at__lt=F("closes_at")), name="visits_hours_order"),
        ]

    def __str__(self) -> str:
        return str(self.organisation)

    @property
    def scope_org(self) -> Organisation:
        return self.organisation

    @cached_property
    def extra_sessions_read(self) -> dict[date, list[tuple[time, time]]]:
        """The extra sessions read so far through this object, per day
        (``selectors.extra_sessions``). A configuration object lives for
        one request, so a session added meanwhile counts from the next."""
        return {}

    @cached_property
    def work_calendar(self) -> WorkCalendar:
        """The centre's calendar, one per configuration object: a booking
        request loads the holidays and closures of its window once, and
        every day it looks at (the day asked for, the alternatives) reads
        from it."""
        return WorkCalendar(self.organisation)

    def clean(self):
        if self.organisation_id and self.organisation.kind not in CENTRE_KINDS:
            raise ValidationError({"organisation": _("只有看守所和远程视频会见点可以设置会见。")})
        if self.earliest_days > self.latest_days:
            raise ValidationError({"latest_days": _("最晚提前天数不能小于最早提前天数。")})
        if self.pattern == SlotPattern.SESSIONS:
            try:
                slots = self._session_slots()
            except (TypeError, ValueError) as exc:
                raise ValidationError({"sessions": _('场次格式应为 [["08:30", "11:00"], …]。')}) from exc
            if not slots or any(start >= end for start, end in slots):
                raise ValidationError({"sessions": _("每个场次的开始时间应早于结束时间。")})
        elif self.opens_at >= self.closes_at:
            raise ValidationError({"closes_at": _("结束时间应晚于开始时间。")})

    def _session_slots(self) -> list[tuple[time, time]]:
        return sorted((_parse_hhmm(start), _parse_hhmm(end)) for start, end in self.sessions)

    def slots(self) -> list[tuple[time, time]]:
        """The day's slots as (start, end), in order."""
        if self.pattern == SlotPattern.SESSIONS:
            return self._session_slots()
        day = datetime(2000, 1, 1)
        step = timedelta(minutes=self.slot_minutes)
        start, close = datetime.combine(day, self.opens_at), datetime.combine(day, self.closes_at)
        result = []
        while start + step <= close:
            result.append((start.time(), (start + step).time()))
            start += step
        return result


class Room(models.Model):
    centre = models.ForeignKey(Organisation, verbose_name=_("机构"), on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("名称"), max_length=50)
    kind = models.CharField(_("类型"), max_length=16, choices=RoomKind.choices, default=RoomKind.IN_PERSON)
    active = models.BooleanField(_("启用"), default=True)
    legal_aid_only = models.BooleanField(
        _("法律援助专用"), default=False, help_text=_("只接受法律援助案件的预约（远程视频会见点可设专用会见室）。")
    )

    class Meta:
        verbose_name = _("会见室")
        verbose_name_plural = _("会见室")
        constraints = [models.UniqueConstraint(fields=["centre", "name"], name="visits_room_name_unique")]
        indexes = [models.Index(fields=["centre", "kind", "active"], name="visits_room_centre_kind")]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_org(self) -> Organisation:
        return self.centre


class ExtraSession(models.Model):
    """An extra meeting session on one day (加开会见场次): its slot is
    bookable that day in addition to the pattern's, and a day that would be
    closed (a weekend) opens for it."""

    centre = models.ForeignKey(
        Organisation, verbose_name=_("机构"), on_delete=models.CASCADE, related_name="extra_sessions"
    )
    date = models.DateField(_("日期"))
    start = models.TimeField(_("开始时间"))
    end = models.TimeField(_("结束时间"))
    note = models.CharField(_("说明"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("加开场次")
        verbose_name_plural = _("加开场次")
        ordering = ["date", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="visits_extra_time_order"),
            models.UniqueConstraint(fields=["centre", "date", "start"], name="visits_extra_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.start:%H:%M}-{self.end:%H:%M}"

    @property
    def scope_org(self) -> Organisation:
        return self.centre
