"""Who carries out a use case.

Every service takes an :class:`Actor` instead of the HTTP request: the
signed-in user (None for a periodic job, which names itself in ``job``),
the organisation a page acts for when it chose one, and the client's
address for the audit trail. Views and API handlers make it with
:meth:`Actor.of`; tests and commands with ``Actor(user)`` or
:meth:`Actor.system`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import DisallowedHost

if TYPE_CHECKING:
    from django.http import HttpRequest

_REQUEST_USER: Any = object()


@dataclass(frozen=True, slots=True)
class Actor:
    user: Any = None
    ip: str | None = None
    organisation: Any = None
    job: str = ""
    # The site's address as the client used it (``https://host``): for links
    # in messages a use case sends (an activation link).
    origin: str = ""

    @classmethod
    def of(cls, request: HttpRequest | None, *, user: Any = _REQUEST_USER, organisation: Any = None) -> Actor:
        """The request's signed-in user (the API token's, or the session's;
        None when anonymous) and the client's address. *user* names another
        user (a sign-in before the session knows them); a signal sent
        without a request gives an actor without an address."""
        from .middleware import client_ip

        if user is _REQUEST_USER:
            user = getattr(request, "auth", None) or getattr(request, "user", None)
        if user is not None and not getattr(user, "is_authenticated", False):
            user = None
        origin = ""
        if request is not None and hasattr(request, "get_host"):
            try:
                origin = f"{request.scheme}://{request.get_host()}"
            except (DisallowedHost, KeyError):  # a host not allowed, or a bare test request
                origin = ""
        ip = client_ip(request) if request is not None else None
        return cls(user=user, ip=ip, organisation=organisation, origin=origin)

    @classmethod
    def system(cls, job: str) -> Actor:
        """A periodic job (``mark_no_shows``): no user, the job's name."""
        if not job:
            raise ValueError("a system actor names its job")
        return cls(user=None, job=job)

    @property
    def is_system(self) -> bool:
        return self.user is None and bool(self.job)

    def __str__(self) -> str:
        return str(self.user) if self.user is not None else self.job or "anonymous"
