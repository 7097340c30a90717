from django.apps import AppConfig


class LawsConfig(AppConfig):
    name = "lvshi.laws"
    label = "laws"
    verbose_name = "法律法规"
