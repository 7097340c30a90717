from django.apps import AppConfig


class CourtsConfig(AppConfig):
    name = "lvshi.courts"
    label = "courts"
    verbose_name = "法院诉讼服务"

    def ready(self):
        from lvshi.notify.kinds import register_kinds
        from lvshi.site.demo import register_seeder

        from . import (
            audit_actions,
            checks,  # noqa: F401  (check --deploy: the simulated payment provider)
            demo,
            demo_casework,
            feed,  # noqa: F401  (hearings in the schedule and calendar feed)
            nav,
            notifications,
            rules,  # noqa: F401
        )

        register_kinds(notifications.KINDS)
        audit_actions.register()
        nav.register()
        register_seeder(demo.seed_courts)
        register_seeder(demo_casework.seed_casework)
