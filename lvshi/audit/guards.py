"""Database triggers that keep the audit table append-only.

PostgreSQL: a row trigger refuses every UPDATE, and every DELETE unless the
transaction has set ``lvshi.audit_prune = 'on'`` (only ``audit_prune`` does,
with ``SET LOCAL``, so it ends with the transaction).

SQLite: a trigger refuses every UPDATE. DELETE is left to the model guards
and to ``audit_verify`` (which reports a deleted event as a missing sequence
number), because Django empties SQLite tables with DELETE between tests.
SQLite drops a table's triggers when a migration rebuilds the table, so they
are installed again after every ``migrate`` (see ``apps.py``).

Row triggers do not see TRUNCATE (Django's test runner empties PostgreSQL
tables with it): in production the application's database role should not
own the table and should hold only SELECT and INSERT on it (plus DELETE for
the role that runs ``audit_prune``).
"""

TABLE = "audit_auditevent"
PRUNE_SETTING = "lvshi.audit_prune"
PG_TRIGGER = "audit_append_only"
SQLITE_TRIGGER = "audit_append_only_update"

_PG_INSTALL = f"""
CREATE OR REPLACE FUNCTION lvshi_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND coalesce(current_setting('{PRUNE_SETTING}', true), '') = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP
        USING HINT = 'Only the audit_prune command may delete expired events.';
END
$$;
DROP TRIGGER IF EXISTS {PG_TRIGGER} ON {TABLE};
CREATE TRIGGER {PG_TRIGGER} BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION lvshi_audit_append_only();
"""

_PG_REMOVE = f"""
DROP TRIGGER IF EXISTS {PG_TRIGGER} ON {TABLE};
DROP FUNCTION IF EXISTS lvshi_audit_append_only();
"""

_SQLITE_INSTALL = f"""
CREATE TRIGGER IF NOT EXISTS {SQLITE_TRIGGER} BEFORE UPDATE ON {TABLE}
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused');
END;
"""

_SQLITE_REMOVE = f"DROP TRIGGER IF EXISTS {SQLITE_TRIGGER};"


def install(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_PG_INSTALL)
        elif connection.vendor == "sqlite":
            cursor.execute(_SQLITE_INSTALL)


def remove(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_PG_REMOVE)
        elif connection.vendor == "sqlite":
            cursor.execute(_SQLITE_REMOVE)


def installed(connection) -> bool | None:
    """True when the trigger is in place and enabled; None on databases that
    have no trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT 1 FROM pg_trigger WHERE tgname = %s AND tgrelid = %s::regclass AND tgenabled <> 'D'",
                [PG_TRIGGER, TABLE],
            )
            return cursor.fetchone() is not None
        if connection.vendor == "sqlite":
            cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = %s", [SQLITE_TRIGGER])
            return cursor.fetchone() is not None
    return None


def allow_prune(connection) -> None:
    """Let this transaction delete expired events (PostgreSQL)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL {PRUNE_SETTING} = 'on'")


def end_prune(connection) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL {PRUNE_SETTING} = 'off'")
