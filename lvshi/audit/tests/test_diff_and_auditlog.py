"""Field diffs for services, and django-auditlog's entries (admin edits)
chained into the trail."""

import copy

from django.contrib.auth.models import Group
from django.urls import reverse

from lvshi.audit.chain import verify_chains
from lvshi.audit.diff import diff, snapshot
from lvshi.audit.models import AuditEvent
from lvshi.audit.services import audit_record


def test_diff_gives_the_changed_fields_before_and_after(world):
    old = copy.copy(world.firm)
    world.firm.name = "上海丙律师事务所"
    world.firm.phone = "021-12345678"
    world.firm.save()
    before, after = diff(old, world.firm)
    assert before == {"name": "上海甲律师事务所", "phone": ""}
    assert after == {"name": "上海丙律师事务所", "phone": "021-12345678"}
    assert diff(old, world.firm, fields=["name"]) == ({"name": "上海甲律师事务所"}, {"name": "上海丙律师事务所"})
    assert diff(world.firm, world.firm) == (None, None)

    event = audit_record(action="org.change", obj=world.firm, organisation=world.firm, before=before, after=after)
    assert AuditEvent.objects.get(pk=event.pk).after == after
    assert verify_chains().ok


def test_diff_and_snapshot_leave_out_secrets(world):
    user = world.lawyer
    old = copy.copy(user)
    user.set_password("Another#Pass2026")
    user.mobile = "13900000000"
    before, after = diff(old, user)
    assert after == {"mobile": "13900000000"}
    assert "password" not in before

    data = snapshot(user)
    for secret in ("password", "id_number_encrypted", "id_number_hash"):
        assert secret not in data
    assert data["name"] == user.name
    assert data["id_number_masked"] == user.id_number_masked
    assert snapshot(world.firm, ["parent", "name"]) == {"parent": world.sh_bureau.pk, "name": world.firm.name}
    assert diff(None, world.firm, ["name"]) == (None, {"name": world.firm.name})
    assert diff(world.firm, None, ["name"]) == ({"name": world.firm.name}, None)


def test_admin_edit_logged_by_auditlog_becomes_a_chained_event(world, login):
    client = login(world.admin)
    response = client.post(reverse("admin:auth_group_add"), {"name": "复核组", "permissions": []})
    assert response.status_code == 302, response.content.decode()[:500]
    group = Group.objects.get(name="复核组")

    event = AuditEvent.objects.get(action="admin.create", object_type="auth.group")
    assert event.object_id == str(group.pk)
    assert event.actor_id == world.admin.pk
    assert event.ip == "127.0.0.1"
    assert event.before is None
    assert event.after["name"] == "复核组"

    response = client.post(reverse("admin:auth_group_change", args=[group.pk]), {"name": "复核二组", "permissions": []})
    assert response.status_code == 302
    change = AuditEvent.objects.get(action="admin.change", object_type="auth.group")
    assert change.before == {"name": "复核组"}
    assert change.after == {"name": "复核二组"}
    assert verify_chains().ok


def test_changes_outside_the_admin_are_chained_as_model_events(db):
    group = Group.objects.create(name="临时组")
    group.delete()
    assert AuditEvent.objects.filter(action="model.create", object_type="auth.group").exists()
    deleted = AuditEvent.objects.get(action="model.delete", object_type="auth.group")
    assert deleted.after is None
    assert deleted.actor_id is None
