from django.apps import AppConfig


class NhsukConfig(AppConfig):
    name = "nhsuk"
