"""Loading accounts for a user: outside the user's scope 404, inside it
without the right 403 (``scope.get_or_404``)."""

from __future__ import annotations

from typing import Any

from lvshi.orgs import scope

from . import selectors
from .models import User


def lawyer_for_verification_or_404(user: Any, lawyer_id: int) -> User:
    """A lawyer waiting for licence verification in the clerk's bureau subtree."""
    return scope.get_or_404(user, "accounts.verify_licence", selectors.licence_queue(user), pk=lawyer_id)
