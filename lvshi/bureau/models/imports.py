"""Spreadsheet imports into the registry (A2): an uploaded workbook is
checked row by row and previewed; nothing is written until the user
confirms; then a background task writes the whole file or nothing."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    LAWYERS = "lawyers", _("律师")
    FIRMS = "firms", _("律师事务所")
    INTERNS = "interns", _("实习人员")
    STAFF = "staff", _("辅助人员")


class ImportStatus(models.TextChoices):
    INVALID = "invalid", _("有错误，未导入")
    READY = "ready", _("待确认")
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("导入中")
    DONE = "done", _("已导入")
    FAILED = "failed", _("导入失败")


def _import_path(instance, filename: str) -> str:
    return f"imports/{instance.organisation_id}/{filename}"


class Import(models.Model):
    kind = models.CharField(_("导入内容"), max_length=10, choices=ImportKind.choices)
    # The body (or firm) that imports: rows must lie within its reach.
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("文件名"), max_length=150)
    file = models.FileField(upload_to=_import_path)
    sha256 = models.CharField(max_length=64)
    status = models.CharField(_("状态"), max_length=10, choices=ImportStatus.choices)
    rows = models.PositiveIntegerField(_("数据行数"), default=0)
    # Rows the registry already holds exactly as written: importing them changes nothing.
    unchanged = models.PositiveIntegerField(_("无变化行数"), default=0)
    created = models.PositiveIntegerField(_("新增行数"), default=0)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    # The first errors, each {"row", "column", "message"}, and the first rows as read.
    errors = models.JSONField(default=list)
    sample = models.JSONField(default=list)
    failure = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    entered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("数据导入")
        verbose_name_plural = _("数据导入")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A file is imported once: the same content again is recognised, not written twice.
            models.UniqueConstraint(
                fields=["organisation", "kind", "sha256"],
                condition=Q(status__in=["queued", "running", "done"]),
                name="bureau_import_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"

    @property
    def scope_org(self):
        return self.organisation
