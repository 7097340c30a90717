"""Periodic work reports (A5): a firm fills the period's electronic form
and submits it to its supervising bureau, which accepts it or returns it
with reasons; a bureau sums its firms' accepted reports with the sums its
sub-bodies sent, and sends that sum up the tree."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lvshi.core.text import StrOrPromise

# A period: a year ("2026"), a half ("2026-H1") or a quarter ("2026-Q3").
PERIOD_RE = re.compile(r"^(20\d{2})(?:-(H[12]|Q[1-4]))?$")
period_validator = RegexValidator(PERIOD_RE, _("报表期间应写成 2026、2026-H1 或 2026-Q3。"))

# The form's items, each a whole number (revenue in yuan).
ITEMS: tuple[tuple[str, StrOrPromise], ...] = (
    ("criminal", _("刑事案件（件）")),
    ("civil", _("民事案件（件）")),
    ("administrative", _("行政案件（件）")),
    ("non_litigation", _("非诉讼法律事务（件）")),
    ("consulting", _("法律咨询（次）")),
    ("legal_aid", _("法律援助案件（件）")),
    ("revenue", _("业务收入（元）")),
    ("lawyers", _("执业律师（人）")),
    ("interns", _("实习人员（人）")),
    ("staff", _("辅助人员（人）")),
)
ITEM_KEYS = tuple(k for k, _label in ITEMS)


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送待审核")
    RETURNED = "returned", _("已退回")
    ACCEPTED = "accepted", _("已审核")


class Report(models.Model):
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("律师事务所"), on_delete=models.PROTECT, related_name="+"
    )
    # The supervising bureau that checks it (the firm's parent when it was made).
    body = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("主管机关"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("报表期间"), max_length=7, validators=[period_validator])
    values = models.JSONField(_("报表数据"), default=dict)
    status = models.CharField(_("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    reason = models.CharField(_("退回原因"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    entered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("工作报表")
        verbose_name_plural = _("工作报表")
        ordering = ["-period", "organisation_id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "period"], name="bureau_report_one_per_period")]
        indexes = [models.Index(fields=["body", "period", "status"])]

    def __str__(self) -> str:
        return f"{self.period} #{self.organisation_id}"

    @property
    def scope_org(self):
        return self.organisation


class ReportSum(models.Model):
    """A body's sum of a period as it sent it up: its firms' accepted
    reports and the sums its sub-bodies sent it."""

    body = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=7, validators=[period_validator])
    values = models.JSONField(default=dict)
    firms = models.PositiveIntegerField(default=0)  # accepted firm reports in the sum, at every level below
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["body", "period"], name="bureau_report_sum_one_per_period")]

    def __str__(self) -> str:
        return f"{self.period} sum #{self.body_id}"

    @property
    def scope_org(self):
        return self.body
