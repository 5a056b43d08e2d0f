from django.apps import AppConfig


class OfficesConfig(AppConfig):
    name = "layan.offices"
    label = "offices"
    verbose_name = "Kantor"
