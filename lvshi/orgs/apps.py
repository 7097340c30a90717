from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "lvshi.orgs"
    label = "orgs"
    verbose_name = "机构与角色"

    def ready(self):
        from lvshi.notify.kinds import register_kinds

        from . import audit_actions, nav, notifications

        register_kinds(notifications.KINDS)
        nav.register()
        audit_actions.register()
