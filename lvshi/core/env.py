"""Typed readers for settings that come from the environment.

Each helper fails loudly when a value is present but malformed, so that a
typo in a deployment never silently falls back to a default.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str, default: str | None = None) -> str | None:
    """Read a secret from NAME, or from the file named by NAME_FILE."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE points at {path!r}, which cannot be read") from exc
    return os.environ.get(name, default)


def env_database(name: str, *, sqlite_path: Path) -> dict:
    """Return a Django DATABASES entry from ``DATABASE_URL``.

    Unset → SQLite at *sqlite_path* in WAL mode with immediate transactions
    and a busy timeout, so concurrent writers queue instead of failing, and
    persistent connections (``DB_CONN_MAX_AGE``) as for PostgreSQL: a new
    SQLite connection reads the schema again and runs its PRAGMAs, which
    cost more than a light request itself.
    ``postgres://user:pass@host:port/db`` → PostgreSQL through psycopg 3,
    persistent connections (``DB_CONN_MAX_AGE`` seconds, 60) and prepared
    statements: with server-side binding, a statement a connection has run
    ``DB_PREPARE_THRESHOLD`` times (5) is prepared, so PostgreSQL no longer
    parses and plans it on every request. ``DB_PREPARED_STATEMENTS=0`` goes
    back to Django's default (parameters bound in the client, nothing
    prepared), for a connection pooler in transaction mode that cannot keep
    prepared statements (PgBouncer before 1.21). Query parameters of the URL
    are passed to psycopg as connection options.
    """
    from urllib.parse import parse_qs, unquote, urlparse

    raw = os.environ.get(name, "").strip()
    if raw.startswith("sqlite:///"):
        sqlite_path, raw = Path(unquote(urlparse(raw).path)), ""
    if not raw:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": sqlite_path,
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=30000;"
                ),
            },
            "TEST": {"NAME": str(sqlite_path.with_name("test_" + sqlite_path.name))},
        }
    url = urlparse(raw)
    if url.scheme in {"postgres", "postgresql"}:
        options: dict[str, object] = {k: v[-1] for k, v in parse_qs(url.query).items()}
        if env_bool("DB_PREPARED_STATEMENTS", True):
            threshold = env_int("DB_PREPARE_THRESHOLD", 5)
            if threshold < 0:
                raise ImproperlyConfigured(f"DB_PREPARE_THRESHOLD must be 0 or more, got {threshold}")
            options |= {"server_side_binding": True, "prepare_threshold": threshold}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(url.path.lstrip("/")),
            "USER": unquote(url.username or ""),
            "PASSWORD": unquote(url.password or ""),
            "HOST": url.hostname or "",
            "PORT": str(url.port or ""),
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(f"{name} must be postgres://… or sqlite:///…, got scheme {url.scheme!r}")
