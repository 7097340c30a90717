from lvshi.orgs import scope

from .registry import nav


def shell(request):
    """What the base layout needs: the user's roles, the navigation for
    them and the unread notification count (one query, signed-in users only)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from lvshi.notify.selectors import unread_count

    unread = unread_count(user)
    counts = {"unread_notifications": unread}
    return {
        "user_roles": scope.roles_of(user),
        "is_platform_admin": scope.is_platform_admin(user),
        "unread_notifications": unread,
        "nav_items": [
            {"key": e.key, "label": e.label, "url": e.url(), "badge": counts.get(e.badge) if e.badge else None}
            for e in nav.for_user(user)
        ],
    }
