"""Small registries that let each app put its entries into the shell
without the shell importing the app: navigation links, home-page counters
and home-page links. Each app registers its own keys from its ``nav.py``
(called from ``AppConfig.ready()``); registering a key again replaces the
entry (tests use this to plug in a counter)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse

from lvshi.orgs import permissions


@dataclass(frozen=True, slots=True)
class Entry:
    key: str
    label: str
    url_name: str
    # The permission that shows the entry (see lvshi.orgs.permissions):
    # usually the one the linked page declares.
    permission: str
    order: int = 100
    badge: str = ""  # nav: name of a count in the template context
    description: str = ""
    count: Callable | None = None  # counters: count(user) -> int
    query: str = ""  # appended to the URL, e.g. "status=approved" to open one tab

    def visible_to(self, user: Any) -> bool:
        return permissions.allowed(user, self.permission)

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
        permission: str = permissions.SIGNED_IN,
        order: int = 100,
        badge: str = "",
        description="",
        count: Callable | None = None,
        query: str = "",
    ) -> Entry:
        entry = Entry(
            key=key,
            label=label,
            url_name=url_name,
            permission=permission,
            order=order,
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
        entries = sorted(self._entries.values(), key=lambda e: (e.order, e.key))
        return [e for e in entries if e.visible_to(user) and e.url() is not None]


nav = Registry()
home_counters = Registry()
home_links = Registry()
# A staff member's to-do list on the home page: each entry counts the work
# waiting (count) and opens the list filtered to it (url_name + query).
home_todos = Registry()
