"""Rujukan: the case ends by sending the person elsewhere (the village enumerator, the
social services office); the referral is kept and marked fulfilled when a later
register snapshot holds the person (`services.referrals_reconcile`)."""

from layan.cases.models import Referral
from layan.cases.steps.base import Act, Kind, StepEffect
from layan.catalogue.schema import ServiceDoc, Step, StepKind


class Refer(Kind):
    kind = StepKind.REFER
    label = "Rujukan"
    takes = frozenset({"to"})
    note_label = "Alasan rujukan"

    def definition_problems(self, doc: ServiceDoc, step: Step) -> list[tuple[str, str]]:
        return [] if step.to else [("to", "rujukan harus menyebut tujuannya (to)")]

    def button_text(self, step: Step, doc: ServiceDoc | None = None) -> str:
        return f"Rujuk ke {step.to}"

    def perform(self, act: Act) -> StepEffect:
        case = act.case
        Referral.objects.create(
            case=case, office=case.office, to=act.step.to, nik=case.subject_or_applicant_nik,
            reason=act.note.strip(),
        )  # fmt: skip
        return StepEffect(data={})
