"""The firms' case register (收结案登记, A6) and the letters of introduction
a registered case backs (调查介绍信, 律师事务所函), each with a code anyone
can check on a public page."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class MatterType(models.TextChoices):
    CRIMINAL = "criminal", _("刑事辩护与代理")
    CIVIL = "civil", _("民事诉讼代理")
    ADMINISTRATIVE = "administrative", _("行政诉讼代理")
    NON_LITIGATION = "non_litigation", _("非诉讼法律事务")
    COUNSEL = "counsel", _("常年法律顾问")
    LEGAL_AID = "legal_aid", _("法律援助")
    OTHER = "other", _("其他")


class CaseRecord(models.Model):
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("律师事务所"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("登记编号"), max_length=20)
    lawyer = models.ForeignKey(
        "bureau.Lawyer", verbose_name=_("承办律师"), on_delete=models.PROTECT, related_name="case_records"
    )
    co_lawyer = models.ForeignKey(
        "bureau.Lawyer", verbose_name=_("协办律师"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    client = models.CharField(_("委托人"), max_length=100)
    matter_type = models.CharField(_("业务类型"), max_length=16, choices=MatterType.choices)
    matter = models.CharField(_("案由或事项"), max_length=200)
    venue = models.CharField(_("受理法院或机关"), max_length=100, blank=True)
    taken_on = models.DateField(_("收案日期"))
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    fee = models.DecimalField(_("收费（元）"), max_digits=12, decimal_places=2, default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("收结案登记")
        verbose_name_plural = _("收结案登记")
        ordering = ["-taken_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="bureau_case_number_per_firm"),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("taken_on")), name="bureau_case_closed_after"
            ),
            models.CheckConstraint(condition=Q(fee__gte=0), name="bureau_case_fee_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.matter}"

    @property
    def scope_org(self):
        return self.organisation


class LetterKind(models.TextChoices):
    INVESTIGATION = "investigation", _("调查介绍信")
    FIRM_LETTER = "firm_letter", _("律师事务所函")
    MEETING = "meeting", _("会见介绍信")


class Letter(models.Model):
    # No letter without a registered case (PROTECT: a case with letters stays).
    case = models.ForeignKey(CaseRecord, verbose_name=_("登记案件"), on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(_("函件类型"), max_length=16, choices=LetterKind.choices)
    recipient = models.CharField(_("致"), max_length=100)
    code = models.CharField(_("核验码"), max_length=16, unique=True)
    issued_at = models.DateTimeField(_("出具时间"), auto_now_add=True)
    valid_until = models.DateField(_("有效期至"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(_("作废时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("介绍信")
        verbose_name_plural = _("介绍信")
        ordering = ["-issued_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.code}"

    @property
    def scope_org(self):
        return self.case.organisation
