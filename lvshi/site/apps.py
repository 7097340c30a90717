from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "lvshi.site"
    label = "site"
    verbose_name = "站点"

    def ready(self):
        from . import home  # noqa: F401 - registers the shell's navigation and home entries
