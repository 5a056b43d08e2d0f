from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data set; it sits on top of every other app and nothing imports it."""

    name = "layan.demo"
    label = "demo"
    verbose_name = "Demo"
