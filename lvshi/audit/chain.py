"""The hash chain: canonical form of an event, its keyed hash, the choice of
shard, and verification of every chain.

The canonical form must give the same bytes for the values as written and as
read back from either database, so each value is normalised before hashing:

- times: UTC with microseconds (both databases keep microseconds);
- IP addresses: parsed and printed by :mod:`ipaddress` (PostgreSQL's ``inet``
  prints some IPv6 forms differently from Python);
- JSON numbers: as normalised decimals (``jsonb`` turns ``1e20`` into
  ``100000000000000000000`` and drops ``.0``);
- JSON objects: keys sorted (``jsonb`` reorders them).
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import ipaddress
import json
import math
import zlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Context, Decimal
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import models
from django.utils.functional import Promise

from .models import AuditEvent, ChainHead

DIGEST_VERSION = b"lvshi.audit.v1\n"
PRUNE_ACTION = "audit.prune"

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

_NUMBERS = Context(prec=800)


# --- values as stored ---------------------------------------------------------


def clean_text(value: Any) -> str:
    """A string both databases store unchanged: no NUL (PostgreSQL refuses
    it) and no lone surrogates (not encodable as UTF-8)."""
    text = str(value)
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


def to_jsonable(value: Any) -> Any:
    """Turn *value* into plain JSON data (dict, list, str, int, float, bool,
    None) that round-trips through a JSON column of either database."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, enum.Enum):
        return to_jsonable(value.value)
    if isinstance(value, str | Promise):
        return clean_text(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, models.Model):
        return to_jsonable(value.pk)
    if isinstance(value, dict):
        return {clean_text(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((to_jsonable(v) for v in value), key=canonical_json)
    return clean_text(value)


def normalise_ip(ip: Any) -> str | None:
    """The canonical text of an IP address, or None when *ip* is not one."""
    if not ip:
        return None
    text = str(ip).strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    text = text.split("%", 1)[0]  # an IPv6 zone ("fe80::1%eth0") is local to the host
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return str(address)


# --- canonical form and digest -----------------------------------------------


def _canonical_number(number: int | float) -> str:
    exact = _NUMBERS.create_decimal(repr(number) if isinstance(number, float) else number)
    if exact.is_zero():
        return "0"
    return str(exact.normalize(_NUMBERS))


def canonical_json(value: Any) -> str:
    """JSON text with sorted keys, no spaces and normalised numbers."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int | float):
        return _canonical_number(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        items = sorted((str(k), v) for k, v in value.items())
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + canonical_json(v) for k, v in items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(canonical_json(v) for v in value) + "]"
    raise TypeError(f"not JSON data: {type(value).__name__}")


def _canonical_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_digest(values: dict) -> str:
    """Keyed hash of an event's content, including the previous hash."""
    content = []
    for name in HASHED_FIELDS:
        value = values[name]
        if name == "occurred_at":
            value = _canonical_time(value)
        elif name == "ip":
            value = normalise_ip(value)
        content.append(value)
    canonical = canonical_json(content)
    return hmac.new(settings.AUDIT_CHAIN_KEY.encode(), DIGEST_VERSION + canonical.encode(), hashlib.sha256).hexdigest()


def shard_for(actor_id: int | None, ip: str | None, action: str) -> int:
    """Spread writers over the shards: by actor, or for anonymous events by
    address and action."""
    key = f"u{actor_id}" if actor_id else f"{ip or ''}|{action}"
    return zlib.crc32(key.encode()) % settings.AUDIT_CHAIN_SHARDS


# --- verification -------------------------------------------------------------


class ProblemKind(enum.StrEnum):
    CONTENT = "content_hash_mismatch"
    LINK = "broken_link"
    MISSING = "missing_sequence"
    TAIL = "missing_tail"
    HEAD = "head_mismatch"
    NO_HEAD = "no_chain_head"
    PRUNE_RECORD = "prune_record_mismatch"


PROBLEM_TEXT = {
    ProblemKind.CONTENT: "内容哈希不一致，事件内容在写入后被改动",
    ProblemKind.LINK: "链接断裂，前一哈希与上一事件不符",
    ProblemKind.MISSING: "缺少序号，事件被删除",
    ProblemKind.TAIL: "链尾事件缺失，事件被删除",
    ProblemKind.HEAD: "链头与最后一个事件不符",
    ProblemKind.NO_HEAD: "分片没有链头记录",
    ProblemKind.PRUNE_RECORD: "清理位置与最近一次清理的审计记录不符",
}


@dataclass(frozen=True)
class Problem:
    kind: ProblemKind
    shard: int
    seq: int | None
    event_id: int | None = None
    detail: str = ""

    def describe(self) -> str:
        where = f"分片 {self.shard}"
        if self.seq is not None:
            where += f"，序号 {self.seq}"
        who = f"事件 #{self.event_id}（{where}）" if self.event_id else f"（{where}）"
        text = f"{who}：{PROBLEM_TEXT[self.kind]}（{self.kind.value}）"
        return f"{text}；{self.detail}" if self.detail else text


@dataclass
class VerifyReport:
    events: int = 0
    shards: int = 0
    problems: list[Problem] = field(default_factory=list)
    truncated: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


class _Verifier:
    def __init__(self, heads: dict[int, ChainHead], max_problems: int):
        self.heads = heads
        self.max_problems = max_problems
        self.report = VerifyReport()

    def add(self, problem: Problem) -> None:
        if len(self.report.problems) < self.max_problems:
            self.report.problems.append(problem)
        else:
            self.report.truncated = True

    def close_shard(self, shard: int, last_seq: int, last_hash: str, last_id: int | None) -> None:
        head = self.heads.get(shard)
        if head is None:
            return
        if head.seq > last_seq:
            missing = f"{last_seq + 1}" if head.seq == last_seq + 1 else f"{last_seq + 1}–{head.seq}"
            self.add(Problem(ProblemKind.TAIL, shard, last_seq + 1, detail=f"缺少序号 {missing}"))
        elif head.seq != last_seq or head.last_hash != last_hash:
            self.add(Problem(ProblemKind.HEAD, shard, last_seq, last_id, detail=f"链头记录为序号 {head.seq}"))


def verify_chains(*, chunk_size: int = 5000, max_problems: int = 100) -> VerifyReport:
    """Walk every shard's chain in (shard, seq) order and report what does
    not hold. Reads each event once, as tuples, in chunks."""
    heads = {head.shard: head for head in ChainHead.objects.all()}
    verifier = _Verifier(heads, max_problems)
    report = verifier.report
    columns = ("id", "hash", *HASHED_FIELDS)
    rows = AuditEvent.objects.order_by("shard", "seq").values_list(*columns)

    shard: int | None = None
    expected_seq = 0
    expected_prev = ""
    last_seq, last_hash, last_id = 0, "", None
    seen_shards: set[int] = set()
    for row in rows.iterator(chunk_size=chunk_size):
        values = dict(zip(columns, row, strict=True))
        if values["shard"] != shard:
            if shard is not None:
                verifier.close_shard(shard, last_seq, last_hash, last_id)
            shard = values["shard"]
            seen_shards.add(shard)
            head = heads.get(shard)
            if head is None:
                verifier.add(Problem(ProblemKind.NO_HEAD, shard, values["seq"], values["id"]))
                expected_seq, expected_prev = 1, ""
            else:
                expected_seq, expected_prev = head.pruned_through_seq + 1, head.pruned_last_hash
        seq = values["seq"]
        if seq < expected_seq:
            # At or before the prune point: already accounted for by the head.
            continue
        report.events += 1
        if seq > expected_seq:
            gap = f"{expected_seq}" if seq == expected_seq + 1 else f"{expected_seq}–{seq - 1}"
            verifier.add(Problem(ProblemKind.MISSING, shard, seq, values["id"], detail=f"此事件之前缺少序号 {gap}"))
        elif values["prev_hash"] != expected_prev:
            verifier.add(Problem(ProblemKind.LINK, shard, seq, values["id"]))
        if event_digest(values) != values["hash"]:
            verifier.add(Problem(ProblemKind.CONTENT, shard, seq, values["id"]))
        # Continue from what is stored, so one problem is reported once.
        expected_seq, expected_prev = seq + 1, values["hash"]
        last_seq, last_hash, last_id = seq, values["hash"], values["id"]
    if shard is not None:
        verifier.close_shard(shard, last_seq, last_hash, last_id)

    for head in heads.values():
        if head.shard not in seen_shards and head.seq > head.pruned_through_seq:
            gap = f"{head.pruned_through_seq + 1}–{head.seq}"
            verifier.add(Problem(ProblemKind.TAIL, head.shard, head.pruned_through_seq + 1, detail=f"缺少序号 {gap}"))
    _check_prune_record(heads, verifier)
    report.shards = len(seen_shards | set(heads))
    return report


def _check_prune_record(heads: dict[int, ChainHead], verifier: _Verifier) -> None:
    """The prune points on the chain heads must be the ones the last prune
    recorded in its (chained, keyed) audit event; otherwise someone moved a
    prune point to hide deleted events."""
    pruned = {shard: head for shard, head in heads.items() if head.pruned_through_seq}
    if not pruned:
        return
    record = (
        AuditEvent.objects.filter(action=PRUNE_ACTION, result="ok").order_by("-id").values_list("id", "after").first()
    )
    recorded: dict = {}
    if record and isinstance(record[1], dict):
        recorded = record[1].get("heads") or {}
    for shard, head in sorted(pruned.items()):
        entry = recorded.get(str(shard))
        if entry != [head.pruned_through_seq, head.pruned_last_hash]:
            detail = f"链头记录清理至序号 {head.pruned_through_seq}"
            verifier.add(
                Problem(ProblemKind.PRUNE_RECORD, shard, head.pruned_through_seq, record[0] if record else None, detail)
            )
