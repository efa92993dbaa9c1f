from django.apps import AppConfig


class CoproductionConfig(AppConfig):
    name = "coproduction"
