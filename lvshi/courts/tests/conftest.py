from datetime import timedelta

import pytest
from django.utils import timezone

from lvshi.accounts.models import ApiToken
from lvshi.core import crypto


@pytest.fixture
def court(world):
    from .factories import make_court

    return make_court(world.court)


@pytest.fixture
def api(client):
    """``api(user)`` → headers for the JSON API as *user* (a fresh token)."""
    made: dict = {}

    def headers(user) -> dict:
        if user.pk not in made:
            raw = f"t{user.pk}-{len(made)}"
            ApiToken.objects.create(
                user=user, key_hash=crypto.token_hash(raw), expires_at=timezone.now() + timedelta(hours=1)
            )
            made[user.pk] = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
        return made[user.pk]

    return headers


@pytest.fixture(autouse=True)
def _fresh_payment_providers():
    """Each test reads the simulated provider's keys from its own database."""
    from lvshi.courts.payments import registry

    registry.forget()
    yield
    registry.forget()
