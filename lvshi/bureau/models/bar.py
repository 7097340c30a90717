"""Bar affairs (A7): dues collected per lawyer per year and training
attended, registered by bar associations; the annual assessment shows
whether each is complete."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Dues(models.Model):
    lawyer = models.ForeignKey("bureau.Lawyer", verbose_name=_("律师"), on_delete=models.PROTECT, related_name="dues")
    year = models.PositiveSmallIntegerField(_("年度"))
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2)
    paid_on = models.DateField(_("缴纳日期"))
    body = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("登记机关"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("会费")
        verbose_name_plural = _("会费")
        ordering = ["-year", "lawyer_id"]
        constraints = [
            models.UniqueConstraint(fields=["lawyer", "year"], name="bureau_dues_once_a_year"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="bureau_dues_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.lawyer_id} {self.year}"

    @property
    def scope_org(self):
        return self.body


class Training(models.Model):
    lawyer = models.ForeignKey(
        "bureau.Lawyer", verbose_name=_("律师"), on_delete=models.PROTECT, related_name="trainings"
    )
    course = models.CharField(_("课程"), max_length=100)
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1)
    attended_on = models.DateField(_("培训日期"))
    body = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("登记机关"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("培训")
        verbose_name_plural = _("培训")
        ordering = ["-attended_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0) & Q(hours__lte=100), name="bureau_training_hours"),
            models.UniqueConstraint(fields=["lawyer", "course", "attended_on"], name="bureau_training_once"),
        ]

    def __str__(self) -> str:
        return f"{self.lawyer_id} {self.course}"

    @property
    def scope_org(self):
        return self.body
