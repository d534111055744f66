from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "preceptor.accounts"
    label = "accounts"
    verbose_name = "Accounts"
