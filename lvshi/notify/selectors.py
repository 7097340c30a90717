"""Reads of notifications. A user only ever sees their own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from .models import Notification

if TYPE_CHECKING:
    from typing import Any


def unread_count(user: Any) -> int:
    """Unread inbox messages of *user*, in one query (it feeds every page's header)."""
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_for(user: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(user=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")
