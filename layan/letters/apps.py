from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "layan.letters"
    label = "letters"
    verbose_name = "Surat"

    def ready(self) -> None:
        from layan.cases.steps import kinds_register
        from layan.cases.views import case_panel_register
        from layan.letters.steps import LETTER_KINDS
        from layan.letters.views import case_letter_panel

        kinds_register(*LETTER_KINDS)
        case_panel_register(case_letter_panel)
