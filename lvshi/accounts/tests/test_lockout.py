"""Lock-out after repeated failures (django-axes): per account and per client
address, separately; forged X-Forwarded-For; captcha failures; reset."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

from lvshi.audit.models import AuditEvent
from tests.factories import UserFactory, make_id_number

from .test_signin import new_captcha, post_login, signed_in_user_id

WRONG = "Wrong@2026pass"


def fail(client, username, times, *, ip="10.2.0.1", **headers):
    for _ in range(times):
        response = post_login(client, username, WRONG, ip=ip, **headers)
    return response


def assert_locked(response, *, minutes_left=30):
    assert response.status_code == 429
    body = response.content.decode()
    assert "登录失败次数过多" in body
    # The message says when to retry.
    until = timezone.localtime(timezone.now() + timedelta(minutes=minutes_left))
    assert until.strftime("%H:%M") in body or (until - timedelta(minutes=1)).strftime("%H:%M") in body


def test_five_wrong_passwords_lock_the_account_even_from_different_addresses(client, world):
    for n in range(5):
        response = post_login(client, world.lawyer.id_number, WRONG, ip=f"10.3.0.{n + 1}")
    assert_locked(response)
    # The right password, from yet another address, is refused until the lock ends.
    response = post_login(client, world.lawyer.id_number, ip="10.3.0.99")
    assert_locked(response)
    assert signed_in_user_id(client) is None
    assert AuditEvent.objects.filter(action="auth.locked_out").exists()
    # Another account from the same address is not affected.
    response = post_login(client, world.other_lawyer.id_number, ip="10.3.0.99")
    assert response.status_code == 302


def test_four_failures_do_not_lock(client, world):
    fail(client, world.lawyer.id_number, 4)
    assert post_login(client, world.lawyer.id_number).status_code == 302


def test_id_number_and_licence_number_share_one_counter(client, world):
    fail(client, world.lawyer.id_number, 3, ip="10.4.0.1")
    response = fail(client, world.lawyer.licence_no, 2, ip="10.4.0.2")
    assert_locked(response)
    assert_locked(post_login(client, world.lawyer.id_number.lower(), ip="10.4.0.3"))


def test_five_failures_from_one_address_against_different_accounts_lock_the_address(client, world):
    for n in range(5):
        response = post_login(client, make_id_number(region="110101"), WRONG, ip="10.5.0.1")
    assert_locked(response)
    # Even a right password from that address is refused...
    assert_locked(post_login(client, world.lawyer.id_number, ip="10.5.0.1"))
    # ...while the account itself is not locked elsewhere.
    assert post_login(client, world.lawyer.id_number, ip="10.5.0.2").status_code == 302


def test_forged_forwarded_for_does_not_evade_the_address_lock(client, world, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(5):
        response = post_login(
            client, make_id_number(region="120101"), WRONG, ip="10.6.0.1", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}"
        )
    assert_locked(response)
    response = post_login(client, world.lawyer.id_number, ip="10.6.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert_locked(response)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"10.6.0.1"}


def test_forged_forwarded_for_does_not_reset_the_account_lock(client, world, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(5):
        post_login(client, world.lawyer.id_number, WRONG, ip="10.7.0.1", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert_locked(post_login(client, world.lawyer.id_number, ip="10.7.0.2", HTTP_X_FORWARDED_FOR="192.0.2.1"))


def test_behind_one_trusted_proxy_the_address_the_proxy_appended_counts(client, world, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.8.0.1"
    # The client forges the first entry; the proxy appends the real address.
    for n in range(5):
        response = post_login(
            client,
            make_id_number(region="130101"),
            WRONG,
            ip=proxy,
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, 198.51.100.20",
        )
    assert_locked(response)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.20"}
    # Another real client behind the same proxy is not locked.
    response = post_login(client, world.lawyer.id_number, ip=proxy, HTTP_X_FORWARDED_FOR="198.51.100.21")
    assert response.status_code == 302


def test_captcha_failures_do_not_count_as_password_failures(client, world):
    for _ in range(8):
        key, answer = new_captcha()
        response = post_login(client, world.lawyer.id_number, ip="10.9.0.1", captcha=(key, answer + "x"))
        assert response.status_code == 400
    assert not AccessAttempt.objects.exists()
    assert post_login(client, world.lawyer.id_number, ip="10.9.0.1").status_code == 302


def test_success_resets_the_account_counter(client, world):
    fail(client, world.lawyer.id_number, 4, ip="10.10.0.1")
    assert post_login(client, world.lawyer.id_number, ip="10.10.0.2").status_code == 302
    client.logout()
    response = fail(client, world.lawyer.id_number, 4, ip="10.10.0.3")
    assert response.status_code == 400
    assert post_login(client, world.lawyer.id_number, ip="10.10.0.4").status_code == 302


def test_success_does_not_clear_the_address_counter_for_other_accounts(client, world):
    """A guesser cannot clear its address's record by signing in to its own account."""
    for _ in range(4):
        post_login(client, make_id_number(region="140101"), WRONG, ip="10.11.0.1")
    assert post_login(client, world.lawyer.id_number, ip="10.11.0.1").status_code == 302
    client.logout()
    assert_locked(post_login(client, make_id_number(region="140101"), WRONG, ip="10.11.0.1"))


def test_the_lock_ends_after_the_cool_off(client, world):
    fail(client, world.lawyer.id_number, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    assert post_login(client, world.lawyer.id_number).status_code == 302


def test_attempts_during_the_lock_do_not_extend_it(client, world):
    fail(client, world.lawyer.id_number, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=20))
    assert_locked(post_login(client, world.lawyer.id_number, WRONG, ip="10.12.0.9"), minutes_left=10)
    # The later attempt was not recorded, so the lock still ends 30 minutes after the fifth failure.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    assert post_login(client, world.lawyer.id_number, ip="10.12.0.10").status_code == 302


@pytest.mark.django_db
def test_unknown_accounts_lock_like_known_ones(client):
    name = make_id_number(region="150101")
    assert_locked(fail(client, name, 5, ip="10.13.0.1"))
    assert_locked(post_login(client, name, WRONG, ip="10.13.0.2"))


def test_lock_counts_by_user_not_by_spelling(client, world):
    id_number = make_id_number()
    while not id_number.endswith("X"):
        id_number = make_id_number()
    UserFactory(id_number=id_number)
    fail(client, id_number.lower(), 3, ip="10.14.0.1")
    assert_locked(fail(client, id_number, 2, ip="10.14.0.2"))
