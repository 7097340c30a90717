"""A fixed-window request counter per client address, in the cache (Redis
in production, so every worker counts together): enough to make scraping a
public lookup slow without getting in the way of a person."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from .middleware import client_ip


def allow(request: HttpRequest, scope: str, *, limit: int | None = None, window: int = 60) -> bool:
    """Count this request of *scope* from its client; False once more than
    *limit* (default ``settings.PUBLIC_LOOKUP_PER_MINUTE``) came within the window."""
    limit = settings.PUBLIC_LOOKUP_PER_MINUTE if limit is None else limit
    key = f"rate:{scope}:{client_ip(request) or '-'}:{int(time.time() // window)}"
    if cache.add(key, 1, timeout=window + 1):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    return count <= limit
