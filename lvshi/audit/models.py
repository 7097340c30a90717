"""Append-only, tamper-evident audit events.

Events are chained per shard: each event's hash covers its own canonical
content and the previous event's hash in the same shard, keyed with
AUDIT_CHAIN_KEY. Writers lock only their shard's head row, so the chain is
not one global lock on hot paths.

Rows are never changed: the model and its queryset refuse updates and
deletes, and the database refuses them too (a trigger installed by the
migrations). Only ``audit_prune`` removes events, oldest first, and records
where it stopped on the shard's :class:`ChainHead` so that verification
starts there.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import actions


class Result(models.TextChoices):
    OK = "ok", _("成功")
    DENIED = "denied", _("被拒绝")
    FAILED = "failed", _("失败")


class AppendOnlyError(Exception):
    """Audit events cannot be changed or deleted once written."""


class ChainHead(models.Model):
    shard = models.PositiveIntegerField(primary_key=True)
    seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")
    # Set by audit_prune: events up to this sequence number were removed; the
    # next event's prev_hash must equal pruned_last_hash.
    pruned_through_seq = models.PositiveBigIntegerField(default=0)
    pruned_last_hash = models.CharField(max_length=64, default="", blank=True)

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")

    def __str__(self) -> str:
        return f"shard {self.shard} @ {self.seq}"


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events are append-only and cannot be updated")

    def delete(self):
        raise AppendOnlyError("Audit events are append-only; use the audit_prune command to apply retention")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("Audit events are append-only and cannot be updated")

    def bulk_create(self, objs, *args, **kwargs):
        raise AppendOnlyError("Audit events are written one by one through audit_record, which chains them")

    def update_or_create(self, *args, **kwargs):
        raise AppendOnlyError("Audit events are append-only and cannot be updated")


class AuditEvent(models.Model):
    shard = models.PositiveIntegerField(editable=False)
    seq = models.PositiveBigIntegerField(editable=False)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    occurred_at = models.DateTimeField(_("时间"), db_index=True)
    tz_offset = models.CharField(_("时区偏移"), max_length=6)  # e.g. +08:00
    # The trail outlives accounts and organisations: no database constraint
    # and no cascade, so removing a user never rewrites (or breaks) the chain.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("操作人账户"),
    )
    actor_label = models.CharField(_("操作人"), max_length=100, blank=True)
    organisation = models.ForeignKey(
        "orgs.Organisation",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("机构"),
    )
    org_path = models.CharField(max_length=255, blank=True, db_index=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    action = models.CharField(_("动作"), max_length=64, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    result = models.CharField(_("结果"), max_length=8, choices=Result.choices, default=Result.OK)
    message = models.CharField(_("说明"), max_length=300, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["-occurred_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["shard", "seq"], name="audit_unique_seq_per_shard")]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise AppendOnlyError("Audit events are append-only and cannot be updated")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events are append-only; use the audit_prune command to apply retention")

    @property
    def action_label(self) -> str:
        """The action's name for people (``lvshi.audit.actions``)."""
        return actions.label(self.action)
