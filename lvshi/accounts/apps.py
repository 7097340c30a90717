from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "lvshi.accounts"
    label = "accounts"
    verbose_name = "账户"

    def ready(self):
        from lvshi.notify.kinds import register_kinds

        from . import (
            audit_actions,
            checks,  # noqa: F401  (registers the deploy checks)
            nav,
            notifications,
        )

        register_kinds(notifications.KINDS)
        nav.register()
        audit_actions.register()
