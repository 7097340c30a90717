import secrets
from datetime import timedelta

from django.utils import timezone

from lvshi.accounts.models import ApiToken
from lvshi.core import crypto


def _bearer(user) -> dict:
    raw = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=crypto.token_hash(raw), expires_at=timezone.now() + timedelta(hours=1))
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_home_api_gives_the_lawyer_counters(client, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):
        response = client.get("/api/v1/home", **_bearer(world.lawyer))
    assert response.status_code == 200
    data = response.json()
    assert data["name"] == "李律师" and data["is_lawyer"] and data["firms"] == ["上海甲律师事务所"]
    assert {c["key"]: c["count"] for c in data["counters"]} == {
        "bookings_review": 0,
        "bookings_upcoming": 0,
        "bookings_failed": 0,
        "meeting_requests": 0,
        "court_hearings_upcoming": 0,
    }
    assert data["workplaces"] == [] and data["unread_notifications"] == 0


def test_home_api_for_staff_lists_their_organisation(client, world):
    data = client.get("/api/v1/home", **_bearer(world.judge)).json()
    assert not data["is_lawyer"] and data["counters"] == []
    assert data["workplaces"] == [{"org_id": world.court.pk, "org_name": "重庆市第一中级人民法院", "role": "法官"}]


def test_home_api_needs_a_token(client, db):
    response = client.get("/api/v1/home")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
