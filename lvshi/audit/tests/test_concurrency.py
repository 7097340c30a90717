"""Writers in different shards do not wait for each other (PostgreSQL, real
connections in threads); writers in one shard do, which proves the test
can see waiting at all."""

import threading

import pytest
from django.db import OperationalError, connection, transaction

from lvshi.audit.chain import shard_for, verify_chains
from lvshi.audit.services import audit_record
from tests.factories import UserFactory


def _two_users_in_different_shards():
    a, b = UserFactory(), UserFactory()
    while shard_for(a.pk, None, "x") == shard_for(b.pk, None, "x"):
        b = UserFactory()
    return a, b


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_writers_in_different_shards_do_not_block_each_other():
    a, b = _two_users_in_different_shards()
    holding, release = threading.Event(), threading.Event()
    errors = []

    def hold_shard_of_a():
        try:
            with transaction.atomic():
                audit_record(action="x", actor=a)
                holding.set()
                release.wait(15)
        except Exception as exc:  # noqa: BLE001 - reported to the main thread
            errors.append(exc)
        finally:
            connection.close()

    worker = threading.Thread(target=hold_shard_of_a)
    worker.start()
    try:
        assert holding.wait(10)
        # Another shard: goes through while a's transaction is still open.
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            event = audit_record(action="x", actor=b)
        assert event.shard != shard_for(a.pk, None, "x")

        # Control: the same shard must wait for a's transaction.
        with pytest.raises(OperationalError), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '300ms'")
            audit_record(action="x", actor=a)
    finally:
        release.set()
        worker.join(20)
    assert not errors
    assert verify_chains().ok


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_every_chain_intact(settings):
    settings.AUDIT_CHAIN_SHARDS = 4
    users = UserFactory.create_batch(8)
    errors = []

    def write(user):
        try:
            for i in range(15):
                with transaction.atomic():
                    audit_record(action="x", actor=user, after={"i": i})
        except Exception as exc:  # noqa: BLE001 - reported to the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    report = verify_chains()
    assert report.ok, [p.describe() for p in report.problems]
    assert report.events == 8 * 15
