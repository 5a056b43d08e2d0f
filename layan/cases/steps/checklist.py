"""Pemeriksaan kelengkapan: the officer ticks the papers the applicant brought.

'lengkap' needs every required paper; 'tidak lengkap' names what is missing and,
like any return, needs a reason. Where it turns the application down, the
applicant reads the reason and the missing papers on the tracking page.
"""

from typing import Any, Literal

from django.http import QueryDict
from pydantic import Field

from layan.cases.models import Case, StepRecord
from layan.cases.steps.base import Act, CaseError, Ending, Kind, RequirementState, StepEffect
from layan.catalogue.schema import Requirement, ServiceDoc, Step, StepKind

COMPLETE, INCOMPLETE = "lengkap", "tidak_lengkap"


def brought(doc: ServiceDoc) -> list[Requirement]:
    """The papers people bring (a register entry is checked by the system, not ticked)."""
    return [r for r in doc.requirements if not r.registry]


class Checklist(Kind):
    kind = StepKind.CHECKLIST
    label = "Pemeriksaan kelengkapan"
    fixed_outcomes = (COMPLETE, INCOMPLETE)
    outcome_labels = {COMPLETE: "Lengkap", INCOMPLETE: "Tidak lengkap"}
    reason_outcomes = frozenset({INCOMPLETE})
    note_label = "Catatan internal (tidak ditampilkan kepada pemohon)"
    template = "cases/steps/checklist.html"

    def input_fields(self, doc: ServiceDoc, step: Step) -> dict[str, Any]:
        papers = brought(doc)
        keys = tuple(r.key for r in papers)
        item: Any = Literal[keys] if keys else Literal[""]
        labels = "; ".join(f"{r.key} = {r.label}" for r in papers)
        info: Any = Field(
            default=[],
            max_length=len(keys),
            title="Persyaratan yang dibawa",
            description=f"Kunci persyaratan yang ada: {labels}. 'lengkap' perlu semua yang wajib.",
            json_schema_extra={"x-labels": {r.key: r.label for r in papers}},
        )
        return {"checked": (list[item], info)}

    def data_from_post(self, doc: ServiceDoc, step: Step, post: QueryDict) -> dict[str, Any]:
        return {"checked": post.getlist("checked")}

    def perform(self, act: Act) -> StepEffect:
        papers = brought(act.doc)
        checked = list(dict.fromkeys(act.data["checked"]))
        missing = [r for r in papers if not r.optional and r.key not in checked]
        if act.outcome == COMPLETE and missing:
            names = "; ".join(r.label for r in missing)
            raise CaseError(f"Belum lengkap: {names}.", field="data.checked")
        if act.outcome == INCOMPLETE and not missing:
            raise CaseError("Semua persyaratan wajib dicentang; pilih 'Lengkap'.", field="outcome")
        act.case.requirements_checked = checked
        return StepEffect(data={"checked": checked, "missing": [r.key for r in missing]})

    def summary(self, doc: ServiceDoc, record: StepRecord) -> str:
        labels = {r.key: r.label for r in doc.requirements}
        missing = [labels.get(key, key) for key in (record.data or {}).get("missing", [])]
        return f"Belum ada: {'; '.join(missing)}" if missing else "Semua persyaratan wajib ada"

    def ending(self, doc: ServiceDoc, step: Step, data: dict) -> Ending:
        labels = {r.key: r.label for r in doc.requirements}
        return Ending(missing=[labels.get(key, key) for key in data.get("missing", [])])

    def requirement_states(
        self, doc: ServiceDoc, case: Case, records: list[StepRecord]
    ) -> dict[str, RequirementState]:
        checked_once = bool(records)
        states = {}
        for paper in brought(doc):
            if paper.key in case.requirements_checked:
                states[paper.key] = RequirementState("ada", True)
            elif paper.optional and checked_once:
                states[paper.key] = RequirementState("tidak dibawa", None)  # nothing missing
            elif checked_once:
                states[paper.key] = RequirementState("tidak ada", False)
        return states

    def data_initial(self, doc: ServiceDoc, step: Step, case: Case) -> dict[str, Any]:
        # The last round's ticks stand (an untick is the officer's judgement), and a paper
        # with a scan uploaded since is ticked: the scan is new evidence that it was brought.
        last = case.records.filter(step=step.key).order_by("-seq").first()
        scans = case.attachments.all()
        if last is not None:
            scans = scans.filter(uploaded_at__gt=last.finished_at)
        scanned = set(scans.values_list("requirement", flat=True))
        ticked = set(case.requirements_checked) | scanned
        return {"checked": [r.key for r in brought(doc) if r.key in ticked]}

    def form_context(
        self, doc: ServiceDoc, step: Step, case: Case, posted: QueryDict | None, errors: dict
    ) -> dict[str, Any]:
        if posted:
            ticked = posted.getlist("checked")
        else:
            ticked = self.data_initial(doc, step, case)["checked"]
        attached = set(case.attachments.values_list("requirement", flat=True))
        papers = [
            {
                "key": r.key,
                "label": r.label,
                "optional": r.optional,
                "checked": r.key in ticked,
                "attached": r.key in attached,
            }
            for r in brought(doc)
        ]
        return {"requirements": papers}
