"""The SOP table as the documents print it (PermenPANRB 35/2012 shape).

One function turns a definition's steps into rows with one mark per actor
column, shared by the HTML page and the PDF so both show the same table.
"""

from dataclasses import dataclass, field

from layan.catalogue.kinds import kind_of
from layan.catalogue.schema import END_LABELS, Duration, ServiceDoc, Step


@dataclass
class SopRow:
    """One printed row: its number, text, which actor columns are marked, mutu baku."""

    number: int
    texts: list[str] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    marks: dict[str, str] = field(default_factory=dict)  # actor key -> "act" | "decision"
    requirement: str = ""
    times: list[Duration] = field(default_factory=list)
    output: str = ""
    notes: list[str] = field(default_factory=list)
    branches: list[str] = field(default_factory=list)
    # (actor label, mark) per actor column, in the definition's actor order.
    columns: list[tuple[str, str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(self.texts)

    @property
    def is_decision(self) -> bool:
        return "decision" in self.marks.values()

    @property
    def time(self) -> str:
        return ", ".join(str(t) for t in self.times)


def _branch_text(numbers: dict[str, int], step: Step) -> list[str]:
    """'Terdaftar: ke no. 3' lines for a decision step."""
    lines = []
    for outcome, target in step.outcomes.items():
        label = kind_of(step.kind).outcome_label(outcome)
        where = END_LABELS.get(target) or f"ke no. {numbers[target]}"
        lines.append(f"{label}: {where}")
    return lines


def step_rows(doc: ServiceDoc) -> dict[str, int]:
    """Each step's printed row number: its `row`, else the previous step's, else its order."""
    numbers: dict[str, int] = {}
    any_rows = any(step.row for step in doc.steps)
    current = 0
    for index, step in enumerate(doc.steps, start=1):
        if step.row:
            current = step.row
        elif not any_rows:
            current = index
        numbers[step.key] = current or 1
    return numbers


def sop_rows(doc: ServiceDoc) -> list[SopRow]:
    """The SOP table rows of a definition, in order."""
    numbers = step_rows(doc)
    rows: dict[int, SopRow] = {}
    for step in doc.steps:
        row = rows.setdefault(numbers[step.key], SopRow(number=numbers[step.key]))
        row.steps.append(step)
        if step.text:
            row.texts.append(step.text)
        decision = len(step.outcomes) > 1
        if row.marks.get(step.actor) != "decision":
            row.marks[step.actor] = "decision" if decision else "act"
        if step.requirement:
            row.requirement = step.requirement
        if step.time:
            row.times.append(step.time)
        if step.output:
            row.output = step.output
        if step.note:
            row.notes.append(step.note)
        if decision:
            row.branches += _branch_text(numbers, step)
        if step.end:
            row.branches.append(END_LABELS[step.end])
    for row in rows.values():
        row.columns = [(actor.label, row.marks.get(key, "")) for key, actor in doc.actors.items()]
        if not row.texts:
            row.texts = [kind_of(s.kind).label for s in row.steps]
    return [rows[n] for n in sorted(rows)]
