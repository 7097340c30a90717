from django.apps import AppConfig


class BureauConfig(AppConfig):
    name = "lvshi.bureau"
    label = "bureau"
    verbose_name = "律师管理"

    def ready(self):
        from lvshi.accounts import licences
        from lvshi.notify.kinds import register_kinds
        from lvshi.site.demo import register_seeder

        from . import audit_actions, demo, nav, notifications, registry_hook, rules  # noqa: F401

        register_kinds(notifications.KINDS)
        audit_actions.register()
        nav.register()
        licences.provide(registry_hook.look_up)
        register_seeder(demo.seed_bureau)
