"""The access rule of a URL, for the access sweep (``tests/test_access.py``).

An area may keep its own table next to its code: a module
``lvshi/<app>/tests/access_<area>.py`` that defines ``PAGES`` and/or ``API``
dicts of :class:`Access`; the sweep adds them to its own (a name in two
tables is an error).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

PUBLIC, LOGIN, API_TOKEN = "public", "login", "api-token"

# world (conftest.World) → URL arguments or a request body
Kwargs = Callable[[Any], dict]


@dataclass(frozen=True)
class Access:
    rule: str
    method: str = "get"
    # Object URLs: who tries, the URL (path) arguments of an object in their
    # scope, and of an object of another scope.
    persona: str | None = None
    mine: Kwargs | None = None
    theirs: Kwargs | None = None
    # Request body for signed-in requests (API operations validate it first; a form page posts it).
    body: Kwargs | None = None
    # Personas whose role never allows this URL: they get 403 or 404.
    denied: tuple[str, ...] = field(default=())

    def __post_init__(self):
        assert self.rule in (PUBLIC, LOGIN, API_TOKEN), f"unknown rule {self.rule!r}"
        if self.theirs or self.mine:
            # The 404 for another scope proves nothing unless the same URL works in scope.
            assert self.persona and self.mine and self.theirs, "object URLs need persona, mine and theirs"
