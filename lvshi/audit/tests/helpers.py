"""Test helpers: writing events quickly, and tampering with stored events the
way someone with database access would (past the model and trigger guards)."""

from contextlib import contextmanager

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from lvshi.audit import guards


@contextmanager
def guards_off():
    """Switch the append-only trigger off, as a database owner could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {guards.TABLE} DISABLE TRIGGER {guards.PG_TRIGGER}")
        else:
            cursor.execute(f"DROP TRIGGER IF EXISTS {guards.SQLITE_TRIGGER}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE {guards.TABLE} ENABLE TRIGGER {guards.PG_TRIGGER}")
        guards.install(connection)


def raw_sql(sql: str, params=()):
    with guards_off(), connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.rowcount


def run_verify() -> tuple[int, str, str]:
    """Run audit_verify as the command line would: (exit status, out, err)."""
    import io

    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit_verify", stdout=out, stderr=err)
    except CommandError as exc:
        err.write(str(exc))
        return exc.returncode, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()
