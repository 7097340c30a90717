"""Loading audit events for a reader: outside the reader's scope 404."""

from __future__ import annotations

from typing import Any

from lvshi.orgs import scope

from .models import AuditEvent


def event_or_404(user: Any, pk: int) -> AuditEvent:
    """An event of an organisation in the auditor's scope (any, for a platform administrator)."""
    return scope.get_or_404(user, "audit.view_event", AuditEvent.objects.select_related("organisation"), pk=pk)
