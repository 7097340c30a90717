from django.apps import AppConfig


class CourtsConfig(AppConfig):
    name = "lvshi.courts"
    label = "courts"
    verbose_name = "法院诉讼服务"
