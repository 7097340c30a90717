"""Writing audit events. Call :func:`audit_record` inside the transaction of
the change it records, so that the event and the change commit together."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvshi.core import rows
from lvshi.core.actor import Actor
from lvshi.core.errors import DomainError

from . import guards
from .chain import PRUNE_ACTION, clean_text, event_digest, normalise_ip, shard_for, to_jsonable
from .models import AuditEvent, ChainHead, Result

# One transaction appends to one shard: the first event of a transaction
# picks the shard, later events of the same transaction reuse it. Locking a
# single chain head per transaction means two transactions can never wait
# for each other's heads (no deadlock between shards).
_TXN_SHARD_ATTR = "_lvshi_audit_shard"


def _shard_of_current_transaction() -> int | None:
    state = getattr(connection, _TXN_SHARD_ATTR, None)
    if state is None:
        return None
    shard, marker = state
    # The marker sits in the on-commit queue until the transaction commits;
    # a rollback (of the transaction or of the savepoint that added it)
    # removes it, and so does the commit itself.
    if any(entry[1] is marker for entry in connection.run_on_commit):
        return shard
    return None


def _remember_shard(shard: int) -> None:
    def marker() -> None:
        if getattr(connection, _TXN_SHARD_ATTR, (None, None))[1] is marker:
            setattr(connection, _TXN_SHARD_ATTR, None)

    setattr(connection, _TXN_SHARD_ATTR, (shard, marker))
    transaction.on_commit(marker)


@lru_cache(maxsize=4)
def _head_sql(vendor: str) -> tuple[str, str]:
    """Locking a shard's head (its sequence number and last hash) and moving
    it on: plain SQL built once per process from the model's metadata, since
    every audited change runs both and the ORM's compiling of them cost more
    than running them. SQLite has no row locks: its write transaction
    (``BEGIN IMMEDIATE``) already holds the whole database."""
    table = connection.ops.quote_name(ChainHead._meta.db_table)
    shard, seq, last_hash = (rows.column(ChainHead, name) for name in ("shard", "seq", "last_hash"))
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    return (
        f"SELECT {seq}, {last_hash} FROM {table} WHERE {shard} = %s{lock}",  # noqa: S608 - names from the model
        f"UPDATE {table} SET {seq} = %s, {last_hash} = %s WHERE {shard} = %s",  # noqa: S608
    )


def _lock_head(shard: int) -> tuple[int, str]:
    """The shard's (seq, last_hash), its head row locked until the
    transaction ends; the row is created on the shard's first event."""
    select, _update = _head_sql(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(select, [shard])
        row = cursor.fetchone()
        if row is None:
            ChainHead.objects.bulk_create([ChainHead(shard=shard)], ignore_conflicts=True)
            cursor.execute(select, [shard])
            row = cursor.fetchone()
    return row[0], row[1]


def _user_of(actor: Any) -> Any:
    user = actor.user if isinstance(actor, Actor) else actor
    if user is None or not getattr(user, "is_authenticated", False) or user.pk is None:
        return None
    return user


def audit_record(
    *,
    action: str,
    actor: Actor | Any = None,
    organisation: Any = None,
    obj: Any = None,
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
    """Append one event to the chain of its shard and return it.

    *actor* is the :class:`~lvshi.core.actor.Actor` of the use case (its
    user, address and job name are recorded) or, where a flow has no
    request (sign-in, password reset), the user with *ip* given.
    *before*/*after* are JSON data (see :mod:`lvshi.audit.diff` to build them
    from model instances); never pass passwords, codes or full ID numbers.
    """
    if result not in Result.values:
        raise ValueError(f"unknown audit result {result!r}")
    if isinstance(actor, Actor):
        ip = actor.ip if ip is None else ip
        actor_label = actor_label or actor.job
    actor = _user_of(actor)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id if object_id != "" else (obj.pk if obj.pk is not None else "")
        object_repr = object_repr or str(obj)
        if organisation is None:
            organisation = getattr(obj, "scope_org", None)
    values = {
        "actor_id": actor.pk if actor is not None else None,
        "actor_label": clean_text(actor_label or (str(actor) if actor is not None else ""))[:100],
        "organisation_id": organisation.pk if organisation is not None else None,
        "org_path": organisation.path if organisation is not None else "",
        "ip": normalise_ip(ip),
        "action": clean_text(action)[:64],
        "object_type": clean_text(object_type)[:64],
        "object_id": clean_text(object_id)[:64],
        "object_repr": clean_text(object_repr)[:200],
        "before": to_jsonable(before),
        "after": to_jsonable(after),
        "result": str(result),
        "message": clean_text(message)[:300],
    }
    # Inside the caller's transaction without a savepoint of its own (two
    # statements fewer per event): an event that cannot be written fails the
    # change it records.
    with transaction.atomic(savepoint=False):
        shard = _shard_of_current_transaction()
        if shard is None:
            shard = shard_for(values["actor_id"], values["ip"], values["action"])
        seq, last_hash = _lock_head(shard)
        # Taken under the lock, so times follow the sequence within a shard.
        now = timezone.now()
        offset = timezone.localtime(now).strftime("%z")
        values.update(
            shard=shard,
            seq=seq + 1,
            prev_hash=last_hash,
            occurred_at=now,
            tz_offset=f"{offset[:3]}:{offset[3:]}",
        )
        values["hash"] = event_digest(values)
        # The values are built above from trusted parts and cut to the column
        # sizes; full_clean() would add two look-ups per event on hot paths.
        event = AuditEvent(**values)
        # Append-only: the event is inserted, never saved over; the head
        # moves with it (in the same statement where the database allows).
        rows.insert(event, along=(_head_sql(connection.vendor)[1], [values["seq"], values["hash"], shard]))
        _remember_shard(shard)
    return event


# --- retention ----------------------------------------------------------------


@dataclass
class PruneResult:
    days: int
    cutoff: datetime
    deleted: int = 0
    per_shard: dict[int, int] = field(default_factory=dict)
    skipped_shards: list[int] = field(default_factory=list)
    event: AuditEvent | None = None


def _delete_through(shard: int, through_seq: int) -> int:
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE shard = %s AND seq <= %s", [shard, through_seq])  # noqa: S608
        return cursor.rowcount


@transaction.atomic
def audit_prune(*, days: int | None = None, actor: Any = None, now: datetime | None = None) -> PruneResult:
    """Delete events older than the retention period, oldest first per shard,
    and record on each chain head where its chain now starts.

    Every chain head is locked for the duration (in shard order), so writers
    wait a moment rather than interleave. The prune is itself an audit event
    whose ``after`` holds every head's prune point; ``audit_verify`` checks
    the heads against it.
    """
    minimum = settings.AUDIT_MIN_RETENTION_DAYS
    days = settings.AUDIT_RETENTION_DAYS if days is None else days
    if days < minimum:
        raise DomainError(
            "retention_too_short",
            _("审计记录至少保存 %(min)d 天（六个月），不能清理 %(days)d 天以内的记录。请改用不少于 %(min)d 的天数。")
            % {"min": minimum, "days": days},
        )
    now = now or timezone.now()
    outcome = PruneResult(days=days, cutoff=now - timedelta(days=days))
    heads = list(ChainHead.objects.select_for_update().order_by("shard"))
    guards.allow_prune(connection)
    try:
        for head in heads:
            keep_from = (
                AuditEvent.objects.filter(
                    shard=head.shard, seq__gt=head.pruned_through_seq, occurred_at__gte=outcome.cutoff
                )
                .order_by("seq")
                .values_list("seq", flat=True)
                .first()
            )
            through = keep_from - 1 if keep_from is not None else head.seq
            if through <= head.pruned_through_seq:
                continue
            last_hash = AuditEvent.objects.filter(shard=head.shard, seq=through).values_list("hash", flat=True).first()
            if last_hash is None:
                # The event the chain would restart from is missing: leave
                # the shard alone so that audit_verify keeps reporting it.
                outcome.skipped_shards.append(head.shard)
                continue
            deleted = _delete_through(head.shard, through)
            ChainHead.objects.filter(shard=head.shard).update(pruned_through_seq=through, pruned_last_hash=last_hash)
            head.pruned_through_seq, head.pruned_last_hash = through, last_hash
            outcome.per_shard[head.shard] = deleted
            outcome.deleted += deleted
    finally:
        guards.end_prune(connection)
    outcome.event = audit_record(
        action=PRUNE_ACTION,
        actor=actor,
        actor_label="" if actor else "audit_prune",
        after={
            "days": days,
            "cutoff": outcome.cutoff,
            "deleted": outcome.deleted,
            "per_shard": {str(k): v for k, v in outcome.per_shard.items()},
            "skipped_shards": outcome.skipped_shards,
            "heads": {str(h.shard): [h.pruned_through_seq, h.pruned_last_hash] for h in heads if h.pruned_through_seq},
        },
        message=_("按保留期 %(days)d 天清理审计记录 %(n)d 条。") % {"days": days, "n": outcome.deleted},
    )
    return outcome
