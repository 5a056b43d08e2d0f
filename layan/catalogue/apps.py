from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "layan.catalogue"
    label = "catalogue"
    verbose_name = "Katalog layanan"
