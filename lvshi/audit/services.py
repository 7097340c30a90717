"""Writing audit events. Call :func:`audit_record` inside the transaction of
the change it records, so that the event and the change commit together."""

from __future__ import annotations

import hashlib
import hmac
import json
import zlib
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from .models import AuditEvent, ChainHead, Result

HASHED_FIELDS = (
    "shard",
    "seq",
    "prev_hash",
    "occurred_at",
    "tz_offset",
    "actor_id",
    "actor_label",
    "organisation_id",
    "org_path",
    "ip",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "result",
    "message",
)


def _jsonable(value: Any) -> Any:
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def _normalise_ip(ip: str | None) -> str | None:
    if not ip:
        return None
    return clean_ipv6_address(ip) if ":" in ip else ip


def event_digest(values: dict) -> str:
    """Keyed hash of an event's content, including the previous hash."""
    content = {}
    for name in HASHED_FIELDS:
        value = values[name]
        if isinstance(value, datetime):
            value = value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        content[name] = value
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(settings.AUDIT_CHAIN_KEY.encode(), canonical.encode(), hashlib.sha256).hexdigest()


def shard_for(actor_id: int | None, ip: str | None, action: str) -> int:
    key = str(actor_id) if actor_id else f"{ip or ''}|{action}"
    return zlib.crc32(key.encode()) % settings.AUDIT_CHAIN_SHARDS


def _label(actor) -> str:
    if actor is None:
        return ""
    return str(actor)[:100]


def audit_record(
    *,
    action: str,
    actor=None,
    request=None,
    organisation=None,
    obj=None,
    object_type: str = "",
    object_id: str | int = "",
    object_repr: str = "",
    before: dict | None = None,
    after: dict | None = None,
    result: str = Result.OK,
    message: str = "",
    ip: str | None = None,
    actor_label: str = "",
) -> AuditEvent:
    """Append one event to the chain of its shard and return it."""
    if actor is None and request is not None and getattr(request, "user", None) is not None:
        if request.user.is_authenticated:
            actor = request.user
    if ip is None and request is not None:
        from lvshi.core.middleware import client_ip

        ip = client_ip(request)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        object_repr = object_repr or str(obj)
        if organisation is None:
            organisation = getattr(obj, "scope_org", None)
    now = timezone.now()
    local = timezone.localtime(now)
    offset = local.strftime("%z")
    values = {
        "occurred_at": now,
        "tz_offset": f"{offset[:3]}:{offset[3:]}",
        "actor_id": actor.pk if actor is not None else None,
        "actor_label": (actor_label or _label(actor))[:100],
        "organisation_id": organisation.pk if organisation is not None else None,
        "org_path": organisation.path if organisation is not None else "",
        "ip": _normalise_ip(ip),
        "action": action[:64],
        "object_type": str(object_type)[:64],
        "object_id": str(object_id)[:64] if object_id != "" else "",
        "object_repr": str(object_repr)[:200],
        "before": _jsonable(before),
        "after": _jsonable(after),
        "result": str(result),
        "message": message[:300],
    }
    shard = shard_for(values["actor_id"], values["ip"], action)
    with transaction.atomic():
        ChainHead.objects.bulk_create([ChainHead(shard=shard)], ignore_conflicts=True)
        head = ChainHead.objects.select_for_update().get(shard=shard)
        values.update(shard=shard, seq=head.seq + 1, prev_hash=head.last_hash)
        values["hash"] = event_digest(values)
        event = AuditEvent.objects.create(**values)
        ChainHead.objects.filter(shard=shard).update(seq=F("seq") + 1, last_hash=values["hash"])
    return event
