"""Idle time-out of sessions (SessionSecurityMiddleware)."""

import time

from django.contrib.sessions.models import Session
from django.urls import reverse

from lvshi.accounts.middleware import LAST_SEEN_KEY

from .test_signin import LOGIN_URL, post_login, signed_in_user_id

PAGE = reverse("accounts:two_factor")


def age_session(client, seconds):
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - seconds
    session.save()


def test_login_starts_the_idle_timer(client, world):
    post_login(client, world.lawyer.id_number)
    assert abs(client.session[LAST_SEEN_KEY] - time.time()) < 5


def test_session_idle_longer_than_the_timeout_is_ended_on_the_server(client, world, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    post_login(client, world.lawyer.id_number)
    session_key = client.cookies["sessionid"].value
    age_session(client, 31 * 60)
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)
    assert signed_in_user_id(client) is None
    assert not Session.objects.filter(session_key=session_key).exists()
    page = client.get(response["Location"])
    assert "长时间未操作" in page.content.decode()


def test_activity_within_the_timeout_keeps_the_session_and_refreshes_the_timer(client, world, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    post_login(client, world.lawyer.id_number)
    age_session(client, 29 * 60)
    assert client.get(PAGE).status_code == 200
    assert abs(client.session[LAST_SEEN_KEY] - time.time()) < 5
    age_session(client, 29 * 60)
    assert client.get(PAGE).status_code == 200


def test_the_timeout_is_configurable(client, world, settings):
    settings.SESSION_IDLE_TIMEOUT = 5 * 60
    post_login(client, world.lawyer.id_number)
    age_session(client, 6 * 60)
    assert client.get(PAGE).status_code == 302
    assert signed_in_user_id(client) is None


def test_reading_pages_does_not_rewrite_the_timer_every_request(client, world):
    post_login(client, world.lawyer.id_number)
    age_session(client, 10)
    stamp = client.session[LAST_SEEN_KEY]
    client.get(PAGE)
    assert client.session[LAST_SEEN_KEY] == stamp
