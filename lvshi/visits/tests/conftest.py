from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Clock:
    """Sets the server clock (in UTC, as in production) for the services."""

    def __init__(self, monkeypatch):
        self._monkeypatch = monkeypatch
        self.now = None

    def set_local(self, *args) -> datetime:
        """Set the clock to a wall-clock time in Asia/Shanghai; returns it in UTC."""
        self.now = datetime(*args, tzinfo=SHANGHAI).astimezone(ZoneInfo("UTC"))
        self._monkeypatch.setattr(timezone, "now", lambda: self.now)
        return self.now


@pytest.fixture
def clock(monkeypatch):
    c = Clock(monkeypatch)
    # Monday 28 September 2026, 10:00 in Shanghai: the National Day holiday
    # (1–7 October, make-up working day Saturday 10 October) lies ahead.
    c.set_local(2026, 9, 28, 10, 0)
    return c


@pytest.fixture
def centre(world):
    from .factories import make_centre

    return make_centre(world.centre, rooms=2, earliest_days=1, latest_days=14)


@pytest.fixture
def detainee(world, centre):
    from .factories import bind, make_detainee

    d = make_detainee(world.centre)
    bind(world.lawyer, d)
    return d
