"""V2 "edit my details": the profile page and API, e-mail, mobile change."""

import json
import re
import secrets
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from lvshi.accounts.models import ApiToken, LicenceStatus, SmsCode
from lvshi.audit.models import AuditEvent
from lvshi.bureau.tests.factories import make_lawyer
from lvshi.core import crypto
from lvshi.notify import sms
from tests.factories import MembershipFactory, UserFactory, make_licence_no

NEW_MOBILE = "13700001234"


def api_token(user) -> str:
    raw = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=crypto.token_hash(raw), expires_at=timezone.now() + timedelta(hours=1))
    return raw


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def last_code() -> str:
    return re.search(r"(\d{6})", sms.outbox[-1].body).group(1)


# --- the page ------------------------------------------------------------------------------


def test_profile_shows_masked_id_licence_firm_and_roles(client, world, login, django_assert_max_num_queries):
    login(world.lawyer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("accounts:profile"))
    assert response.status_code == 200
    page = response.content.decode()
    assert world.lawyer.id_number_masked in page
    assert world.lawyer.id_number not in page
    assert world.lawyer.licence_no in page
    assert "已核验" in page
    assert world.firm.name in page
    assert f"{world.firm.name} · 律师" in page  # the role
    assert world.lawyer.mobile not in page  # shown masked


def test_profile_needs_a_login(client, db):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_email_can_be_changed_freely(client, world, login):
    login(world.lawyer)
    response = client.post(reverse("accounts:profile"), {"email": "li@example.com"})
    assert response.status_code == 302
    world.lawyer.refresh_from_db()
    assert world.lawyer.email == "li@example.com"
    event = AuditEvent.objects.get(action="accounts.profile_update")
    assert event.before == {"email": ""} and event.after == {"email": "li@example.com"}


def test_bad_email_is_refused(client, world, login):
    login(world.lawyer)
    response = client.post(reverse("accounts:profile"), {"email": "not-an-address"})
    assert response.status_code == 400
    assert "请输入有效的电子邮箱地址" in response.content.decode()
    world.lawyer.refresh_from_db()
    assert world.lawyer.email == ""


def test_the_id_number_and_name_cannot_be_changed(client, world, login):
    login(world.lawyer)
    before = (world.lawyer.id_number_hash, world.lawyer.name)
    client.post(reverse("accounts:profile"), {"email": "a@example.com", "id_number": "11010519491231002X", "name": "X"})
    world.lawyer.refresh_from_db()
    assert (world.lawyer.id_number_hash, world.lawyer.name) == before


# --- mobile change ------------------------------------------------------------------------


def test_mobile_change_without_the_password_is_refused(client, world, login):
    login(world.lawyer)
    old = world.lawyer.mobile
    response = client.post(reverse("accounts:profile_mobile"), {"mobile": NEW_MOBILE, "current_password": ""})
    assert response.status_code == 400
    assert "更换手机号码须再次输入当前密码" in response.content.decode()
    response = client.post(reverse("accounts:profile_mobile"), {"mobile": NEW_MOBILE, "current_password": "Wrong#1x"})
    assert response.status_code == 400
    assert "当前密码不正确" in response.content.decode()
    world.lawyer.refresh_from_db()
    assert world.lawyer.mobile == old
    assert not SmsCode.objects.exists()
    assert AuditEvent.objects.filter(action="accounts.mobile_change_request", result="denied").exists()


def test_mobile_change_with_password_and_code(client, world, login, django_capture_on_commit_callbacks):
    login(world.lawyer)
    old = world.lawyer.mobile
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:profile_mobile"), {"mobile": NEW_MOBILE, "current_password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile_mobile_confirm")
    assert [m.to for m in sms.outbox] == [NEW_MOBILE]  # the code goes to the new number
    world.lawyer.refresh_from_db()
    assert world.lawyer.mobile == old  # not yet

    assert "137****1234" in client.get(reverse("accounts:profile_mobile_confirm")).content.decode()
    wrong = f"{(int(last_code()) + 1) % 1000000:06d}"
    assert client.post(reverse("accounts:profile_mobile_confirm"), {"code": wrong}).status_code == 400
    response = client.post(reverse("accounts:profile_mobile_confirm"), {"code": last_code()})
    assert response.status_code == 302
    world.lawyer.refresh_from_db()
    assert world.lawyer.mobile == NEW_MOBILE
    event = AuditEvent.objects.get(action="accounts.mobile_change")
    assert event.after == {"mobile": "137****1234"}


def test_mobile_confirm_without_a_request_goes_back(client, world, login):
    login(world.lawyer)
    response = client.get(reverse("accounts:profile_mobile_confirm"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile_mobile")


def test_a_code_for_one_user_does_not_change_another(client, world, login, django_capture_on_commit_callbacks):
    login(world.lawyer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:profile_mobile"), {"mobile": NEW_MOBILE, "current_password": PASSWORD})
    code = last_code()
    login(world.other_lawyer)
    response = client.post(reverse("accounts:profile_mobile_confirm"), {"code": code})
    assert response.status_code == 302  # nothing pending for this user
    world.other_lawyer.refresh_from_db()
    assert world.other_lawyer.mobile != NEW_MOBILE


# --- licence correction --------------------------------------------------------------------


@pytest.fixture
def pending_lawyer(world):
    lawyer = UserFactory(name="何律师", licence_no=make_licence_no(), licence_status=LicenceStatus.PENDING)
    MembershipFactory(user=lawyer, organisation=world.firm, role="lawyer")
    return lawyer


def test_a_waiting_lawyer_can_correct_the_licence_number(client, world, pending_lawyer, login):
    good = make_licence_no()
    make_lawyer(world.firm, "何律师", licence_no=good)
    login(pending_lawyer)
    assert "修改执业证号" in client.get(reverse("accounts:profile")).content.decode()
    response = client.post(reverse("accounts:profile_licence"), {"licence_no": good})
    assert response.status_code == 302
    pending_lawyer.refresh_from_db()
    assert pending_lawyer.licence_no == good
    assert pending_lawyer.licence_status == LicenceStatus.VERIFIED


def test_a_verified_licence_cannot_be_edited(client, world, login):
    login(world.lawyer)
    assert "修改执业证号" not in client.get(reverse("accounts:profile")).content.decode()
    old = world.lawyer.licence_no
    response = client.post(reverse("accounts:profile_licence"), {"licence_no": make_licence_no()})
    assert response.status_code == 400
    world.lawyer.refresh_from_db()
    assert world.lawyer.licence_no == old


def test_someone_elses_licence_number_is_refused(client, pending_lawyer, world, login):
    login(pending_lawyer)
    response = client.post(reverse("accounts:profile_licence"), {"licence_no": world.lawyer.licence_no})
    assert response.status_code == 400
    assert "该执业证号已被其他账号使用" in response.content.decode()


# --- the API ---------------------------------------------------------------------------------


def test_api_profile(client, world):
    token = api_token(world.lawyer)
    response = client.get("/api/v1/accounts/profile", **bearer(token))
    assert response.status_code == 200
    body = response.json()
    assert body["id_number_masked"] == world.lawyer.id_number_masked
    assert world.lawyer.id_number not in response.content.decode()
    assert body["licence_status"] == "verified"
    assert body["firm"]["id"] == world.firm.pk
    assert [r["role"] for r in body["roles"]] == ["lawyer"]


def test_api_profile_needs_a_token(client, db):
    response = client.get("/api/v1/accounts/profile")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_api_patch_email(client, world):
    token = api_token(world.lawyer)
    response = client.patch(
        "/api/v1/accounts/profile", json.dumps({"email": "li@example.com"}), "application/json", **bearer(token)
    )
    assert response.status_code == 200
    assert response.json()["email"] == "li@example.com"
    bad = client.patch("/api/v1/accounts/profile", json.dumps({"email": "nope"}), "application/json", **bearer(token))
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_email"
    world.lawyer.refresh_from_db()
    assert world.lawyer.email == "li@example.com"


def test_api_mobile_change_needs_the_password_then_the_code(client, world, django_capture_on_commit_callbacks):
    token = api_token(world.lawyer)
    old = world.lawyer.mobile
    response = client.patch(
        "/api/v1/accounts/profile", json.dumps({"mobile": NEW_MOBILE}), "application/json", **bearer(token)
    )
    assert response.status_code == 400 and response.json()["code"] == "wrong_password"
    assert not SmsCode.objects.exists()

    body = {"mobile": NEW_MOBILE, "current_password": PASSWORD}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.patch("/api/v1/accounts/profile", json.dumps(body), "application/json", **bearer(token))
    assert response.status_code == 200
    assert response.json()["mobile"] == old
    assert response.json()["mobile_pending"] == "137****1234"

    response = client.post(
        "/api/v1/accounts/profile/mobile/confirm",
        json.dumps({"code": last_code()}),
        "application/json",
        **bearer(token),
    )
    assert response.status_code == 200
    assert response.json()["mobile"] == NEW_MOBILE


def test_api_patch_ignores_the_id_number(client, world):
    token = api_token(world.lawyer)
    before = world.lawyer.id_number_hash
    body = {"id_number": "11010519491231002X", "email": "x@example.com"}
    assert (
        client.patch("/api/v1/accounts/profile", json.dumps(body), "application/json", **bearer(token)).status_code
        == 200
    )
    world.lawyer.refresh_from_db()
    assert world.lawyer.id_number_hash == before
