from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "layan.cases"
    label = "cases"
    verbose_name = "Permohonan"

    def ready(self) -> None:
        from layan.cases import signals  # noqa: F401  (connects the referral loop)
        from layan.cases.steps import CASE_KINDS, kinds_register

        kinds_register(*CASE_KINDS)
