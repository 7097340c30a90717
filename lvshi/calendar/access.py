"""Loading calendar objects for a user: outside the user's scope 404."""

from __future__ import annotations

from typing import Any

from lvshi.orgs import scope

from .models import Closure


def closure_or_404(user: Any, pk: int) -> Closure:
    """A closure of an organisation whose closures the user manages."""
    return scope.get_or_404(user, "calendar.manage_closure", Closure.objects.select_related("organisation"), pk=pk)


def own_entry_or_404(user: Any, pk: int):
    """One of the signed-in lawyer's own schedule entries."""
    from django.shortcuts import get_object_or_404

    from .models import ScheduleEntry

    return get_object_or_404(ScheduleEntry, pk=pk, lawyer=user)
