from lvshi.orgs import scope


def shell(request):
    """What the base layout needs: the user's roles (for navigation) and the
    unread notification count (one query, only for signed-in users)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from lvshi.notify.selectors import unread_count

    return {
        "user_roles": scope.roles_of(user),
        "is_platform_admin": scope.is_platform_admin(user),
        "unread_notifications": unread_count(user),
    }
