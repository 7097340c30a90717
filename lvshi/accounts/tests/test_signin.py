"""The sign-in page: log-in names, captcha, same answer for unknown users and
wrong passwords, session rotation, safe ``next``, server-side log-out."""

from urllib.parse import quote

import pytest
from captcha.models import CaptchaStore
from django.contrib.sessions.models import Session
from django.core.checks import run_checks
from django.urls import reverse

from conftest import PASSWORD
from lvshi.accounts.checks import CAPTCHA_TEST_MODE_ON
from lvshi.audit.models import AuditEvent
from tests.factories import UserFactory, make_id_number

LOGIN_URL = reverse("accounts:login")


def new_captcha() -> tuple[str, str]:
    """A fresh captcha key and its answer, as a person reading the image would type it."""
    key = CaptchaStore.generate_key()
    return key, CaptchaStore.objects.get(hashkey=key).response


def login_data(username, password=PASSWORD, *, captcha=None, **extra) -> dict:
    key, answer = captcha or new_captcha()
    return {"username": username, "password": password, "captcha_key": key, "captcha_value": answer, **extra}


def post_login(client, username, password=PASSWORD, *, next_url=None, ip="10.1.1.1", captcha=None, **headers):
    url = LOGIN_URL + (f"?next={quote(next_url)}" if next_url else "")
    return client.post(url, login_data(username, password, captcha=captcha), REMOTE_ADDR=ip, **headers)


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


# --- the page -------------------------------------------------------------------------


@pytest.mark.django_db
def test_login_page_shows_a_captcha_and_a_refresh_link(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = client.get(LOGIN_URL)
    assert response.status_code == 200
    key = response.context["captcha_key"]
    assert CaptchaStore.objects.filter(hashkey=key).exists()
    body = response.content.decode()
    assert reverse("captcha-image", args=[key]) in body
    assert "换一张" in body
    assert 'name="captcha_value"' in body


@pytest.mark.django_db
def test_anonymous_pages_redirect_to_login(client):
    for name in ("accounts:two_factor", "accounts:otp_verify", "accounts:otp_setup"):
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"].startswith(LOGIN_URL), name


# --- log-in names -----------------------------------------------------------------------


def test_lawyer_signs_in_with_id_number_and_lower_case_x(client, world):
    id_number = make_id_number()
    while not id_number.endswith("X"):
        id_number = make_id_number()
    user = UserFactory(id_number=id_number, password=PASSWORD)
    response = post_login(client, id_number.lower())
    assert response.status_code == 302
    assert response["Location"] == reverse("site:home")
    assert signed_in_user_id(client) == str(user.pk)
    assert AuditEvent.objects.filter(action="auth.login", actor=user).exists()


def test_lawyer_signs_in_with_licence_number(client, world):
    response = post_login(client, world.lawyer.licence_no)
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(world.lawyer.pk)


def test_unknown_user_and_wrong_password_get_the_same_message(client, world):
    wrong_password = post_login(client, world.lawyer.id_number, "Wrong@2026pass")
    unknown_user = post_login(client, make_id_number(region="110101"))
    unknown_licence = post_login(client, "13101209999999999")
    messages = {r.context["form"].non_field_errors()[0] for r in (wrong_password, unknown_user, unknown_licence)}
    assert len(messages) == 1
    assert "登录名或密码不正确" in messages.pop()
    for response in (wrong_password, unknown_user, unknown_licence):
        assert response.status_code == 400
    assert signed_in_user_id(client) is None


def test_inactive_account_gets_the_same_message(client, world):
    world.lawyer.is_active = False
    world.lawyer.save()
    response = post_login(client, world.lawyer.id_number)
    assert response.status_code == 400
    assert "登录名或密码不正确" in response.context["form"].non_field_errors()[0]


@pytest.mark.django_db
def test_empty_fields_are_form_errors(client):
    response = client.post(LOGIN_URL, {"username": "", "password": "", "captcha_key": "", "captcha_value": ""})
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["username"] == ["请输入18位身份证号码或17位执业证号。"]
    assert "password" in form.errors and "captcha_value" in form.errors
    assert signed_in_user_id(client) is None


# --- captcha ------------------------------------------------------------------------------


def test_wrong_captcha_is_refused_before_the_password_is_checked(client, world):
    key, answer = new_captcha()
    response = post_login(client, world.lawyer.id_number, captcha=(key, "zzzz" if answer != "zzzz" else "yyyy"))
    assert response.status_code == 400
    assert "图形验证码不正确" in response.context["form"].errors["captcha_value"][0]
    assert signed_in_user_id(client) is None
    # The captcha is used up even though the answer was wrong.
    assert not CaptchaStore.objects.filter(hashkey=key).exists()
    # ... and no password failure was recorded (nothing reached authenticate()).
    assert not AuditEvent.objects.filter(action="auth.login_failed").exists()


def test_captcha_letters_are_case_insensitive(client, world):
    key, answer = new_captcha()
    response = post_login(client, world.lawyer.id_number, captcha=(key, answer.upper()))
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(world.lawyer.pk)


def test_each_captcha_can_be_used_once(client, world):
    captcha = new_captcha()
    first = post_login(client, world.lawyer.id_number, "Wrong@2026pass", captcha=captcha)
    assert "登录名或密码不正确" in first.context["form"].non_field_errors()[0]
    second = post_login(client, world.lawyer.id_number, captcha=captcha)
    assert second.status_code == 400
    assert "captcha_value" in second.context["form"].errors
    assert signed_in_user_id(client) is None


def test_expired_captcha_is_refused(client, world):
    from datetime import timedelta

    from django.utils import timezone

    key, answer = new_captcha()
    CaptchaStore.objects.filter(hashkey=key).update(expiration=timezone.now() - timedelta(seconds=1))
    response = post_login(client, world.lawyer.id_number, captcha=(key, answer))
    assert response.status_code == 400
    assert signed_in_user_id(client) is None


def test_captcha_test_mode_accepts_passed(client, world, monkeypatch):
    import captcha.conf.settings as captcha_settings

    key, _answer = new_captcha()
    refused = post_login(client, world.lawyer.id_number, captcha=(key, "PASSED"))
    assert refused.status_code == 400

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)
    key, _answer = new_captcha()
    accepted = post_login(client, world.lawyer.id_number, captcha=(key, "PASSED"))
    assert accepted.status_code == 302
    assert not CaptchaStore.objects.filter(hashkey=key).exists()


def test_deploy_check_warns_while_captcha_test_mode_is_on(settings):
    settings.CAPTCHA_TEST_MODE = True
    ids = {m.id for m in run_checks(include_deployment_checks=True)}
    assert CAPTCHA_TEST_MODE_ON in ids
    settings.CAPTCHA_TEST_MODE = False
    ids = {m.id for m in run_checks(include_deployment_checks=True)}
    assert CAPTCHA_TEST_MODE_ON not in ids


def test_check_without_deploy_does_not_warn(settings):
    settings.CAPTCHA_TEST_MODE = True
    assert CAPTCHA_TEST_MODE_ON not in {m.id for m in run_checks()}


# --- session ---------------------------------------------------------------------------------


def test_session_id_is_rotated_at_login(client, world):
    client.get(LOGIN_URL)
    client.session.save()
    before = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=before).exists()
    post_login(client, world.lawyer.id_number)
    after = client.cookies["sessionid"].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert signed_in_user_id(client) == str(world.lawyer.pk)


def test_safe_next_is_honoured(client, world):
    response = post_login(client, world.lawyer.id_number, next_url="/accounts/two-factor/?tab=1")
    assert response["Location"] == "/accounts/two-factor/?tab=1"


@pytest.mark.parametrize(
    "evil",
    [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "javascript:alert(1)",
        "http://testserver@evil.example/",
    ],
)
def test_next_to_another_site_is_ignored(client, world, evil):
    response = post_login(client, world.lawyer.id_number, next_url=evil)
    assert response.status_code == 302
    assert response["Location"] == reverse("site:home")


def test_signed_in_user_visiting_login_page_goes_on(client, world, login):
    login(world.lawyer)
    response = client.get(LOGIN_URL + "?next=/accounts/two-factor/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/"


def test_logout_needs_post_and_ends_the_session_on_the_server(client, world):
    post_login(client, world.lawyer.id_number)
    session_key = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=session_key).exists()

    confirm = client.get(reverse("accounts:logout"))
    assert confirm.status_code == 200
    assert signed_in_user_id(client) == str(world.lawyer.pk)

    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL
    assert not Session.objects.filter(session_key=session_key).exists()
    assert client.get(reverse("accounts:two_factor")).status_code == 302
    assert AuditEvent.objects.filter(action="auth.logout", actor=world.lawyer).exists()


@pytest.mark.django_db
def test_logout_when_not_signed_in_goes_to_login(client):
    response = client.get(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL


@pytest.mark.django_db
def test_login_rejects_other_methods(client):
    assert client.put(LOGIN_URL).status_code == 405
    assert client.put(reverse("accounts:logout")).status_code == 405
