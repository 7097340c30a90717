"""Two-factor: TOTP for staff (enrolment and verification), the SMS device,
lawyers' choice of method, and the pages an unverified user may reach."""

import re
import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from lvshi.accounts.models import SmsCode, TwoFactorMethod
from lvshi.accounts.otp import SmsDevice
from lvshi.audit.models import AuditEvent
from lvshi.core.errors import DomainError
from lvshi.notify import sms

from .test_signin import LOGIN_URL, post_login, signed_in_user_id

VERIFY_URL = reverse("accounts:otp_verify")
SETUP_URL = reverse("accounts:otp_setup")
TWO_FACTOR_URL = reverse("accounts:two_factor")


def totp_code(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def wrong_code(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def confirmed_totp(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def last_sms_code(to: str) -> str:
    bodies = [m.body for m in sms.outbox if m.to == to]
    assert bodies, f"no SMS sent to {to}"
    return re.search(r"\d{6}", bodies[-1]).group(0)


@pytest.fixture(autouse=True)
def _empty_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


# --- staff: TOTP is required ------------------------------------------------------------


def test_staff_without_an_authenticator_must_set_one_up_after_the_password(client, world):
    officer = world.officer
    response = post_login(client, officer.id_number, next_url="/accounts/two-factor/")
    assert response.status_code == 302
    assert response["Location"] == SETUP_URL
    # Nothing else is reachable yet.
    assert client.get(TWO_FACTOR_URL)["Location"].startswith(VERIFY_URL)
    assert client.get(VERIFY_URL)["Location"] == SETUP_URL

    page = client.get(SETUP_URL)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in body
    device = page.context["device"]
    assert not device.confirmed
    assert page.context["secret"].replace(" ", "") in body.replace(" ", "")
    # Reloading shows the same secret.
    assert client.get(SETUP_URL).context["device"].pk == device.pk

    code = totp_code(device)
    bad = client.post(SETUP_URL, {"device_id": device.pk, "token": wrong_code(code)})
    assert bad.status_code == 400
    assert "验证码不正确" in bad.context["form"].errors["token"][0]
    device.refresh_from_db()
    assert not device.confirmed

    # A wrong code throttles the device briefly (django-otp); let the pause pass.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    session_before = client.cookies["sessionid"].value
    done = client.post(SETUP_URL, {"device_id": device.pk, "token": code})
    assert done.status_code == 302
    assert done["Location"] == "/accounts/two-factor/"
    device.refresh_from_db()
    assert device.confirmed
    officer.refresh_from_db()
    assert officer.two_factor_method == TwoFactorMethod.TOTP
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    # The session id changes again once the second factor has passed.
    assert client.cookies["sessionid"].value != session_before
    assert not Session.objects.filter(session_key=session_before).exists()
    assert client.get(TWO_FACTOR_URL).status_code == 200
    assert AuditEvent.objects.filter(action="auth.otp_enrol", actor=officer, result="ok").exists()
    assert AuditEvent.objects.filter(action="auth.otp_enrol", actor=officer, result="denied").exists()


def test_staff_with_an_authenticator_verifies_a_code(client, world):
    device = confirmed_totp(world.judge)
    response = post_login(client, world.judge.id_number, next_url="/accounts/two-factor/")
    assert response["Location"] == VERIFY_URL
    assert signed_in_user_id(client) == str(world.judge.pk)
    assert client.get(TWO_FACTOR_URL)["Location"].startswith(VERIFY_URL)

    code = totp_code(device)
    bad = client.post(VERIFY_URL, {"token": wrong_code(code)})
    assert bad.status_code == 400
    assert "验证码不正确" in bad.context["form"].errors["token"][0]
    assert AuditEvent.objects.filter(action="auth.otp_failed", actor=world.judge, result="failed").exists()

    device.refresh_from_db()
    device.throttling_failure_timestamp = None
    device.save()
    ok = client.post(VERIFY_URL, {"token": code})
    assert ok.status_code == 302
    assert ok["Location"] == "/accounts/two-factor/"
    assert client.get(TWO_FACTOR_URL).status_code == 200
    assert AuditEvent.objects.filter(action="auth.otp_ok", actor=world.judge).exists()


def test_a_code_cannot_be_used_twice(client, world):
    device = confirmed_totp(world.clerk)
    post_login(client, world.clerk.id_number)
    code = totp_code(device)
    assert client.post(VERIFY_URL, {"token": code}).status_code == 302
    client.post(reverse("accounts:logout"))
    post_login(client, world.clerk.id_number)
    assert client.post(VERIFY_URL, {"token": code}).status_code == 400


@pytest.mark.parametrize("name", ["officer", "judge", "bureau_clerk", "auditor", "authority_officer", "admin"])
def test_unverified_staff_reach_only_the_two_factor_pages(client, world, login, name):
    user = getattr(world, name)
    confirmed_totp(user)
    login(user, otp=False)
    for url in (TWO_FACTOR_URL, reverse("site:home"), reverse("admin:index")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(VERIFY_URL), url
    htmx = client.get(TWO_FACTOR_URL, HTTP_HX_REQUEST="true")
    assert htmx["HX-Redirect"].startswith(VERIFY_URL)
    assert client.get(VERIFY_URL).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert signed_in_user_id(client) is None


def test_signed_in_staff_cannot_replace_the_authenticator_without_a_code(client, world, login):
    confirmed_totp(world.officer)
    login(world.officer, otp=False)
    response = client.get(SETUP_URL)
    assert response.status_code == 302
    assert response["Location"] == VERIFY_URL
    assert TOTPDevice.objects.filter(user=world.officer).count() == 1


def test_five_wrong_codes_lock_the_account_and_end_the_session(client, world):
    device = confirmed_totp(world.officer)
    post_login(client, world.officer.id_number, ip="10.20.0.1")
    code = totp_code(device)
    for _ in range(5):
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
        response = client.post(VERIFY_URL, {"token": wrong_code(code)}, REMOTE_ADDR="10.20.0.1")
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert signed_in_user_id(client) is None
    assert AccessAttempt.objects.filter(username=f"user:{world.officer.pk}").exists()
    # The password alone no longer gets in, from anywhere.
    assert post_login(client, world.officer.id_number, ip="10.20.0.2").status_code == 429


def test_otp_verify_page_has_bounded_queries(client, world, django_assert_max_num_queries):
    confirmed_totp(world.officer)
    post_login(client, world.officer.id_number)
    with django_assert_max_num_queries(12):
        assert client.get(VERIFY_URL).status_code == 200


# --- lawyers: none, TOTP or SMS ------------------------------------------------------------


def test_lawyer_without_two_factor_is_not_asked_for_a_code(client, world):
    response = post_login(client, world.lawyer.id_number)
    assert response["Location"] == reverse("site:home")
    assert client.get(TWO_FACTOR_URL).status_code == 200


def test_lawyer_with_sms_receives_a_code_and_signs_in_with_it(client, world, django_capture_on_commit_callbacks):
    lawyer = world.lawyer
    lawyer.two_factor_method = TwoFactorMethod.SMS
    lawyer.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_login(client, lawyer.id_number)
    assert response["Location"] == VERIFY_URL
    code = last_sms_code(lawyer.mobile)
    row = SmsCode.objects.get(user=lawyer)
    assert code not in row.code_hash and len(row.code_hash) == 64
    assert abs((row.expires_at - row.created_at) - timedelta(minutes=10)) < timedelta(seconds=5)

    page = client.get(VERIFY_URL)
    assert page.context["is_sms"]
    assert lawyer.mobile[-4:] in page.content.decode()
    assert lawyer.mobile not in page.content.decode()

    assert client.post(VERIFY_URL, {"token": wrong_code(code)}).status_code == 400
    assert client.post(VERIFY_URL, {"token": code})["Location"] == reverse("site:home")
    assert client.get(TWO_FACTOR_URL).status_code == 200
    row.refresh_from_db()
    assert row.used_at is not None

    # Single use: the same code does not sign in again.
    client.post(reverse("accounts:logout"))
    post_login(client, lawyer.id_number)
    assert client.post(VERIFY_URL, {"token": code}).status_code == 400


def test_sms_code_expires_after_ten_minutes(world, django_capture_on_commit_callbacks):
    device = SmsDevice.objects.create(user=world.lawyer, name="sms")
    with django_capture_on_commit_callbacks(execute=True):
        device.generate_challenge()
    code = last_sms_code(world.lawyer.mobile)
    SmsCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert not device.verify_token(code)


def test_sms_code_allows_at_most_five_tries(world, django_capture_on_commit_callbacks):
    device = SmsDevice.objects.create(user=world.lawyer, name="sms")
    with django_capture_on_commit_callbacks(execute=True):
        device.generate_challenge()
    code = last_sms_code(world.lawyer.mobile)
    for _ in range(5):
        assert not device.verify_token(wrong_code(code))
    allowed, info = device.verify_is_allowed()
    assert not allowed and "重新获取" in info["error_message"]
    assert not device.verify_token(code)


def test_a_new_sms_code_voids_the_previous_one(world, django_capture_on_commit_callbacks):
    device = SmsDevice.objects.create(user=world.lawyer, name="sms")
    with django_capture_on_commit_callbacks(execute=True):
        device.generate_challenge()
    first = last_sms_code(world.lawyer.mobile)
    SmsDevice.objects.filter(pk=device.pk).update(last_generated_timestamp=timezone.now() - timedelta(minutes=2))
    device.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        device.generate_challenge()
    second = last_sms_code(world.lawyer.mobile)
    if first != second:
        assert not device.verify_token(first)
    assert device.verify_token(second)


def test_sms_codes_cannot_be_resent_within_a_minute(client, world, django_capture_on_commit_callbacks):
    lawyer = world.lawyer
    lawyer.two_factor_method = TwoFactorMethod.SMS
    lawyer.save()
    with django_capture_on_commit_callbacks(execute=True):
        post_login(client, lawyer.id_number)
        response = client.post(reverse("accounts:otp_resend"), follow=True)
    assert len([m for m in sms.outbox if m.to == lawyer.mobile]) == 1
    assert "秒后重新获取" in response.content.decode()
    device = SmsDevice.objects.get(user=lawyer)
    with pytest.raises(DomainError) as exc:
        device.generate_challenge()
    assert exc.value.code == "sms_cooldown"


def test_lawyer_switches_sms_on_and_off(client, world, login, django_capture_on_commit_callbacks):
    lawyer = world.lawyer
    login(lawyer, otp=False)
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(TWO_FACTOR_URL, {"action": "sms_send"})
    assert sent.status_code == 200 and sent.context["sms_pending"]
    code = last_sms_code(lawyer.mobile)
    bad = client.post(TWO_FACTOR_URL, {"action": "sms_confirm", "token": wrong_code(code)})
    assert bad.status_code == 400
    lawyer.refresh_from_db()
    assert lawyer.two_factor_method == ""

    ok = client.post(TWO_FACTOR_URL, {"action": "sms_confirm", "token": code})
    assert ok.status_code == 302
    lawyer.refresh_from_db()
    assert lawyer.two_factor_method == TwoFactorMethod.SMS
    # The session counts as verified by the new device: pages stay reachable.
    assert client.get(TWO_FACTOR_URL).status_code == 200
    assert AuditEvent.objects.filter(action="auth.otp_enrol", actor=lawyer, after__two_factor_method="sms").exists()

    wrong = client.post(TWO_FACTOR_URL, {"action": "disable", "password": "Wrong@2026pass"})
    assert wrong.status_code == 400
    lawyer.refresh_from_db()
    assert lawyer.two_factor_method == TwoFactorMethod.SMS

    from conftest import PASSWORD

    off = client.post(TWO_FACTOR_URL, {"action": "disable", "password": PASSWORD})
    assert off.status_code == 302
    lawyer.refresh_from_db()
    assert lawyer.two_factor_method == ""
    assert not SmsDevice.objects.filter(user=lawyer).exists()
    assert AuditEvent.objects.filter(action="auth.2fa_method_change", actor=lawyer, result="ok").exists()
    assert AuditEvent.objects.filter(action="auth.2fa_method_change", actor=lawyer, result="denied").exists()


def test_lawyer_sets_up_an_authenticator_and_then_needs_it(client, world, login):
    lawyer = world.other_lawyer
    login(lawyer, otp=False)
    page = client.get(SETUP_URL)
    assert page.status_code == 200
    device = page.context["device"]
    done = client.post(SETUP_URL, {"device_id": device.pk, "token": totp_code(device)})
    assert done["Location"] == TWO_FACTOR_URL
    lawyer.refresh_from_db()
    assert lawyer.two_factor_method == TwoFactorMethod.TOTP
    client.post(reverse("accounts:logout"))
    assert post_login(client, lawyer.id_number)["Location"] == VERIFY_URL


def test_lawyer_cannot_confirm_another_users_enrolment(client, world, login):
    other = TOTPDevice.objects.create(user=world.other_lawyer, name="enrolment", confirmed=False)
    login(world.lawyer, otp=False)
    response = client.post(SETUP_URL, {"device_id": other.pk, "token": totp_code(other)})
    assert response.status_code == 400
    other.refresh_from_db()
    assert not other.confirmed


def test_staff_cannot_switch_two_factor_off_or_to_sms(client, world, login, django_capture_on_commit_callbacks):
    from conftest import PASSWORD

    login(world.officer)
    page = client.get(TWO_FACTOR_URL)
    assert page.context["mandatory"]
    off = client.post(TWO_FACTOR_URL, {"action": "disable", "password": PASSWORD})
    assert off.status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        to_sms = client.post(TWO_FACTOR_URL, {"action": "sms_send"})
    assert to_sms.status_code == 403
    assert not sms.outbox
    assert TOTPDevice.objects.filter(user=world.officer, confirmed=True).exists()


def test_two_factor_page_rejects_unknown_actions(client, world, login):
    login(world.lawyer)
    assert client.post(TWO_FACTOR_URL, {"action": "nonsense"}).status_code == 400


@pytest.mark.django_db
def test_two_factor_pages_need_sign_in(client):
    for url in (VERIFY_URL, SETUP_URL, TWO_FACTOR_URL):
        assert client.get(url)["Location"].startswith(LOGIN_URL)
    assert client.post(reverse("accounts:otp_resend"))["Location"].startswith(LOGIN_URL)
