import pytest


@pytest.fixture
def court(world):
    from .factories import make_court

    return make_court(world.court)


@pytest.fixture(autouse=True)
def _fresh_payment_providers():
    """Each test reads the simulated provider's keys from its own database."""
    from lvshi.courts.payments import registry

    registry.forget()
    yield
    registry.forget()
