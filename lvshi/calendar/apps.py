from django.apps import AppConfig


class CalendarConfig(AppConfig):
    name = "lvshi.calendar"
    label = "calendar"
    verbose_name = "工作日历"

    def ready(self):
        from . import audit_actions, nav, schedule  # noqa: F401  (schedule: the lawyer's own entries as an event source)

        nav.register()
        audit_actions.register()
