"""Retention: audit_prune deletes events older than the retention period,
never less than 184 days, and the chain stays verifiable."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from lvshi.audit.chain import PRUNE_ACTION, ProblemKind, verify_chains
from lvshi.audit.models import AuditEvent, ChainHead
from lvshi.audit.services import audit_prune, audit_record
from lvshi.core.errors import DomainError

from .helpers import raw_sql, run_verify


@pytest.mark.parametrize("days", [0, 30, 183])
def test_prune_refuses_less_than_184_days(db, days):
    audit_record(action="a")
    with pytest.raises(CommandError, match="184"):
        call_command("audit_prune", "--days", str(days))
    with pytest.raises(DomainError) as excinfo:
        audit_prune(days=days)
    assert excinfo.value.code == "retention_too_short"
    assert AuditEvent.objects.count() == 1
    assert not AuditEvent.objects.filter(action=PRUNE_ACTION).exists()


def test_prune_with_nothing_old_enough_deletes_nothing_and_is_audited(db):
    audit_record(action="a")
    call_command("audit_prune", "--days", "184")
    assert AuditEvent.objects.filter(action="a").count() == 1
    prune = AuditEvent.objects.get(action=PRUNE_ACTION)
    assert prune.after["deleted"] == 0
    assert prune.after["days"] == 184
    assert run_verify()[0] == 0


def test_prune_keeps_the_newer_events_and_the_chain_verifiable(db):
    old = [audit_record(action="old", object_id=i) for i in range(4)]
    boundary = timezone.now()
    new = [audit_record(action="new", object_id=i) for i in range(3)]
    assert old[-1].shard == new[0].shard  # one test transaction, one shard

    outcome = audit_prune(days=200, now=boundary + timedelta(days=200))

    assert outcome.deleted == 4
    assert not AuditEvent.objects.filter(action="old").exists()
    assert AuditEvent.objects.filter(action="new").count() == 3
    head = ChainHead.objects.get(shard=old[-1].shard)
    assert head.pruned_through_seq == old[-1].seq
    assert head.pruned_last_hash == old[-1].hash
    prune = AuditEvent.objects.get(action=PRUNE_ACTION)
    assert prune.after["heads"] == {str(head.shard): [old[-1].seq, old[-1].hash]}
    assert prune.after["deleted"] == 4

    audit_record(action="later")
    status, _out, err = run_verify()
    assert status == 0, err

    # Pruning again with the same cut-off changes nothing and still verifies.
    again = audit_prune(days=200, now=boundary + timedelta(days=200))
    assert again.deleted == 0
    assert verify_chains().ok


def test_moving_a_prune_point_to_hide_deleted_events_is_found(db):
    events = [audit_record(action="e", object_id=i) for i in range(6)]
    audit_prune(days=184, now=events[1].occurred_at + timedelta(days=184, microseconds=1))
    assert verify_chains().ok
    head = ChainHead.objects.get(shard=events[0].shard)
    assert head.pruned_through_seq == events[1].seq

    # Someone deletes events 3 and 4 and moves the prune point past them.
    raw_sql("DELETE FROM audit_auditevent WHERE id IN (%s, %s)", [events[2].pk, events[3].pk])
    ChainHead.objects.filter(shard=head.shard).update(pruned_through_seq=events[3].seq, pruned_last_hash=events[3].hash)
    kinds = [p.kind for p in verify_chains().problems]
    assert kinds == [ProblemKind.PRUNE_RECORD]


def test_prune_command_reports_what_it_did(db):
    audit_record(action="a")
    from io import StringIO

    out = StringIO()
    call_command("audit_prune", stdout=out)
    assert "已清理 0 条" in out.getvalue()
    assert "保留 365 天" in out.getvalue()
