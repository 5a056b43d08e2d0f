"""What the catalogue asks a step kind: its name, its outcomes' names, the rules of its fields.

The kinds themselves live with the apps that run them (`layan/cases/steps/`, and
the letters app's `layan/letters/steps.py`); they register here when their app
loads, so the definition checks and the SOP table ask the kind without this
app importing a higher one.
"""

from typing import Any, Protocol

from layan.catalogue.schema import Problem, ServiceDoc, Step, StepKind

# Fields of a step that only some kinds read; each kind names the ones it takes.
KIND_FIELDS = ("to", "bring", "letter", "paraf", "fields", "route")


class KindRules(Protocol):
    """The part of a step kind that the service definitions and the SOP table need."""

    kind: StepKind
    label: str
    # Which of KIND_FIELDS this kind reads; setting another one is a mistake in the file.
    takes: frozenset[str]

    def outcome_label(self, outcome: str) -> str: ...

    def choosable(self, step: Step) -> list[str]:
        """The outcomes an officer chooses from; none where the system decides."""
        ...

    def needs_reason(self, outcome: str) -> bool: ...

    def reason_needed(self, step: Step, outcome: str) -> bool:
        """The kind's own returns, and every outcome that ends the case as ditolak/dirujuk."""
        ...

    def input_schema(self, doc: ServiceDoc, step: Step) -> dict[str, Any]:
        """The JSON Schema of the `data` an action on this step takes."""
        ...

    def definition_problems(self, doc: ServiceDoc, step: Step) -> list[tuple[str, str]]:
        """(field of the step, reason) for each rule of this kind the step breaks."""
        ...


_KINDS: dict[StepKind, KindRules] = {}


def kind_register(rules: KindRules) -> None:
    _KINDS[rules.kind] = rules


def kind_of(kind: StepKind | str) -> KindRules:
    """The registered kind; every kind of StepKind is registered once the apps are loaded."""
    try:
        return _KINDS[StepKind(kind)]
    except KeyError:
        message = f"jenis langkah '{kind}' belum terdaftar (aplikasinya belum dimuat)"
        raise LookupError(message) from None


def kind_problems(doc: ServiceDoc) -> list[Problem]:
    """Each step checked by its own kind, and for fields its kind does not read."""
    problems = []
    for i, step in enumerate(doc.steps):
        rules = kind_of(step.kind)
        for name in KIND_FIELDS:
            if getattr(step, name) and name not in rules.takes:
                message = f"isian {name} tidak berlaku untuk langkah {step.kind}"
                problems.append(Problem(path=f"steps[{i}].{name}", message=message))
        problems += [
            Problem(path=f"steps[{i}].{suffix}" if suffix else f"steps[{i}]", message=message)
            for suffix, message in rules.definition_problems(doc, step)
        ]
    return problems
