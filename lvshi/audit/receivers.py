"""django-auditlog's log entries (admin edits and other changes to models
registered with auditlog) become chained audit events too."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.urls import NoReverseMatch, reverse

from lvshi.core.actor import Actor
from lvshi.orgs.models import Organisation

from .diff import is_secret
from .middleware import current_request
from .services import audit_record

OPERATIONS = {
    LogEntry.Action.CREATE: "create",
    LogEntry.Action.UPDATE: "change",
    LogEntry.Action.DELETE: "delete",
    LogEntry.Action.ACCESS: "view",
}


def _admin_prefix() -> str | None:
    try:
        return reverse("admin:index")
    except NoReverseMatch:
        return None


def _split(changes) -> tuple[dict | None, dict | None]:
    if not isinstance(changes, dict) or not changes:
        return None, None
    before, after = {}, {}
    for name, change in sorted(changes.items()):
        if is_secret(name):
            continue
        if isinstance(change, list | tuple) and len(change) == 2:
            before[name], after[name] = change
        else:  # many-to-many: {"type": "m2m", "operation": ..., "objects": [...]}
            after[name] = change
    return before or None, after or None


def _scope(model, object_pk):
    if model is None:
        return None
    if model is Organisation:
        return Organisation.objects.filter(pk=object_pk).first()
    if hasattr(model, "scope_org"):
        instance = model._default_manager.filter(pk=object_pk).first()
        return getattr(instance, "scope_org", None) if instance is not None else None
    return None


def on_log_entry_saved(sender, instance: LogEntry, created: bool, raw: bool = False, **kwargs):
    if not created or raw:
        return
    request = current_request.get()
    prefix = _admin_prefix()
    source = "admin" if request is not None and prefix and request.path.startswith(prefix) else "model"
    operation = OPERATIONS.get(instance.action, "change")
    model = instance.content_type.model_class()
    before, after = _split(instance.changes)
    if operation == "create":
        before = None
    elif operation == "delete":
        after = None
    audit_record(
        action=f"{source}.{operation}",
        actor=Actor.of(request, user=instance.actor),
        ip=instance.remote_addr if request is None else None,
        organisation=_scope(model, instance.object_pk),
        object_type=model._meta.label_lower if model else instance.content_type.model,
        object_id=instance.object_pk,
        object_repr=instance.object_repr,
        before=before,
        after=after,
        message=f"auditlog #{instance.pk}",
    )
