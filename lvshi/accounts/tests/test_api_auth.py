"""Sign-in through the JSON API: captcha, bearer tokens, second factor,
lock-out, log-out, and /me."""

import base64
import re
from datetime import timedelta

import pytest
from captcha.models import CaptchaStore
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from lvshi.accounts.models import ApiToken, TwoFactorMethod
from lvshi.audit.models import AuditEvent
from lvshi.core import crypto
from lvshi.core.actor import Actor
from lvshi.notify import sms
from tests.factories import make_id_number

from .test_otp import confirmed_totp, totp_code, wrong_code

API = "/api/v1"


def new_captcha(client) -> tuple[str, str]:
    data = client.get(f"{API}/auth/captcha").json()
    return data["key"], CaptchaStore.objects.get(hashkey=data["key"]).response


def api_login(client, username, password=PASSWORD, *, otp=None, captcha=None, ip="10.30.0.1"):
    key, answer = captcha or new_captcha(client)
    body = {"username": username, "password": password, "captcha_key": key, "captcha_value": answer}
    if otp is not None:
        body["otp"] = otp
    return client.post(f"{API}/auth/login", body, content_type="application/json", REMOTE_ADDR=ip)


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture(autouse=True)
def _empty_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.mark.django_db
def test_captcha_endpoint_gives_a_key_and_a_png_data_uri(client):
    response = client.get(f"{API}/auth/captcha")
    assert response.status_code == 200
    data = response.json()
    assert CaptchaStore.objects.filter(hashkey=data["key"]).exists()
    prefix = "data:image/png;base64,"
    assert data["image"].startswith(prefix)
    assert base64.b64decode(data["image"][len(prefix) :]).startswith(b"\x89PNG")


def test_lawyer_gets_a_token_and_reads_me(client, world):
    response = api_login(client, world.lawyer.id_number.lower())
    assert response.status_code == 200
    data = response.json()
    token = data["token"]
    assert len(token) >= 43
    row = ApiToken.objects.get(user=world.lawyer)
    assert row.key_hash == crypto.token_hash(token)
    assert token not in row.key_hash
    expires = row.expires_at - timezone.now()
    assert timedelta(hours=11, minutes=59) < expires <= timedelta(hours=12)
    assert row.ip == "10.30.0.1"
    assert AuditEvent.objects.filter(action="auth.token_issue", actor=world.lawyer).exists()

    me = client.get(f"{API}/me", **bearer(token))
    assert me.status_code == 200
    body = me.json()
    assert body["id"] == world.lawyer.pk
    assert body["name"] == "李律师"
    assert body["id_number_masked"] == world.lawyer.id_number_masked
    assert body["licence_no"] == world.lawyer.licence_no
    assert body["licence_status"] == "verified"
    assert body["roles"] == [
        {"role": "lawyer", "role_label": "律师", "organisation_id": world.firm.pk, "organisation": world.firm.name}
    ]
    assert world.lawyer.id_number not in me.content.decode()


def test_token_lifetime_follows_the_setting(client, world, settings):
    settings.API_TOKEN_TTL_HOURS = 2
    api_login(client, world.lawyer.licence_no)
    row = ApiToken.objects.get(user=world.lawyer)
    assert row.expires_at - timezone.now() <= timedelta(hours=2)


@pytest.mark.django_db
def test_anonymous_api_calls_get_401(client):
    for response in (client.get(f"{API}/me"), client.post(f"{API}/auth/logout")):
        assert response.status_code == 401
        assert response.json()["code"] == "unauthenticated"
    bad = client.get(f"{API}/me", **bearer("not-a-token"))
    assert bad.status_code == 401


def test_logout_revokes_the_token(client, world):
    token = api_login(client, world.lawyer.id_number).json()["token"]
    response = client.post(f"{API}/auth/logout", **bearer(token))
    assert response.status_code == 204
    assert ApiToken.objects.get(user=world.lawyer).revoked_at is not None
    assert client.get(f"{API}/me", **bearer(token)).status_code == 401
    assert AuditEvent.objects.filter(action="auth.token_revoke", actor=world.lawyer).exists()


def test_expired_token_is_refused(client, world):
    token = api_login(client, world.lawyer.id_number).json()["token"]
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(f"{API}/me", **bearer(token)).status_code == 401


def test_token_of_a_deactivated_user_is_refused(client, world):
    token = api_login(client, world.lawyer.id_number).json()["token"]
    world.lawyer.is_active = False
    world.lawyer.save()
    assert client.get(f"{API}/me", **bearer(token)).status_code == 401


def test_wrong_password_and_unknown_user_get_the_same_answer(client, world):
    wrong = api_login(client, world.lawyer.id_number, "Wrong@2026pass")
    unknown = api_login(client, make_id_number(region="210101"))
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["code"] == "invalid_credentials"
    assert not ApiToken.objects.exists()


def test_wrong_captcha_is_refused(client, world):
    key, answer = new_captcha(client)
    response = api_login(client, world.lawyer.id_number, captcha=(key, answer + "q"))
    assert response.status_code == 400
    assert response.json()["code"] == "captcha_invalid"
    # Single use: the right answer no longer works for this key.
    again = api_login(client, world.lawyer.id_number, captcha=(key, answer))
    assert again.json()["code"] == "captcha_invalid"
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_malformed_body_is_a_422_with_code(client):
    response = client.post(f"{API}/auth/login", {"username": "x"}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    too_long = client.post(
        f"{API}/auth/login",
        {"username": "1" * 500, "password": "p", "captcha_key": "k", "captcha_value": "v"},
        content_type="application/json",
    )
    assert too_long.status_code == 422


def test_staff_must_send_the_authenticator_code(client, world):
    device = confirmed_totp(world.officer)
    first = api_login(client, world.officer.id_number)
    assert first.status_code == 401
    assert first.json()["code"] == "otp_required"
    assert not ApiToken.objects.exists()

    code = totp_code(device)
    bad = api_login(client, world.officer.id_number, otp=wrong_code(code))
    assert bad.status_code == 401
    assert bad.json()["code"] == "otp_invalid"
    assert AuditEvent.objects.filter(action="auth.otp_failed", actor=world.officer).exists()

    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    ok = api_login(client, world.officer.id_number, otp=code)
    assert ok.status_code == 200
    assert client.get(f"{API}/me", **bearer(ok.json()["token"])).json()["roles"][0]["role"] == "officer"


def test_staff_without_an_authenticator_are_told_to_set_one_up(client, world):
    response = api_login(client, world.judge.id_number)
    assert response.status_code == 403
    assert response.json()["code"] == "otp_setup_required"
    assert not ApiToken.objects.exists()


def test_lawyer_with_sms_gets_a_code_on_the_first_call(client, world, django_capture_on_commit_callbacks):
    lawyer = world.lawyer
    lawyer.two_factor_method = TwoFactorMethod.SMS
    lawyer.save()
    with django_capture_on_commit_callbacks(execute=True):
        first = api_login(client, lawyer.id_number)
    assert first.status_code == 401
    assert first.json()["code"] == "otp_required"
    assert not ApiToken.objects.exists()
    code = re.search(r"\d{6}", [m.body for m in sms.outbox if m.to == lawyer.mobile][-1]).group(0)

    ok = api_login(client, lawyer.id_number, otp=code)
    assert ok.status_code == 200
    assert ApiToken.objects.filter(user=lawyer).count() == 1


def test_api_failures_count_towards_the_lock_out(client, world):
    for n in range(5):
        response = api_login(client, world.lawyer.id_number, "Wrong@2026pass", ip=f"10.31.0.{n}")
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"
    locked = api_login(client, world.lawyer.id_number, ip="10.31.0.99")
    assert locked.status_code == 429
    assert "再试" in locked.json()["message"]

    # The page is locked too: one lock per account, whichever door was used.
    from .test_signin import post_login

    assert post_login(client, world.lawyer.id_number, ip="10.31.0.100").status_code == 429


def test_page_failures_lock_the_api_too(client, world):
    from .test_signin import post_login

    for _ in range(5):
        post_login(client, world.lawyer.id_number, "Wrong@2026pass", ip="10.32.0.1")
    assert api_login(client, world.lawyer.id_number, ip="10.32.0.2").status_code == 429


def test_api_sign_in_does_not_open_a_session(client, world):
    api_login(client, world.lawyer.id_number)
    assert "_auth_user_id" not in client.session


def test_a_token_is_checked_in_one_read_that_writes_nothing(world, rf, django_assert_num_queries):
    from lvshi.accounts.api import ApiTokenAuth
    from lvshi.accounts.signin import token_issue

    issued = token_issue(actor=Actor(world.lawyer))
    request = rf.get(f"{API}/me")
    with django_assert_num_queries(1) as captured:
        user = ApiTokenAuth().authenticate(request, issued.token)
    assert captured.captured_queries[0]["sql"].lstrip().upper().startswith("SELECT")
    assert user == world.lawyer and request.user is user and request.api_token == issued.row
    # The user as the ORM reads it: every field, the encrypted one decrypted.
    for field in type(user)._meta.concrete_fields:
        assert getattr(user, field.attname) == getattr(world.lawyer, field.attname), field.name
    assert request.api_token.expires_at == issued.row.expires_at and request.api_token.user_id == world.lawyer.pk
    assert not user._state.adding and user._state.db == "default"
    assert ApiTokenAuth().authenticate(rf.get(f"{API}/me"), issued.token + "x") is None
    ApiToken.objects.filter(pk=issued.row.pk).update(revoked_at=timezone.now())
    assert ApiTokenAuth().authenticate(rf.get(f"{API}/me"), issued.token) is None
