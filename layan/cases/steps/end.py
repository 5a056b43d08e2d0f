"""Selesai: a step that only closes the case in its end state."""

from layan.cases.steps.base import Kind
from layan.catalogue.schema import ServiceDoc, Step, StepKind


class End(Kind):
    kind = StepKind.END
    label = "Selesai"
    button_label = "Selesaikan"

    def definition_problems(self, doc: ServiceDoc, step: Step) -> list[tuple[str, str]]:
        if not step.end:
            return [("end", "langkah akhir harus menyebut status akhir (selesai/ditolak/dirujuk)")]
        return []
