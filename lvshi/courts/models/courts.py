"""Courts, their rooms and the numbering of their cases (C1, C2).

A court is an organisation of kind ``court`` in the organisation tree; its
:class:`Court` profile adds what only a court has: its level and its 法院代字
(the code in its case numbers, such as 渝01). Case numbers come from
:class:`CaseNumberSequence`, one row per court, year and case type, moved
by :func:`lvshi.courts.numbers.allocate`."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lvshi.orgs.models import Organisation


class CourtLevel(models.TextChoices):
    HIGHER = "higher", _("高级人民法院")
    INTERMEDIATE = "intermediate", _("中级人民法院")
    BASIC = "basic", _("基层人民法院")


class CaseType(models.TextChoices):
    """Case types by their 类型代字, the characters in the case number
    （最高人民法院《关于人民法院案件案号的若干规定》及其配套标准）."""

    CIVIL_FIRST = "民初", _("民事一审")
    CIVIL_SECOND = "民终", _("民事二审")
    CRIMINAL_FIRST = "刑初", _("刑事一审")
    CRIMINAL_SECOND = "刑终", _("刑事二审")
    ADMIN_FIRST = "行初", _("行政一审")
    ADMIN_SECOND = "行终", _("行政二审")
    ENFORCEMENT = "执", _("首次执行")
    ENFORCEMENT_OBJECTION = "执异", _("执行异议")
    PRESERVATION = "财保", _("财产保全")


# 法院代字: the province's one character (渝: the higher court), then two
# digits for an intermediate court (渝01) and two more for a basic one (渝0103).
COURT_CODE = r"[\u4e00-\u9fff](?:\d{2}){0,2}"

court_code_validator = RegexValidator(
    rf"^{COURT_CODE}$",
    _("法院代字由省级简称加数字组成，如“渝”“渝01”“渝0103”。"),
)


class Court(models.Model):
    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("法院"),
        on_delete=models.CASCADE,
        related_name="court",
        limit_choices_to={"kind": "court"},
    )
    level = models.CharField(_("法院层级"), max_length=16, choices=CourtLevel.choices)
    code = models.CharField(_("法院代字"), max_length=8, unique=True, validators=[court_code_validator])
    case_types = models.JSONField(
        _("受理的案件类型"), default=list, blank=True, help_text=_("该法院网上立案受理的案件类型代字。")
    )

    class Meta:
        verbose_name = _("法院")
        verbose_name_plural = _("法院")

    def __str__(self) -> str:
        return f"{self.organisation.name}（{self.code}）"


class CourtRoom(models.Model):
    court = models.ForeignKey(Court, verbose_name=_("法院"), on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("法庭名称"), max_length=60)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("法庭")
        verbose_name_plural = _("法庭")
        constraints = [models.UniqueConstraint(fields=["court", "name"], name="courts_room_name_unique")]

    def __str__(self) -> str:
        return self.name


class CaseNumberSequence(models.Model):
    """The last number given in one court, year and case type. Numbers are
    handed out by a conditional update of ``last`` (never skipped, never
    repeated); the row is created on the first number of the year."""

    court = models.ForeignKey(Court, on_delete=models.CASCADE, related_name="number_sequences")
    year = models.PositiveSmallIntegerField()
    case_type = models.CharField(max_length=8, choices=CaseType.choices)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["court", "year", "case_type"], name="courts_sequence_unique"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2999), name="courts_sequence_year"),
        ]

    def __str__(self) -> str:
        return f"{self.court.code} {self.year} {self.case_type}: {self.last}"
