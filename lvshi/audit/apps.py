from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "lvshi.audit"
    label = "audit"
    verbose_name = "审计"
