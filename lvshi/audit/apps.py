from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save

# The migration that installs the append-only triggers.
GUARDS_MIGRATION = "0002_append_only_and_prune_point"


def _reinstall_guards(sender, using="default", **kwargs):
    """Put the append-only trigger back if it is missing (SQLite drops a
    table's triggers when a migration rebuilds the table)."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    from . import guards

    connection = connections[using]
    applied = MigrationRecorder(connection).applied_migrations()
    if ("audit", GUARDS_MIGRATION) in applied and guards.installed(connection) is False:
        guards.install(connection)


class AuditConfig(AppConfig):
    name = "lvshi.audit"
    label = "audit"
    verbose_name = "审计"

    def ready(self):
        from auditlog.models import LogEntry
        from auditlog.registry import auditlog
        from django.contrib.auth.models import Group

        from lvshi.accounts import signals as auth_signals

        from . import audit_actions, nav, receivers

        nav.register()
        audit_actions.register()
        auth_signals.connect()
        post_save.connect(receivers.on_log_entry_saved, sender=LogEntry, dispatch_uid="lvshi.audit.auditlog")
        post_migrate.connect(_reinstall_guards, sender=self, dispatch_uid="lvshi.audit.guards")
        # Permission groups give admin-site rights; they are edited only in
        # the admin, so auditlog records them and the bridge chains the entries.
        if not auditlog.contains(Group):
            auditlog.register(Group, m2m_fields={"permissions"})
