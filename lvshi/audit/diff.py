"""Before/after values for audit events, built from model instances with
django-auditlog's field diff.

    old = copy.copy(booking)           # or a fresh instance from the database
    booking.status = "approved"
    booking.save()
    before, after = diff(old, booking, fields=["status", "room"])
    audit_record(action="visits.booking_approve", obj=booking, before=before, after=after, actor=actor)

Secret and derived fields (passwords, encrypted values, blind indexes, code
hashes) never reach the trail; fields masked in an auditlog registration are
masked here too.
"""

from __future__ import annotations

from collections.abc import Iterable

from auditlog.diff import get_field_value, model_instance_diff, track_field
from auditlog.registry import auditlog
from django.db.models import Model

from .chain import to_jsonable

SECRET_FIELD_NAMES = frozenset({"password", "code_hash", "key_hash", "id_number_encrypted", "id_number_hash"})
SECRET_SUFFIXES = ("_encrypted", "_hash", "_secret", "password")


def is_secret(name: str) -> bool:
    return name in SECRET_FIELD_NAMES or name.endswith(SECRET_SUFFIXES)


def diff(
    before: Model | None, after: Model | None, fields: Iterable[str] | None = None
) -> tuple[dict | None, dict | None]:
    """The changed fields of an instance as ``(before, after)`` dicts, ready
    for :func:`lvshi.audit.services.audit_record`. ``before`` None means
    created, ``after`` None means deleted; ``(None, None)`` when nothing
    changed. *fields* restricts the comparison (names or attnames)."""
    if before is None:
        return (None, snapshot(after, fields)) if after is not None else (None, None)
    if after is None:
        return snapshot(before, fields), None
    names = list(fields) if fields else [f.name for f in after._meta.concrete_fields]
    if auditlog.contains(type(after)):
        # Registered models: auditlog's own include/exclude/mask settings apply.
        changes = model_instance_diff(before, after, fields_to_check=names, use_json_for_changes=True)
    else:
        changes = {}
        for model_field in after._meta.concrete_fields:
            if model_field.name in names or model_field.attname in names:
                old_value = get_field_value(before, model_field, use_json_for_changes=True)
                new_value = get_field_value(after, model_field, use_json_for_changes=True)
                if old_value != new_value:
                    changes[model_field.name] = (old_value, new_value)
    old: dict = {}
    new: dict = {}
    for name, (old_value, new_value) in sorted((changes or {}).items()):
        if is_secret(name):
            continue
        old[name] = to_jsonable(old_value)
        new[name] = to_jsonable(new_value)
    if not new:
        return None, None
    return old, new


def snapshot(instance: Model, fields: Iterable[str] | None = None) -> dict:
    """The current values of *fields* (default: every concrete, non-secret
    field) as JSON data: foreign keys as their ids, times in UTC."""
    wanted = set(fields) if fields else None
    data = {}
    for model_field in instance._meta.concrete_fields:
        if not track_field(model_field) or is_secret(model_field.name):
            continue
        if wanted is not None and model_field.name not in wanted and model_field.attname not in wanted:
            continue
        data[model_field.name] = to_jsonable(get_field_value(instance, model_field, use_json_for_changes=True))
    return data
