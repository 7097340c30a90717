"""Reads of notifications. A user only ever sees their own."""

from django.db.models import QuerySet

from .models import Notification


def unread_count(user) -> int:
    """Unread inbox messages of *user*, in one query (it feeds every page's header)."""
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_for(user, *, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(user=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")
