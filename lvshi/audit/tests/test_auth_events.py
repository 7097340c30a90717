"""Sign-in events reach the audit trail: success, failure (the log-in name
masked, never the password), lock-out and log-out, with the client address."""

import pytest
from django.contrib.auth import authenticate, login, logout
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from conftest import PASSWORD
from lvshi.accounts.signals import mask_login_name
from lvshi.audit.chain import verify_chains
from lvshi.audit.models import AuditEvent, Result

WRONG_PASSWORD = "Wrong#pass-4711"


def _request(ip="203.0.113.7"):
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR=ip)
    request.session = SessionStore()
    return request


def _all_text(event) -> str:
    return " ".join(
        str(v)
        for v in (
            event.actor_label,
            event.object_repr,
            event.object_id,
            event.message,
            event.before,
            event.after,
        )
    )


def test_successful_login_is_recorded_with_the_address(world):
    request = _request()
    user = authenticate(request, username=world.officer.id_number, password=PASSWORD)
    assert user == world.officer
    login(request, user)
    event = AuditEvent.objects.get(action="auth.login")
    assert event.actor_id == world.officer.pk
    assert event.ip == "203.0.113.7"
    assert event.organisation_id == world.centre.pk
    assert event.org_path == world.centre.path
    assert event.result == Result.OK


def test_failed_login_masks_the_name_and_never_stores_the_password(world):
    id_number = world.lawyer.id_number
    request = _request("198.51.100.9")
    assert authenticate(request, username=id_number.lower(), password=WRONG_PASSWORD) is None
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.result == Result.FAILED
    assert event.actor_id is None
    assert event.ip == "198.51.100.9"
    assert event.actor_label == mask_login_name(id_number) == id_number[:4] + "*" * 10 + id_number[-4:]
    assert event.object_id == str(world.lawyer.pk)
    assert event.organisation_id == world.firm.pk
    text = _all_text(event)
    assert WRONG_PASSWORD not in text
    assert id_number not in text and id_number.lower() not in text


def test_failed_login_for_an_unknown_name_is_recorded_without_an_account(db):
    assert authenticate(_request(), username="not-an-id-number", password=WRONG_PASSWORD) is None
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.object_id == ""
    assert event.actor_label == "NOT-********MBER"
    assert WRONG_PASSWORD not in _all_text(event)


def test_lock_out_is_recorded(world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        authenticate(_request("192.0.2.44"), username=world.judge.id_number, password=WRONG_PASSWORD)
    locked = AuditEvent.objects.filter(action="auth.locked_out")
    assert locked.exists()
    event = locked.first()
    assert event.result == Result.DENIED
    assert event.ip == "192.0.2.44"
    assert event.organisation_id == world.court.pk
    assert AuditEvent.objects.filter(action="auth.login_failed").count() == settings.AXES_FAILURE_LIMIT + 1
    assert verify_chains().ok


def test_logout_is_recorded(world):
    request = _request()
    login(request, world.clerk, backend="lvshi.accounts.backends.IdentityBackend")
    request.user = world.clerk
    logout(request)
    event = AuditEvent.objects.get(action="auth.logout")
    assert event.actor_id == world.clerk.pk
    assert event.ip == "203.0.113.7"


def test_login_through_the_sign_in_page_is_recorded(world, client):
    client.force_login(world.bureau_clerk, backend="lvshi.accounts.backends.IdentityBackend")
    assert AuditEvent.objects.filter(action="auth.login", actor_id=world.bureau_clerk.pk).exists()


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("", ""),
        ("abc", "A**"),
        ("13101200000000001", "1310*********0001"),
        ("  31010119850612001x ", "3101**********001X"),
    ],
)
def test_mask_login_name(raw, masked):
    assert mask_login_name(raw) == masked
