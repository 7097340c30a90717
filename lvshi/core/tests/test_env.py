"""The database settings read from ``DATABASE_URL`` and the ``DB_*`` variables."""

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from lvshi.core.env import env_database

SQLITE = Path("/tmp/lvshi-env-test.sqlite3")
URL = "postgres://app:s%40cret@db.example:6432/lvshi?sslmode=require"


@pytest.fixture
def env(monkeypatch):
    for name in ("DATABASE_URL", "DB_CONN_MAX_AGE", "DB_PREPARED_STATEMENTS", "DB_PREPARE_THRESHOLD"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_without_a_url_sqlite_queues_writers(env):
    db = env_database("DATABASE_URL", sqlite_path=SQLITE)
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == SQLITE
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
    assert db["CONN_MAX_AGE"] == 60


def test_connections_are_kept_as_long_as_configured(env):
    env.setenv("DB_CONN_MAX_AGE", "0")
    assert env_database("DATABASE_URL", sqlite_path=SQLITE)["CONN_MAX_AGE"] == 0
    env.setenv("DATABASE_URL", URL)
    assert env_database("DATABASE_URL", sqlite_path=SQLITE)["CONN_MAX_AGE"] == 0


def test_postgres_prepares_repeated_statements_by_default(env):
    env.setenv("DATABASE_URL", URL)
    db = env_database("DATABASE_URL", sqlite_path=SQLITE)
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "lvshi",
        "app",
        "s@cret",
        "db.example",
        "6432",
    )
    assert db["CONN_MAX_AGE"] == 60
    assert db["OPTIONS"] == {"sslmode": "require", "server_side_binding": True, "prepare_threshold": 5}


def test_the_prepare_threshold_is_configurable(env):
    env.setenv("DATABASE_URL", URL)
    env.setenv("DB_PREPARE_THRESHOLD", "0")
    assert env_database("DATABASE_URL", sqlite_path=SQLITE)["OPTIONS"]["prepare_threshold"] == 0


def test_prepared_statements_can_be_turned_off_for_a_transaction_pooler(env):
    env.setenv("DATABASE_URL", URL)
    env.setenv("DB_PREPARED_STATEMENTS", "0")
    assert env_database("DATABASE_URL", sqlite_path=SQLITE)["OPTIONS"] == {"sslmode": "require"}


@pytest.mark.parametrize(
    ("name", "value"),
    [("DB_PREPARE_THRESHOLD", "-1"), ("DB_PREPARE_THRESHOLD", "five"), ("DB_PREPARED_STATEMENTS", "perhaps")],
)
def test_a_malformed_setting_fails_loudly(env, name, value):
    env.setenv("DATABASE_URL", URL)
    env.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=name):
        env_database("DATABASE_URL", sqlite_path=SQLITE)


def test_the_running_postgres_connection_prepares_what_it_repeats(db):
    """On PostgreSQL the suite itself runs with these options: a statement
    run more often than the threshold is prepared on the server."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no server to prepare statements on")
    threshold = connection.settings_dict["OPTIONS"].get("prepare_threshold")
    if threshold is None:
        pytest.skip("prepared statements are turned off (DB_PREPARED_STATEMENTS=0)")
    with connection.cursor() as cursor:
        for _ in range(threshold + 2):
            cursor.execute("SELECT %s::int + 1 AS lvshi_prepared_probe", [41])
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["%lvshi_prepared_probe%"]
        )
        assert cursor.fetchone()[0] == 1
