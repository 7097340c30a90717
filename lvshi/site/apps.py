from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "lvshi.site"
    label = "site"
    verbose_name = "站点"

    def ready(self):
        from . import nav

        nav.register()
