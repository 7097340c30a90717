"""Working-day calendar: official holiday schedules per year (entered by
platform administrators from the State Council notice) and closures that an
organisation declares for itself and everything below it."""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lvshi.core.text import StrOrPromise
from lvshi.orgs.models import region_code_validator


class DayKind(models.TextChoices):
    WORKDAY = "workday", _("工作日")
    WEEKEND = "weekend", _("休息日")
    HOLIDAY = "holiday", _("节假日")
    MAKEUP_WORKDAY = "makeup_workday", _("调休上班")
    CLOSURE = "closure", _("停止办公")


class HolidayYear(models.Model):
    """The official holiday schedule of one year. When published, its dates
    replace what the holidays library says for that year."""

    year = models.PositiveSmallIntegerField(
        _("年度"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    published = models.BooleanField(
        _("已生效"), default=False, help_text=_("勾选后，本年度以此表为准，不再使用内置节假日数据。")
    )
    source = models.CharField(
        _("依据"), max_length=300, blank=True, help_text=_("例如：国务院办公厅关于2027年部分节假日安排的通知")
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("年度放假安排")
        verbose_name_plural = _("年度放假安排")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}"


class HolidayDateKind(models.TextChoices):
    HOLIDAY = DayKind.HOLIDAY.value, DayKind.HOLIDAY.label
    MAKEUP_WORKDAY = DayKind.MAKEUP_WORKDAY.value, DayKind.MAKEUP_WORKDAY.label


class HolidayDate(models.Model):
    schedule = models.ForeignKey(HolidayYear, verbose_name=_("年度"), on_delete=models.CASCADE, related_name="dates")
    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=HolidayDateKind.choices)
    name = models.CharField(_("名称"), max_length=50, help_text=_("例如：国庆节"))

    class Meta:
        verbose_name = _("放假或调休日期")
        verbose_name_plural = _("放假或调休日期")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}（{self.get_kind_display()}）"

    def clean(self):
        errors: dict[str, StrOrPromise] = {}
        try:
            year = self.schedule.year  # also set when the year is being added with its dates
        except ObjectDoesNotExist:
            year = None
        if self.date and year and self.date.year != year:
            errors["date"] = _("日期应在%(year)d年内。") % {"year": year}
        if self.date and self.kind == HolidayDateKind.MAKEUP_WORKDAY and self.date.weekday() < 5:
            errors["kind"] = _("调休上班日应为周六或周日；工作日本来就上班，无需登记。")
        if errors:
            raise ValidationError(errors)


class Closure(models.Model):
    """A day on which an organisation (and every organisation below it) does
    not work: e.g. a detention centre closed for an inspection."""

    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("机构"), on_delete=models.CASCADE, related_name="closures"
    )
    date = models.DateField(_("日期"))
    reason = models.CharField(_("原因"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("停止办公日")
        verbose_name_plural = _("停止办公日")
        ordering = ["date", "organisation_id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "date"], name="calendar_closure_unique_day")]

    def __str__(self) -> str:
        return f"{self.organisation} {self.date} {self.reason}"

    @property
    def scope_org(self):
        return self.organisation


class FeedToken(models.Model):
    """The secret of a user's private calendar feed (``/calendar/feed/<token>.ics``).
    Only its SHA-256 is stored; resetting replaces it, so the old link stops
    working at once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="calendar_feed"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("生成时间"))
    last_used_at = models.DateTimeField(_("最近访问"), null=True, blank=True)

    class Meta:
        verbose_name = _("日历订阅链接")
        verbose_name_plural = _("日历订阅链接")

    def __str__(self) -> str:
        return f"feed#{self.pk} of user#{self.user_id}"


class ScheduleEntry(models.Model):
    """A lawyer's own entry in the schedule (C1): a time range, whether the
    lawyer can attend court then, and a note. Visible to the lawyer and to
    the judges of the lawyer's cases."""

    lawyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("律师"), on_delete=models.CASCADE, related_name="schedule_entries"
    )
    start = models.DateTimeField(_("开始时间"))
    end = models.DateTimeField(_("结束时间"))
    can_attend = models.BooleanField(_("可以出庭"), default=False)
    text = models.CharField(_("事项"), max_length=200)
    region_code = models.CharField(_("所在地区代码"), max_length=6, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("个人日程")
        verbose_name_plural = _("个人日程")
        ordering = ["start", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="calendar_entry_ends_after")
        ]
        indexes = [models.Index(fields=["lawyer", "start"], name="calendar_entry_lawyer_start")]

    def __str__(self) -> str:
        return self.text


class TravelTime(models.Model):
    """The time to allow between two places (administrative regions: a
    district's code, or a city's four digits followed by 00). Looked up in
    both directions; a place to itself is 0; a pair not listed takes the
    settings' defaults (``TRAVEL_MINUTES_SAME_CITY`` / ``TRAVEL_MINUTES_OTHER``)."""

    region_a = models.CharField(_("地区甲"), max_length=6, validators=[region_code_validator])
    region_b = models.CharField(_("地区乙"), max_length=6, validators=[region_code_validator])
    minutes = models.PositiveSmallIntegerField(_("路程时间（分钟）"), validators=[MaxValueValidator(24 * 60)])

    class Meta:
        verbose_name = _("路程时间")
        verbose_name_plural = _("路程时间")
        constraints = [
            models.UniqueConstraint(fields=["region_a", "region_b"], name="calendar_travel_pair_unique"),
            models.CheckConstraint(condition=models.Q(region_a__lt=models.F("region_b")), name="calendar_travel_order"),
        ]

    def __str__(self) -> str:
        return f"{self.region_a}↔{self.region_b}: {self.minutes}"

    def save(self, *args, **kwargs) -> None:
        # One row per pair: the smaller code first, whichever order it was typed in.
        if self.region_a > self.region_b:
            self.region_a, self.region_b = self.region_b, self.region_a
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.region_a == self.region_b:
            raise ValidationError(_("同一地区之间的路程时间为0，无需登记。"))
