from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "lvshi.orgs"
    label = "orgs"
    verbose_name = "机构与角色"
