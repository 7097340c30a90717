"""Every audit action the platform records has a name people can read, on
the audit pages and in the export, in the page's language."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from lvshi.audit import actions
from lvshi.audit.models import AuditEvent
from lvshi.audit.services import audit_record

ROOT = Path(__file__).resolve().parents[2]
LITERAL = re.compile(r'\baction\s*=\s*"([a-z0-9_]+\.[a-z0-9_.]+)"|^[A-Z_]+ = "(auth\.[a-z0-9_]+)"', re.M)


def _literal_actions() -> set[str]:
    found = set()
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for match in LITERAL.finditer(path.read_text()):
            found.add(match.group(1) or match.group(2))
    return found


def test_every_action_written_in_the_code_has_a_name():
    literal = _literal_actions()
    assert {"visits.booking_create", "auth.login", "orgs.membership_add"} <= literal  # the scan finds them
    assert sorted(a for a in literal if not actions.named(a)) == []


@pytest.mark.django_db
def test_every_action_the_demo_records_has_a_name(settings):
    """The demo data runs the platform's use cases and workflows; each event
    they leave is named (dynamic actions included: workflows, the admin)."""
    settings.DEBUG = True  # seed_demo is for development and demo servers
    call_command("seed_demo", stdout=StringIO())
    recorded = set(AuditEvent.objects.values_list("action", flat=True).distinct())
    assert len(recorded) > 20
    assert sorted(a for a in recorded if not actions.named(a)) == []


def test_workflow_transitions_are_named_from_their_declaration_in_the_page_s_language():
    assert actions.label("visits.booking_approve") == "会见预约：审核通过"
    assert actions.label("visits.booking_create") == "预约会见"
    assert actions.label("admin.user_change") == "后台管理：修改用户"
    assert actions.label("no.such_action") == "no.such_action"
    with translation.override("en"):
        assert actions.label("visits.booking_create") != "预约会见"


def test_naming_an_action_twice_differently_is_refused():
    with pytest.raises(ValueError, match="named twice"):
        actions.register({"visits.booking_create": "别的名字"})


def test_the_audit_pages_show_the_name_and_keep_the_code(world, login):
    event = audit_record(action="auth.login", actor=world.auditor, organisation=world.sh_bureau)
    client = login(world.auditor)
    listing = client.get(reverse("audit:events")).content.decode()
    assert "登录" in listing and '<code class="action-code">auth.login</code>' in listing
    detail = client.get(reverse("audit:event_detail", args=[event.pk])).content.decode()
    assert "登录" in detail and "auth.login" in detail
