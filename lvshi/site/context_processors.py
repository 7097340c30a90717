from lvshi.orgs import scope

from .registry import nav


def shell(request):
    """What the base layout needs: the user's roles, the navigation for
    them and the unread notification count (one query, signed-in users only)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if getattr(request, "owes_second_factor", False):
        # Signed in with the password only: no menu until the second factor.
        return {"owes_second_factor": True, "nav_items": []}
    from lvshi.notify.selectors import unread_count

    unread = unread_count(user)
    counts = {"unread_notifications": unread}
    items = []
    current_found = False
    for entry in nav.for_user(user):
        url = entry.url()
        # Placeholders may share a URL (e.g. home): only the first is "current".
        current = not current_found and url == request.path
        current_found = current_found or current
        items.append(
            {
                "key": entry.key,
                "label": entry.label,
                "url": url,
                "badge": counts.get(entry.badge) if entry.badge else None,
                "current": current,
            }
        )
    return {
        "user_roles": scope.roles_of(user),
        "is_platform_admin": scope.is_platform_admin(user),
        "unread_notifications": unread,
        "nav_items": items,
    }
