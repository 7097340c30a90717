import secrets
from datetime import timedelta

import pytest
from django.utils import timezone

from lvshi.accounts.models import ApiToken
from lvshi.core.crypto import token_hash
from lvshi.notify.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    raw = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=token_hash(raw), expires_at=timezone.now() + timedelta(hours=1))
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_list_needs_a_token(client):
    response = client.get("/api/v1/notifications")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_list_returns_only_mine(client, world):
    NotificationFactory(user=world.lawyer, title="我的")
    NotificationFactory(user=world.lawyer, title="已读", read_at=timezone.now())
    NotificationFactory(user=world.other_lawyer, title="别人的")
    data = client.get("/api/v1/notifications", **bearer(world.lawyer)).json()
    assert data["count"] == 2
    assert data["unread"] == 1
    assert {i["title"] for i in data["items"]} == {"我的", "已读"}


def test_list_pages_and_filters(client, world):
    for i in range(5):
        NotificationFactory(user=world.lawyer, title=f"n{i}")
    auth = bearer(world.lawyer)
    data = client.get("/api/v1/notifications", {"limit": 2, "offset": 4}, **auth).json()
    assert data["count"] == 5 and len(data["items"]) == 1
    assert client.get("/api/v1/notifications", {"limit": 0}, **auth).status_code == 422
    assert client.get("/api/v1/notifications", {"limit": 1000}, **auth).status_code == 422
    unread = client.get("/api/v1/notifications", {"unread": "true"}, **auth).json()
    assert unread["count"] == 5


def test_mark_read(client, world):
    n = NotificationFactory(user=world.lawyer)
    response = client.post(f"/api/v1/notifications/{n.pk}/read", **bearer(world.lawyer))
    assert response.status_code == 200
    assert response.json()["read_at"] is not None
    n.refresh_from_db()
    assert n.read_at is not None


def test_mark_read_of_someone_elses_is_404(client, world):
    theirs = NotificationFactory(user=world.other_lawyer)
    response = client.post(f"/api/v1/notifications/{theirs.pk}/read", **bearer(world.lawyer))
    assert response.status_code == 404
    assert response.json()["code"] == "notification_not_found"
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_read_needs_a_token(client, world):
    n = NotificationFactory(user=world.lawyer)
    assert client.post(f"/api/v1/notifications/{n.pk}/read").status_code == 401


def test_read_all(client, world):
    NotificationFactory(user=world.lawyer)
    NotificationFactory(user=world.lawyer)
    theirs = NotificationFactory(user=world.other_lawyer)
    response = client.post("/api/v1/notifications/read-all", **bearer(world.lawyer))
    assert response.json() == {"marked": 2}
    theirs.refresh_from_db()
    assert theirs.read_at is None
