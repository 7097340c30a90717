"""The request type of pages behind a sign-in."""

from __future__ import annotations

from lvshi.core.http import HtmxHttpRequest

from .models import User


class SignedInRequest(HtmxHttpRequest):
    """A request of a page whose permission is not ``PUBLIC``: the
    permission decorator has sent anonymous visitors to the login page, so
    ``request.user`` is an account."""

    user: User
