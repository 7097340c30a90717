"""Small registries that let each app put its entries into the shell
without the shell importing the app: navigation links, home-page counters
and home-page links. Each app registers its own keys from its ``nav.py``
(called from ``AppConfig.ready()``); registering a key again replaces the
entry (tests use this to plug in a counter)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from lvshi.orgs import scope


@dataclass(frozen=True, slots=True)
class Entry:
    key: str
    label: str
    url_name: str
    roles: frozenset[str] | None  # None: every signed-in user
    order: int = 100
    platform_admin: bool = False  # also (or only, with roles=frozenset()) for platform admins
    badge: str = ""  # nav: name of a count in the template context
    description: str = ""
    count: Callable | None = None  # counters: count(user) -> int
    query: str = ""  # appended to the URL, e.g. "status=approved" to open one tab

    def visible_to(self, user, roles: set[str], is_admin: bool) -> bool:
        if self.roles is None:
            return True
        return bool(roles & self.roles) or (self.platform_admin and is_admin)

    def url(self) -> str | None:
        try:
            url = reverse(self.url_name)
        except NoReverseMatch:
            return None
        return f"{url}?{self.query}" if self.query else url


class Registry:
    def __init__(self):
        self._entries: dict[str, Entry] = {}

    def register(
        self,
        key: str,
        *,
        label,
        url_name: str,
        roles: Iterable[str] | None = None,
        order: int = 100,
        platform_admin: bool = False,
        badge: str = "",
        description="",
        count: Callable | None = None,
        query: str = "",
    ) -> Entry:
        entry = Entry(
            key=key,
            label=label,
            url_name=url_name,
            roles=None if roles is None else frozenset(roles),
            order=order,
            platform_admin=platform_admin,
            badge=badge,
            description=description,
            count=count,
            query=query,
        )
        self._entries[key] = entry
        return entry

    def unregister(self, key: str) -> None:
        self._entries.pop(key, None)

    def for_user(self, user) -> list[Entry]:
        """Entries the user may see whose URL exists, in order."""
        if user is None or not user.is_authenticated:
            return []
        roles, is_admin = scope.roles_of(user), scope.is_platform_admin(user)
        entries = sorted(self._entries.values(), key=lambda e: (e.order, e.key))
        return [e for e in entries if e.visible_to(user, roles, is_admin) and e.url() is not None]


nav = Registry()
home_counters = Registry()
home_links = Registry()
