"""Loading organisation objects for a user: one function per object and
purpose, shared by pages and the API. Outside the user's scope 404; inside
it without the right 403 (``scope.get_or_404``)."""

from __future__ import annotations

from typing import Any

from . import scope
from .models import Membership, Organisation


def organisation_or_404(user: Any, action: str, pk: int) -> Organisation:
    """An organisation the user may do *action* on; one they only see is 403."""
    qs = Organisation.objects.select_related("parent")
    return scope.get_or_404(user, action, qs, read_action="orgs.view_organisation", pk=pk)


def membership_or_404(user: Any, pk: int) -> Membership:
    """A membership the user manages; one of an organisation they only see is 403."""
    qs = Membership.objects.select_related("organisation", "user")
    return scope.get_or_404(user, "orgs.manage_members", qs, read_action="orgs.view_organisation", pk=pk)
