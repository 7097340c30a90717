"""X9 password rules, password change and password reset by SMS code."""

import json
import re
import secrets
from datetime import timedelta

import pytest
from captcha.conf import settings as captcha_settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from lvshi.accounts.models import ApiToken, SmsCode, SmsCodePurpose, User
from lvshi.audit.models import AuditEvent
from lvshi.core import crypto
from lvshi.notify import sms
from lvshi.notify.models import Notification
from tests.factories import UserFactory, make_id_number

NEW_PASSWORD = "Xin#Mima2027"


@pytest.fixture(autouse=True)
def captcha_passes(monkeypatch):
    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)


def api_token(user) -> str:
    raw = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=crypto.token_hash(raw), expires_at=timezone.now() + timedelta(hours=1))
    return raw


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def last_code() -> str:
    return re.search(r"(\d{6})", sms.outbox[-1].body).group(1)


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


# --- the rules ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab#1234", "密码太短，至少需要8个字符。"),
        ("abcdefgh12", "密码须包含小写字母、大写字母、数字、符号中的至少3类。"),
        ("Password123", "这个密码太常见，容易被猜到，请换一个。"),
        ("8629134750", "密码不能全是数字，请加入字母或符号。"),
        ("Ab#ZHANGsan99", "密码不能包含您的姓名。"),
    ],
)
def test_each_rule_refuses_with_its_chinese_message(db, password, message):
    user = User(name="zhangsan", mobile="13912345678")
    user._pending_id_number = make_id_number()
    with pytest.raises(ValidationError) as exc_info:
        validate_password(password, user)
    assert message in exc_info.value.messages
    assert all(_has_chinese(m) for m in exc_info.value.messages), exc_info.value.messages


def test_the_id_number_or_six_of_its_digits_are_refused(db):
    id_number = make_id_number()
    user = UserFactory(id_number=id_number)
    for password in (f"Aa#{id_number}", f"Aa#{id_number[-6:]}x", f"Aa#{id_number[3:9]}x"):
        with pytest.raises(ValidationError) as exc_info:
            validate_password(password, user)
        assert "密码不能包含身份证号码或其中的连续6位。" in exc_info.value.messages
    validate_password(f"Aa#{id_number[-5:]}xy", user)  # five digits are allowed


def test_a_good_password_passes(db):
    validate_password(NEW_PASSWORD, UserFactory())


# --- change -------------------------------------------------------------------------------


def test_change_keeps_this_session_and_ends_the_others(client, world, login, django_capture_on_commit_callbacks):
    from django.test import Client

    other_browser = Client()
    other_browser.force_login(world.lawyer, backend="lvshi.accounts.backends.IdentityBackend")
    token = api_token(world.lawyer)
    login(world.lawyer)

    data = {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_change"), data)
    assert response.status_code == 302
    world.lawyer.refresh_from_db()
    assert world.lawyer.check_password(NEW_PASSWORD)

    assert client.get(reverse("accounts:profile")).status_code == 200
    assert other_browser.get(reverse("accounts:profile")).status_code == 302
    assert client.get("/api/v1/accounts/profile", **bearer(token)).status_code == 401

    event = AuditEvent.objects.get(action="accounts.password_change", result="ok")
    assert event.actor_id == world.lawyer.pk
    assert NEW_PASSWORD not in json.dumps(event.after) and PASSWORD not in json.dumps(event.after)
    assert Notification.objects.filter(user=world.lawyer, kind="password_changed").exists()
    assert [m.to for m in sms.outbox] == [world.lawyer.mobile]


def test_change_with_a_wrong_old_password_is_refused_and_recorded(client, world, login):
    login(world.lawyer)
    data = {"old_password": "Wrong#Pass1", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    response = client.post(reverse("accounts:password_change"), data)
    assert response.status_code == 400
    assert "当前密码不正确" in response.content.decode()
    world.lawyer.refresh_from_db()
    assert world.lawyer.check_password(PASSWORD)
    assert AuditEvent.objects.filter(action="accounts.password_change", result="denied").exists()


@pytest.mark.parametrize(
    ("new_password", "message"),
    [("short1A", "密码太短"), ("alllowercase", "至少3类"), (PASSWORD, "新密码不能与当前密码相同")],
)
def test_change_to_a_bad_password_is_refused(client, world, login, new_password, message):
    login(world.lawyer)
    data = {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password}
    response = client.post(reverse("accounts:password_change"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    world.lawyer.refresh_from_db()
    assert world.lawyer.check_password(PASSWORD)


def test_change_page_needs_a_login(client, db):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_api_change_keeps_the_calling_token_and_revokes_the_others(client, world):
    mine, other = api_token(world.lawyer), api_token(world.lawyer)
    body = {"old_password": PASSWORD, "new_password": NEW_PASSWORD}
    response = client.post("/api/v1/accounts/password", json.dumps(body), "application/json", **bearer(mine))
    assert response.status_code == 200, response.content
    assert client.get("/api/v1/accounts/profile", **bearer(mine)).status_code == 200
    assert client.get("/api/v1/accounts/profile", **bearer(other)).status_code == 401
    world.lawyer.refresh_from_db()
    assert world.lawyer.check_password(NEW_PASSWORD)


def test_api_change_refusals(client, world):
    token = api_token(world.lawyer)
    wrong = {"old_password": "nope", "new_password": NEW_PASSWORD}
    response = client.post("/api/v1/accounts/password", json.dumps(wrong), "application/json", **bearer(token))
    assert response.status_code == 400 and response.json()["code"] == "wrong_password"
    weak = {"old_password": PASSWORD, "new_password": "abc"}
    response = client.post("/api/v1/accounts/password", json.dumps(weak), "application/json", **bearer(token))
    assert response.status_code == 400 and response.json()["code"] == "weak_password"
    assert "密码太短" in response.json()["message"]
    assert client.post("/api/v1/accounts/password", json.dumps(wrong), "application/json").status_code == 401


# --- reset --------------------------------------------------------------------------------


def request_reset(client, login_name):
    return client.post(
        reverse("accounts:password_reset"), {"login_name": login_name, "captcha_0": "k", "captcha_1": "PASSED"}
    )


def test_reset_answers_the_same_whether_or_not_the_account_exists(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        known = request_reset(client, world.lawyer.id_number)
    known_page = client.get(known["Location"]).content.decode()
    from django.test import Client

    stranger = Client()
    with django_capture_on_commit_callbacks(execute=True):
        unknown = request_reset(stranger, make_id_number())
    unknown_page = stranger.get(unknown["Location"]).content.decode()

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("accounts:password_reset_confirm")
    message = "如果该账号存在，验证码已发送至其注册手机号码"
    assert message in known_page and message in unknown_page
    assert [m.to for m in sms.outbox] == [world.lawyer.mobile]


def test_reset_needs_the_captcha(client, world):
    data = {"login_name": world.lawyer.id_number, "captcha_0": "k", "captcha_1": "WRONG"}
    response = client.post(reverse("accounts:password_reset"), data)
    assert response.status_code == 400
    assert "图片验证码不正确" in response.content.decode()
    assert not SmsCode.objects.exists()


def test_reset_with_the_code_sets_the_password_once(client, world, django_capture_on_commit_callbacks):
    token = api_token(world.lawyer)
    with django_capture_on_commit_callbacks(execute=True):
        request_reset(client, world.lawyer.licence_no)
    code = last_code()
    row = SmsCode.objects.get(user=world.lawyer, purpose=SmsCodePurpose.PASSWORD_RESET)
    # Stored as a keyed hash, not the code nor its plain SHA-256; valid 10 minutes.
    assert len(row.code_hash) == 64 and row.code_hash not in (code, crypto.token_hash(code))
    assert abs(row.expires_at - row.created_at - timedelta(minutes=10)) < timedelta(seconds=1)

    data = {"code": code, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    response = client.post(reverse("accounts:password_reset_confirm"), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    world.lawyer.refresh_from_db()
    assert world.lawyer.check_password(NEW_PASSWORD)
    assert client.get("/api/v1/accounts/profile", **bearer(token)).status_code == 401
    assert AuditEvent.objects.filter(action="accounts.password_reset", actor=world.lawyer).exists()

    # Single use.
    request_session_again = client.session
    request_session_again["password_reset_login"] = world.lawyer.licence_no
    request_session_again.save()
    again = {"code": code, "new_password1": "Third#Mima2028", "new_password2": "Third#Mima2028"}
    response = client.post(reverse("accounts:password_reset_confirm"), again)
    assert response.status_code == 400
    world.lawyer.refresh_from_db()
    assert world.lawyer.check_password(NEW_PASSWORD)


def test_five_wrong_codes_burn_the_code(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request_reset(client, world.lawyer.id_number)
    code = last_code()
    wrong = f"{(int(code) + 1) % 1000000:06d}"
    for _ in range(5):
        data = {"code": wrong, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        response = client.post(reverse("accounts:password_reset_confirm"), data)
        assert response.status_code == 400
        assert "验证码不正确或已失效" in response.content.decode()
    data = {"code": code, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    assert client.post(reverse("accounts:password_reset_confirm"), data).status_code == 400
    world.lawyer.refresh_from_db()
    assert world.lawyer.check_password(PASSWORD)
    assert SmsCode.objects.get(user=world.lawyer).tries == 5


def test_an_expired_code_is_refused(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request_reset(client, world.lawyer.id_number)
    SmsCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    data = {"code": last_code(), "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    assert client.post(reverse("accounts:password_reset_confirm"), data).status_code == 400
    world.lawyer.refresh_from_db()
    assert world.lawyer.check_password(PASSWORD)


def test_without_the_code_the_rules_say_nothing_about_the_account(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request_reset(client, world.lawyer.id_number)
    code = last_code()
    wrong = f"{(int(code) + 1) % 1000000:06d}"
    named = "Ab#李律师2026"
    response = client.post(
        reverse("accounts:password_reset_confirm"), {"code": wrong, "new_password1": named, "new_password2": named}
    )
    errors = [str(e) for errs in response.context["form"].errors.values() for e in errs]
    assert errors == ["验证码不正确或已失效（10分钟内有效，最多尝试5次）。请重新获取验证码。"]
    # With the right code a bad password is explained, and the code stays usable.
    response = client.post(
        reverse("accounts:password_reset_confirm"), {"code": code, "new_password1": named, "new_password2": named}
    )
    assert response.status_code == 400 and "密码不能包含您的姓名" in response.content.decode()
    data = {"code": code, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    assert client.post(reverse("accounts:password_reset_confirm"), data).status_code == 302


def test_a_second_request_within_a_minute_sends_nothing(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request_reset(client, world.lawyer.id_number)
        request_reset(client, world.lawyer.id_number)
    assert len(sms.outbox) == 1


def test_confirm_page_without_a_request_goes_back_to_step_one(client, db):
    response = client.get(reverse("accounts:password_reset_confirm"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset")


def test_api_reset(client, world, django_capture_on_commit_callbacks):
    body = {"login_name": world.lawyer.id_number.lower(), "captcha_key": "k", "captcha_value": "PASSED"}
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/api/v1/accounts/password/reset", json.dumps(body), "application/json")
    unknown_body = {**body, "login_name": make_id_number()}
    unknown = client.post("/api/v1/accounts/password/reset", json.dumps(unknown_body), "application/json")
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()

    confirm = {"login_name": world.lawyer.id_number, "code": "000000", "new_password": NEW_PASSWORD}
    if last_code() == "000000":
        confirm["code"] = "111111"
    response = client.post("/api/v1/accounts/password/reset/confirm", json.dumps(confirm), "application/json")
    assert response.status_code == 400 and response.json()["code"] == "invalid_code"

    confirm["code"] = last_code()
    response = client.post("/api/v1/accounts/password/reset/confirm", json.dumps(confirm), "application/json")
    assert response.status_code == 200, response.content
    world.lawyer.refresh_from_db()
    assert world.lawyer.check_password(NEW_PASSWORD)


def test_api_reset_needs_the_captcha(client, world):
    body = {"login_name": world.lawyer.id_number, "captcha_key": "k", "captcha_value": "nope"}
    response = client.post("/api/v1/accounts/password/reset", json.dumps(body), "application/json")
    assert response.status_code == 400 and response.json()["code"] == "captcha_invalid"
    assert not SmsCode.objects.exists()


def test_a_reset_unlocks_the_locked_account(client, world, rf, django_capture_on_commit_callbacks):
    from lvshi.accounts import security

    request = rf.post("/accounts/login/")
    for _ in range(5):
        security.record_failure(request, user=world.lawyer)
    assert security.is_locked(rf.post("/accounts/login/", REMOTE_ADDR="10.9.9.9"), user=world.lawyer)

    with django_capture_on_commit_callbacks(execute=True):
        request_reset(client, world.lawyer.id_number)
    data = {"code": last_code(), "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    assert client.post(reverse("accounts:password_reset_confirm"), data).status_code == 302
    assert not security.is_locked(rf.post("/accounts/login/", REMOTE_ADDR="10.9.9.9"), user=world.lawyer)
