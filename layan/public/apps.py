from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "layan.public"
    label = "public"
    verbose_name = "Halaman publik"
