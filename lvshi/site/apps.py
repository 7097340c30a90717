from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "lvshi.site"
    label = "site"
    verbose_name = "站点"

    def ready(self):
        from . import audit_actions, nav

        nav.register()
        audit_actions.register()
