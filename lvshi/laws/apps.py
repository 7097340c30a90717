from django.apps import AppConfig


class LawsConfig(AppConfig):
    name = "lvshi.laws"
    label = "laws"
    verbose_name = "法律法规"

    def ready(self):
        from lvshi.site.demo import register_seeder

        from . import demo, nav

        nav.register()
        register_seeder(demo.seed_library)
