"""Correction requests (A2): a firm that finds its record wrong where its
role may not change it asks its city bureau, with evidence; the city decides
or forwards the request to the province; a penalty's record is corrected
only by the body that decided it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .discipline import StoredFile


class CorrectionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待处理")
    FORWARDED = "forwarded", _("已报省级处理")
    APPROVED = "approved", _("已更正")
    REJECTED = "rejected", _("不予更正")


class Correction(models.Model):
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("申请单位"), on_delete=models.PROTECT, related_name="+"
    )
    # What is to be corrected: a lawyer's record, the firm's own record, or a penalty.
    lawyer = models.ForeignKey("bureau.Lawyer", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    penalty = models.ForeignKey("bureau.Penalty", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # {field: {"label", "before", "after"}}: the difference asked for, field by field.
    changes = models.JSONField(_("更正内容"), default=dict)
    reason = models.CharField(_("理由"), max_length=500)
    status = models.CharField(
        _("状态"), max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.SUBMITTED
    )
    # The body that holds it now.
    body = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("处理机关"), on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(_("处理意见"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    entered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("更正申请")
        verbose_name_plural = _("更正申请")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["body", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=~(Q(lawyer__isnull=False) & Q(penalty__isnull=False)), name="bureau_correction_one_target"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_status_display()}"

    @property
    def scope_org(self):
        return self.organisation


def _correction_path(instance, filename: str) -> str:
    return f"corrections/{instance.correction_id}/{filename}"


class CorrectionFile(StoredFile):
    correction = models.ForeignKey(Correction, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=_correction_path)
