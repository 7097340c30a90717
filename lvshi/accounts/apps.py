from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "lvshi.accounts"
    label = "accounts"
    verbose_name = "账户"
