"""The laws library (C12): each official text as a version (法律、行政法规、
司法解释、部门规章), its structure (编/章/节) and its articles. A text is
imported from the corpus's Markdown (``lvshi.laws.parse``); the newest
version of a title is the one in force."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Law(models.Model):
    category = models.CharField(_("类别"), max_length=20, db_index=True)
    title = models.CharField(_("标题"), max_length=200)
    subtitle = models.CharField(_("分编"), max_length=100, blank=True)
    short_title = models.CharField(_("简称"), max_length=200)
    version = models.DateField(_("版本日期"), null=True, blank=True)
    in_force = models.BooleanField(_("现行有效"), default=True)
    history = models.TextField(_("制定和修改情况"), blank=True)
    # The corpus file it came from (category/name.md) and its content's hash.
    source = models.CharField(max_length=300, unique=True)
    sha256 = models.CharField(max_length=64)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("法律法规")
        verbose_name_plural = _("法律法规")
        ordering = ["short_title", "-version"]
        indexes = [models.Index(fields=["short_title", "subtitle", "version"], name="laws_law_versions")]

    def __str__(self) -> str:
        return f"{self.title}（{self.version:%Y-%m-%d}）" if self.version else self.title


class Heading(models.Model):
    """A heading of the structure: 编 (1), 章 (2), 节 (3)…, in text order."""

    law = models.ForeignKey(Law, on_delete=models.CASCADE, related_name="headings")
    position = models.PositiveIntegerField()
    level = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=200)

    class Meta:
        ordering = ["law", "position"]
        constraints = [models.UniqueConstraint(fields=["law", "position"], name="laws_heading_position")]

    def __str__(self) -> str:
        return self.text


class Article(models.Model):
    law = models.ForeignKey(Law, on_delete=models.CASCADE, related_name="articles")
    position = models.PositiveIntegerField()
    # 第一百二十六条 (or 第二百八十八条之一) and its number, for sorting and anchors.
    label = models.CharField(_("条"), max_length=30)
    number = models.PositiveIntegerField(_("条号"))
    # The headings above it, joined: 第一编 总则 / 第一章 任务、适用范围和基本原则.
    path = models.CharField(_("所在章节"), max_length=400, blank=True)
    text = models.TextField(_("条文"))

    class Meta:
        verbose_name = _("条文")
        verbose_name_plural = _("条文")
        ordering = ["law", "position"]
        constraints = [models.UniqueConstraint(fields=["law", "position"], name="laws_article_position")]

    def __str__(self) -> str:
        return f"{self.law.short_title} {self.label}"

    @property
    def body(self) -> str:
        """The text without its leading label (第一条), which the pages show as the anchor."""
        if self.label and self.text.startswith(self.label):
            return self.text[len(self.label) :].lstrip()
        return self.text
