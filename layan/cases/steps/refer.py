"""Rujukan: the case ends by sending the person elsewhere (the village enumerator, the
social services office); the referral is kept and marked fulfilled when a later
register snapshot holds the person (`services.referrals_reconcile`).

The person is told why (the officer's reason, or the register's answer when the
register check did not find them), where to go (`to`) and what to take there
(`bring`: requirement keys, shown by their labels, or the papers' names).
"""

import re
from typing import Any

from layan.cases.models import Case, Referral
from layan.cases.steps.base import Act, Ending, Kind, StepEffect
from layan.cases.steps.registry_check import last_check_evidence, last_check_summary
from layan.catalogue.schema import ServiceDoc, Step, StepKind

# A `bring` item written like a key (lowercase, underscores) must name a requirement;
# a paper that is not one is written as people call it ("KTP", "Surat pengantar RT").
_LOOKS_LIKE_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


def bring_labels(doc: ServiceDoc, step: Step) -> list[str]:
    """What a referred person takes with them, by the labels people know."""
    labels = {r.key: r.label for r in doc.requirements}
    return [labels.get(item, item) for item in step.bring]


class Refer(Kind):
    kind = StepKind.REFER
    label = "Rujukan"
    takes = frozenset({"to", "bring"})
    note_label = "Catatan internal (tidak ditampilkan kepada pemohon)"
    reason_default_hint = (
        "Bila kosong setelah pengecekan register yang tidak menemukan NIK-nya, jawaban register "
        "yang dipakai (mis. 'Tidak terdaftar, data DTKS per September 2026')."
    )

    def definition_problems(self, doc: ServiceDoc, step: Step) -> list[tuple[str, str]]:
        if not step.to:
            return [("to", "rujukan harus menyebut tujuannya (to)")]
        keys = {r.key for r in doc.requirements}
        return [
            (f"bring[{i}]", f"'{item}' bukan kunci persyaratan layanan ini; tulis nama "
                            "dokumennya (mis. 'KTP') bila bukan persyaratan")
            for i, item in enumerate(step.bring)
            if _LOOKS_LIKE_KEY.match(item) and item not in keys
        ]  # fmt: skip

    def button_text(self, step: Step, doc: ServiceDoc | None = None) -> str:
        return f"Rujuk ke {step.to}"

    def default_reason(self, case: Case, doc: ServiceDoc, step: Step, data: dict) -> str:
        # Referred because the register does not hold the person: its answer says why.
        evidence = last_check_evidence(case)
        return last_check_summary(case) if evidence and not evidence.get("found") else ""

    def perform(self, act: Act) -> StepEffect:
        case = act.case
        Referral.objects.create(
            case=case, office=case.office, to=act.step.to, nik=case.subject_or_applicant_nik,
            reason=act.reason,
        )  # fmt: skip
        return StepEffect(data={})

    def ending(self, doc: ServiceDoc, step: Step, data: dict[str, Any]) -> Ending:
        return Ending(to=step.to, bring=bring_labels(doc, step))
