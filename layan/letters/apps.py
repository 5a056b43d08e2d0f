from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "layan.letters"
    label = "letters"
    verbose_name = "Surat"

    def ready(self) -> None:
        from layan.cases.views import case_panel_register
        from layan.letters import hooks
        from layan.letters.views import case_letter_panel

        hooks.connect()
        case_panel_register(case_letter_panel)
