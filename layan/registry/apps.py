from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "layan.registry"
    label = "registry"
    verbose_name = "Register DTKS/DTSEN"
