"""Pengecekan DTKS/DTSEN: the system looks the person's NIK up in the office's register.

The officer only starts it; the outcome (terdaftar / tidak terdaftar) and its
evidence (which snapshot said so) come from the lookup, which is logged like
any other.
"""

from typing import Any

from layan.cases.models import Case, StepRecord
from layan.cases.steps.base import Kind, RequirementState
from layan.catalogue.schema import ServiceDoc, Step, StepKind
from layan.catalogue.selectors import version_doc
from layan.registry.models import Source, period_label
from layan.registry.services import registry_lookup

FOUND, NOT_FOUND = "terdaftar", "tidak_terdaftar"


def register_data_label(source: str | None, period: str | None) -> str:
    """'data DTKS per September 2026' from a lookup's evidence."""
    if not source or not period:
        return "belum ada data register untuk kantor ini"
    return f"data {Source(source).label} per {period_label(period)}"


class RegistryCheck(Kind):
    kind = StepKind.REGISTRY_CHECK
    label = "Pengecekan DTKS/DTSEN"
    fixed_outcomes = (FOUND, NOT_FOUND)
    outcome_labels = {FOUND: "Terdaftar", NOT_FOUND: "Tidak terdaftar"}
    button_label = "Periksa DTKS/DTSEN"
    system_decided = True
    template = "cases/steps/registry_check.html"

    def decide(self, case: Case, user: Any) -> tuple[str, dict[str, Any]]:
        result = registry_lookup(
            office=case.office, user=user, nik=case.subject_or_applicant_nik,
            case_ref=case.tracking_code,
        )  # fmt: skip
        snapshot = result.snapshot
        evidence = {
            "nik": case.subject_or_applicant_nik,
            "found": result.found,
            "snapshot": snapshot.pk if snapshot else None,
            "source": snapshot.source if snapshot else None,
            "period": snapshot.period if snapshot else None,
            "message": result.message,
        }
        return (FOUND if result.found else NOT_FOUND), evidence

    def summary(self, doc: ServiceDoc, record: StepRecord) -> str:
        return self._answer(record.data or {})

    def default_reason(self, case: Case, doc: ServiceDoc, step: Step, data: dict) -> str:
        # The system turned the person away: the register's answer is the reason.
        return self._answer(data)

    def _answer(self, evidence: dict[str, Any]) -> str:
        found = self.outcome_labels[FOUND if evidence.get("found") else NOT_FOUND]
        return f"{found}, {register_data_label(evidence.get('source'), evidence.get('period'))}"

    def requirement_states(
        self, doc: ServiceDoc, case: Case, records: list[StepRecord]
    ) -> dict[str, RequirementState]:
        last = records[-1] if records else None
        status = f"diperiksa sistem: {self.summary(doc, last)}" if last else "diperiksa sistem"
        present = bool(last.data.get("found")) if last else None
        return {r.key: RequirementState(status, present) for r in doc.requirements if r.registry}


def _last_check(case: Case) -> StepRecord | None:
    return case.records.filter(kind=StepKind.REGISTRY_CHECK).order_by("-seq").first()


def last_check_evidence(case: Case) -> dict[str, Any]:
    """What the case's latest register check found (found, source, period…), or {}."""
    record = _last_check(case)
    return record.data if record else {}


def last_check_summary(case: Case) -> str:
    """The register's answer of the case's latest check ('' if none): a referral's reason."""
    record = _last_check(case)
    return RegistryCheck().summary(version_doc(case.version), record) if record else ""
