from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "lvshi.visits"
    label = "visits"
    verbose_name = "律师会见预约"

    def ready(self):
        from lvshi.notify.kinds import register_kinds
        from lvshi.site.demo import register_seeder

        from . import (
            audit_actions,
            demo,
            feed,  # noqa: F401  (the meetings' source of the calendar feed)
            nav,
            notifications,
            rules,  # noqa: F401
        )

        register_kinds(notifications.KINDS)
        nav.register()
        audit_actions.register()
        register_seeder(demo.seed_meetings)
