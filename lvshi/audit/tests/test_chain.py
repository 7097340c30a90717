"""The hash chain: valid after many events in several shards, and every kind
of tampering is found and named."""

import math
from collections import Counter
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import transaction

from lvshi.audit.chain import ProblemKind, canonical_json, normalise_ip, shard_for, verify_chains
from lvshi.audit.models import AuditEvent, ChainHead
from lvshi.audit.services import audit_record
from tests.factories import UserFactory

from .helpers import raw_sql, run_verify


def _record_many(n_ips: int = 40, per_ip: int = 3):
    for i in range(n_ips):
        for j in range(per_ip):
            with transaction.atomic():
                audit_record(action=f"test.event{j}", ip=f"10.0.{i}.{j + 1}", after={"i": i, "j": j})


@pytest.mark.django_db(transaction=True)
def test_chain_holds_after_many_events_in_several_shards(settings):
    settings.AUDIT_CHAIN_SHARDS = 8
    users = UserFactory.create_batch(6)
    _record_many()
    for user in users:
        for k in range(5):
            audit_record(action="test.user", actor=user, before={"k": k}, after={"k": k + 1})

    assert AuditEvent.objects.count() >= 150
    per_shard = Counter(AuditEvent.objects.values_list("shard", flat=True))
    assert len(per_shard) >= 5
    for shard, count in per_shard.items():
        head = ChainHead.objects.get(shard=shard)
        assert head.seq == count
        seqs = sorted(AuditEvent.objects.filter(shard=shard).values_list("seq", flat=True))
        assert seqs == list(range(1, count + 1))

    status, out, err = run_verify()
    assert status == 0, err
    total = AuditEvent.objects.count()
    assert f"已核验 {total} 条事件" in out
    assert f"{len(per_shard)} 个分片" in out


@pytest.mark.django_db(transaction=True)
def test_one_transaction_appends_to_one_shard_then_the_next_picks_again(settings):
    settings.AUDIT_CHAIN_SHARDS = 16
    a, b = UserFactory(), UserFactory()
    while shard_for(a.pk, None, "x") == shard_for(b.pk, None, "x"):
        b = UserFactory()
    with transaction.atomic():
        first = audit_record(action="x", actor=a)
        second = audit_record(action="x", actor=b)
    assert first.shard == second.shard == shard_for(a.pk, None, "x")
    third = audit_record(action="x", actor=b)
    assert third.shard == shard_for(b.pk, None, "x")

    with transaction.atomic():
        try:
            with transaction.atomic():
                audit_record(action="x", actor=a)
                raise RuntimeError
        except RuntimeError:
            pass
        # The savepoint that chose the shard was rolled back with its lock.
        fourth = audit_record(action="x", actor=b)
    assert fourth.shard == shard_for(b.pk, None, "x")
    assert verify_chains().ok


def test_shard_selection_spreads_actors(settings):
    settings.AUDIT_CHAIN_SHARDS = 16
    counts = Counter(shard_for(actor_id, None, "booking.create") for actor_id in range(1, 1601))
    assert set(counts) == set(range(16))
    assert max(counts.values()) < 2 * 100
    anonymous = Counter(shard_for(None, f"10.1.{i // 250}.{i % 250}", "auth.login_failed") for i in range(1600))
    assert len(anonymous) == 16


@pytest.mark.django_db
def test_content_tampering_is_found_and_the_event_named():
    events = [audit_record(action="visit.approve", object_id=i, after={"status": "approved"}) for i in range(6)]
    victim = events[3]
    raw_sql("UPDATE audit_auditevent SET message = %s WHERE id = %s", ["已撤回", victim.pk])

    status, _out, err = run_verify()
    assert status == 1
    assert f"事件 #{victim.pk}" in err
    assert f"序号 {victim.seq}" in err
    assert "content_hash_mismatch" in err
    report = verify_chains()
    assert [(p.kind, p.event_id) for p in report.problems] == [(ProblemKind.CONTENT, victim.pk)]


@pytest.mark.django_db
def test_tampering_with_json_before_after_is_found():
    event = audit_record(action="fee.change", before={"amount": "100.00"}, after={"amount": "80.00"})
    audit_record(action="fee.change", after={"amount": "1"})
    raw_sql("UPDATE audit_auditevent SET after = %s WHERE id = %s", ['{"amount": "8000.00"}', event.pk])
    report = verify_chains()
    assert [(p.kind, p.event_id) for p in report.problems] == [(ProblemKind.CONTENT, event.pk)]


@pytest.mark.django_db
def test_rewritten_event_with_recomputed_plain_hash_breaks_the_link():
    events = [audit_record(action="a", object_id=i) for i in range(4)]
    raw_sql("UPDATE audit_auditevent SET hash = %s WHERE id = %s", ["0" * 64, events[1].pk])
    kinds = {(p.kind, p.event_id) for p in verify_chains().problems}
    assert (ProblemKind.CONTENT, events[1].pk) in kinds
    assert (ProblemKind.LINK, events[2].pk) in kinds


@pytest.mark.django_db
def test_deleted_event_in_the_middle_is_found():
    events = [audit_record(action="a", object_id=i) for i in range(5)]
    raw_sql("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])

    status, _, err = run_verify()
    assert status == 1
    assert "missing_sequence" in err
    assert f"事件 #{events[3].pk}" in err
    assert f"缺少序号 {events[2].seq}" in err


@pytest.mark.django_db
def test_deleted_last_event_is_found_through_the_chain_head():
    events = [audit_record(action="a", object_id=i) for i in range(3)]
    raw_sql("DELETE FROM audit_auditevent WHERE id = %s", [events[-1].pk])
    problems = verify_chains().problems
    assert [(p.kind, p.shard, p.seq) for p in problems] == [(ProblemKind.TAIL, events[-1].shard, events[-1].seq)]


@pytest.mark.django_db
def test_values_round_trip_through_the_database_unchanged():
    """Floats, big numbers, unordered keys, times, NUL characters, IPv6 forms:
    the hash computed when writing must match the one from stored values."""
    awkward = {
        "z": 1e20,
        "a": [1.0, 2.5, 1.5e-7, -0.0, 10**30, None, True],
        "nested": {"b": {"y": 1, "x": 2}, "nan": math.nan, "inf": -math.inf},
        "when": datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC),
        "money": Decimal("12.30"),
        "tags": {"b", "a"},
        "text": "含\x00NUL的文字",
        7: "int key",
    }
    ips = ["::ffff:192.0.2.1", "2001:DB8:0:0:0:0:0:1", "::1.2.3.4", "fe80::1%eth0", "[2001:db8::2]", "bogus", None]
    for ip in ips:
        audit_record(action="json.test", ip=ip, before=awkward, after={"list": list(range(3))}, message="x\x00y")
    assert verify_chains().ok
    stored = AuditEvent.objects.filter(action="json.test").values_list("ip", flat=True)
    assert {normalise_ip(ip) for ip in stored} == {
        "192.0.2.1",
        "2001:db8::1",
        "::102:304",
        "fe80::1",
        "2001:db8::2",
        None,
    }


def test_canonical_json_is_independent_of_number_spelling_and_key_order():
    assert canonical_json({"b": 1.0, "a": 100}) == canonical_json({"a": 1e2, "b": 1})
    assert canonical_json(1e20) == canonical_json(10**20)
    assert canonical_json(-0.0) == canonical_json(0)
    assert canonical_json("1") != canonical_json(1)
    assert canonical_json(0.1) != canonical_json(0.10000000000000002)


@pytest.mark.django_db
def test_a_removed_chain_head_is_reported():
    event = audit_record(action="a")
    ChainHead.objects.filter(shard=event.shard).delete()
    problems = verify_chains().problems
    assert [(p.kind, p.event_id) for p in problems] == [(ProblemKind.NO_HEAD, event.pk)]
