"""What the home page shows, per role.

Each app declares its navigation entries, home counters and home links in
its own ``nav.py`` and registers them from its ``AppConfig.ready()``::

    from lvshi.site.registry import home_counters, nav

    def register():
        nav.register("book", label=_("我要预约"), url_name="visits:book", permission="visits.book", order=10)
        home_counters.register("bookings_review", label=_("预约审核中"), ..., count=...)

The shell's own two entries (home, the admin site) are in ``site/nav.py``.
"""

from __future__ import annotations

from lvshi.orgs import scope
from lvshi.orgs.models import Role

from .registry import home_counters, home_links, home_todos, nav


def lawyer_counters(user) -> list[dict]:
    return [
        {"key": e.key, "label": e.label, "url": e.url(), "count": e.count(user) if e.count else 0}
        for e in home_counters.for_user(user)
    ]


def staff_todos(user) -> list[dict]:
    """The to-do list: what waits for *user*'s roles, each with its count
    and the filtered list it opens (one query an entry)."""
    return [
        {"key": e.key, "label": e.label, "url": e.url(), "description": e.description, "count": e.count(user)}
        for e in home_todos.for_user(user)
        if e.count is not None
    ]


def home_context(user) -> dict:
    """Everything the signed-in home page shows for *user*."""
    grants = scope.grants(user)
    roles = {g.role for g in grants}
    is_admin = scope.is_platform_admin(user)
    labels = dict(Role.choices)
    administered = {g.org_id for g in grants if g.role == Role.ORG_ADMIN}
    workplaces = [
        {
            "org_id": g.org_id,
            "org_name": g.org_name,
            "role": labels.get(g.role, g.role),
            "administers": is_admin or g.org_id in administered,
        }
        for g in grants
        if g.role not in {Role.LAWYER}
    ]
    is_lawyer = Role.LAWYER in roles
    return {
        "is_lawyer": is_lawyer,
        "lawyer_orgs": [g.org_name for g in grants if g.role == Role.LAWYER],
        "counters": lawyer_counters(user) if is_lawyer else [],
        "workplaces": workplaces,
        "is_staff_home": bool(workplaces) or is_admin,
        "staff_links": home_links.for_user(user) if (workplaces or is_admin) else [],
        "todos": staff_todos(user) if workplaces else [],
        "book_entry": next((e for e in nav.for_user(user) if e.key == "book"), None),
    }
