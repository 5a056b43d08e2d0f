from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "layan.letters"
    label = "letters"
    verbose_name = "Surat"

    def ready(self) -> None:
        from layan.letters import hooks

        hooks.connect()
