from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "lvshi.notify"
    label = "notify"
    verbose_name = "通知"

    def ready(self):
        from . import nav

        nav.register()
