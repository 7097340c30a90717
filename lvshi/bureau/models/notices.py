"""Announcements and messages (A9): a body's board reaches the bodies and
firms below it, with read receipts; bodies write to each other."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Announcement(models.Model):
    body = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("发布机关"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=100)
    text = models.TextField(_("内容"), max_length=10000)
    published_at = models.DateTimeField(_("发布时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("公告")
        verbose_name_plural = _("公告")
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def scope_org(self):
        return self.body


class AnnouncementRead(models.Model):
    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["announcement", "user"], name="bureau_announcement_read_once")]

    def __str__(self) -> str:
        return f"{self.announcement_id} read by {self.user_id}"


class BodyMessage(models.Model):
    sender = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("发件机关"), on_delete=models.PROTECT, related_name="+"
    )
    recipient = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("收件机关"), on_delete=models.PROTECT, related_name="+"
    )
    subject = models.CharField(_("主题"), max_length=100)
    text = models.TextField(_("内容"), max_length=5000)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("机关留言")
        verbose_name_plural = _("机关留言")
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.subject
