"""Audit events cannot be changed or removed through the ORM, and the
database refuses it too."""

import pytest
from django.db import DatabaseError, connection, transaction

from lvshi.audit import guards
from lvshi.audit.chain import verify_chains
from lvshi.audit.models import AppendOnlyError, AuditEvent
from lvshi.audit.services import audit_record


@pytest.fixture
def event(db):
    return audit_record(action="visit.approve", message="原始说明")


def test_saving_an_existing_event_is_refused(event):
    event.message = "改过的说明"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.save(update_fields=["message"])


def test_deleting_an_event_is_refused(event):
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize(
    "operation",
    [
        lambda qs: qs.update(message="x"),
        lambda qs: qs.delete(),
        lambda qs: qs.bulk_update(list(qs), ["message"]),
        lambda qs: qs.update_or_create(pk=1, defaults={"message": "x"}),
        lambda qs: qs.bulk_create([AuditEvent(action="forged")]),
    ],
    ids=["update", "delete", "bulk_update", "update_or_create", "bulk_create"],
)
def test_queryset_writes_are_refused(event, operation):
    with pytest.raises(AppendOnlyError):
        operation(AuditEvent.objects.filter(pk=event.pk))
    assert AuditEvent.objects.get(pk=event.pk).message == "原始说明"


def test_manager_update_and_delete_are_refused(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(message="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_the_database_refuses_a_raw_update(event):
    assert guards.installed(connection) is True
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET message = %s WHERE id = %s", ["改过的说明", event.pk])
    assert AuditEvent.objects.get(pk=event.pk).message == "原始说明"
    assert verify_chains().ok


@pytest.mark.postgres
def test_postgres_refuses_a_raw_delete_outside_the_prune(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.postgres
def test_postgres_allows_a_delete_only_with_the_prune_setting(event):
    with transaction.atomic():
        guards.allow_prune(connection)
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
        guards.end_prune(connection)
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            other = audit_record(action="x")
            cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [other.pk])
    assert not AuditEvent.objects.filter(pk=event.pk).exists()


def test_deleting_a_user_leaves_the_trail_intact(event, world):
    audit_record(action="profile.change", actor=world.lawyer, organisation=world.firm)
    world.lawyer.memberships.all().delete()
    world.lawyer.delete()
    assert AuditEvent.objects.filter(action="profile.change", actor_id__isnull=False).exists()
    assert verify_chains().ok


def test_guards_come_back_after_migrate(db):
    """SQLite loses a table's triggers when a migration rebuilds the table;
    they are installed again after every migrate."""
    from django.core.management import call_command

    guards.remove(connection)
    assert guards.installed(connection) is False
    call_command("migrate", "audit", verbosity=0)
    assert guards.installed(connection) is True
