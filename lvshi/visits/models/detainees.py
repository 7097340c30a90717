from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lvshi.orgs.models import Organisation


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class DetaineeStatus(models.TextChoices):
    HELD = "held", _("在押")
    RELEASED = "released", _("已释放")
    TRANSFERRED = "transferred", _("已转所")


class Detainee(models.Model):
    centre = models.ForeignKey(
        Organisation, verbose_name=_("看守所"), on_delete=models.PROTECT, related_name="detainees"
    )
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"))
    centre_number = models.CharField(_("监号"), max_length=30)
    status = models.CharField(_("状态"), max_length=16, choices=DetaineeStatus.choices, default=DetaineeStatus.HELD)
    status_changed_at = models.DateTimeField(_("状态变更时间"), null=True, blank=True)
    transferred_to = models.CharField(_("转往"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, null=True)

    class Meta:
        verbose_name = _("在押人员")
        verbose_name_plural = _("在押人员")
        constraints = [
            models.UniqueConstraint(fields=["centre", "centre_number"], name="visits_detainee_number_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_org(self) -> Organisation:
        return self.centre


class Case(models.Model):
    centre = models.ForeignKey(Organisation, verbose_name=_("看守所"), on_delete=models.PROTECT, related_name="cases")
    number = models.CharField(_("案号"), max_length=60)
    title = models.CharField(_("案由"), max_length=100, blank=True)
    defendants: models.ManyToManyField[Detainee, CaseDefendant] = models.ManyToManyField(
        Detainee, through="CaseDefendant", related_name="cases"
    )

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        constraints = [models.UniqueConstraint(fields=["centre", "number"], name="visits_case_number_unique")]

    def __str__(self) -> str:
        return self.number

    @property
    def scope_org(self) -> Organisation:
        return self.centre


class CaseDefendant(models.Model):
    """A detainee is a defendant (co-defendant) of a case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links")
    detainee = models.ForeignKey(Detainee, on_delete=models.CASCADE, related_name="case_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "detainee"], name="visits_case_defendant_unique")]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.detainee_id}"
