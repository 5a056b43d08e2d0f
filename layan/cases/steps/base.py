"""What every step kind has, with the defaults most kinds keep.

A kind answers, for a step of its kind: the outcomes and their names, the
`data` it takes (a pydantic model, which is also the API's JSON Schema), the
checks of an action, what the step record keeps, its form on the case page and
the line its records show. `case_act`, the case page, the API and the SOP
table ask the kind; none of them knows a kind by name.
"""

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model
from pydantic_core import ErrorDetails

from layan.cases.models import Case, StepRecord
from layan.catalogue import graph
from layan.catalogue.schema import END_LABELS, ServiceDoc, Step, StepKind

REASON_MAX = 4000


class CaseError(Exception):
    """An action that does not fit the case (HTTP 422): each problem with its field and reason.

    `field` names the input at fault as the API knows it (`data.checked`, `note`,
    `applicant.nik`); the message is in Bahasa Indonesia and uses labels, not keys.
    """

    def __init__(
        self, message: str, *, field: str = "", errors: list[tuple[str, str]] | None = None
    ):
        self.field = field
        self.errors = errors or [(field, message)]
        super().__init__(message)


class CaseConflict(Exception):
    """Someone else already acted on this step (HTTP 409)."""


@dataclass(frozen=True)
class Act:
    """One action on the current step, its `data` already read by the kind's input model."""

    case: Case
    doc: ServiceDoc
    step: Step
    user: Any
    outcome: str
    note: str
    data: dict[str, Any]
    # What the applicant is told, when the outcome turns them away (ditolak, dirujuk).
    reason: str = ""


@dataclass(frozen=True)
class Ending:
    """What a step that turned the applicant away tells them to do next (labels, not keys)."""

    missing: list[str] = field(default_factory=list)  # papers still to bring
    to: str = ""  # where a referral sends them
    bring: list[str] = field(default_factory=list)  # what they take there


@dataclass(frozen=True)
class StepEffect:
    """What a step did: the data its record keeps, and other cases that move with this one.

    `companions` are cases of the same batch (one letter for many proposals),
    already locked by the kind and standing at the same step.
    """

    data: dict[str, Any]
    companions: list[Case] = field(default_factory=list)


@dataclass(frozen=True)
class Button:
    outcome: str  # empty for the one button of a step without a choice
    label: str
    secondary: bool = False


@dataclass(frozen=True)
class RequirementState:
    """What a kind's records say about one requirement on a case."""

    status: str
    present: bool | None


# pydantic's error types -> what an officer reads next to the field.
_REASONS = {
    "missing": "wajib diisi",
    "string_too_short": "wajib diisi",
    "string_too_long": "paling banyak {max_length} karakter",
    "string_type": "harus berupa teks",
    "literal_error": "pilihan tidak dikenal: '{input}'",
    "enum": "pilihan tidak dikenal: '{input}'",
    "float_parsing": "harus berupa angka",
    "float_type": "harus berupa angka",
    "finite_number": "harus berupa angka",
    "int_parsing": "harus berupa bilangan bulat",
    "int_type": "harus berupa bilangan bulat",
    "date_parsing": "harus berupa tanggal (TTTT-BB-HH)",
    "date_from_datetime_parsing": "harus berupa tanggal (TTTT-BB-HH)",
    "date_type": "harus berupa tanggal (TTTT-BB-HH)",
    "bool_parsing": "harus ya atau tidak (true/false)",
    "bool_type": "harus ya atau tidak (true/false)",
    "list_type": "harus berupa daftar",
    "dict_type": "harus berupa objek JSON",
    "model_type": "harus berupa objek JSON",
    "too_long": "paling banyak {max_length} butir",
}


def _problem(error: ErrorDetails, model: type[BaseModel]) -> tuple[str, str]:
    """('data.<field>', 'Label: reason') for one pydantic error of a step's input."""
    loc = error.get("loc", ())
    name = str(loc[0]) if loc else ""
    if error.get("type") == "extra_forbidden":
        return f"data.{name}", f"Isian '{name}' tidak dikenal untuk langkah ini."
    info = model.model_fields.get(name)
    label = (info.title if info else None) or name
    template = _REASONS.get(error.get("type", ""))
    context = {"input": error.get("input"), **(error.get("ctx") or {})}
    reason = template.format(**context) if template else str(error.get("msg", ""))
    return (f"data.{name}" if name else "data"), f"{label}: {reason.removeprefix('Value error, ')}."


class Kind:
    """A step kind with the defaults: one way on, no input, nothing kept but the outcome."""

    kind: StepKind
    label: str = ""
    # Which of catalogue.kinds.KIND_FIELDS a step of this kind reads.
    takes: frozenset[str] = frozenset()
    # Outcomes a file must give a step of this kind exactly (the engine gives them meaning).
    fixed_outcomes: tuple[str, ...] = ()
    outcome_labels: dict[str, str] = {}
    # A button names what the officer does ("Kembalikan"), where the record says what
    # was done ("Dikembalikan"); outcomes not named here use their outcome label.
    choice_labels: dict[str, str] = {}
    done_label = "Selesai"  # what a step that only goes on (`lanjut`) has done
    button_label = ""  # the one button of a step without a choice
    note_label = "Catatan"
    # Outcomes that send a case back or turn it down: they need a reason. Every outcome
    # that ends the case as ditolak or dirujuk needs one besides (`reason_needed`).
    reason_outcomes: frozenset[str] = frozenset()
    # Said in the API schema of `reason` when the kind has a default for it.
    reason_default_hint = ""
    # The system decides the outcome (from the register); the officer only starts it.
    system_decided = False
    # Done by whoever registers the case, as part of registering it.
    done_at_registration = False
    # The inputs of its form on the case page (a template included in the step form).
    template: str | None = None

    # ---- the definition ----------------------------------------------------------

    def definition_problems(self, doc: ServiceDoc, step: Step) -> list[tuple[str, str]]:
        if self.fixed_outcomes and set(step.outcomes) != set(self.fixed_outcomes):
            fixed = sorted(self.fixed_outcomes)
            return [("outcomes", f"langkah {self.kind} harus punya outcomes {fixed}")]
        return []

    # ---- outcomes -------------------------------------------------------------

    def outcome_label(self, outcome: str) -> str:
        """'Lengkap', 'Terdaftar', 'Dikembalikan', 'Surat dibuat', …"""
        if outcome == graph.CONTINUE:
            return self.done_label
        if outcome in self.outcome_labels:
            return self.outcome_labels[outcome]
        return END_LABELS.get(outcome) or outcome.replace("_", " ").capitalize()

    def choosable(self, step: Step) -> list[str]:
        """The outcomes an officer may choose; none where the system decides."""
        return [] if self.system_decided else graph.step_outcomes(step)

    def needs_reason(self, outcome: str) -> bool:
        """The kind's own rule: a return or refusal that does not depend on the definition."""
        return outcome in self.reason_outcomes

    def reason_needed(self, step: Step, outcome: str) -> bool:
        """The kind's own returns, and every outcome that ends the case as ditolak/dirujuk."""
        return self.needs_reason(outcome) or graph.turns_away(step, outcome)

    def default_reason(self, case: Case, doc: ServiceDoc, step: Step, data: dict) -> str:
        """The reason the applicant is told when the officer gives none ('': one is needed).

        `data` is the step's data (a system-decided step's evidence).
        """
        return ""

    def adds_paraf(self, step: Step) -> bool:
        """Whether doing the step initials the case's document (a paraf box on the letter)."""
        return False

    def buttons(self, step: Step, doc: ServiceDoc | None = None) -> list[Button]:
        """One button per outcome to choose; one unnamed button when there is no choice.

        With the definition, a button may name who the case goes to next."""
        outcomes = self.choosable(step)
        if len(outcomes) > 1:
            return [Button(o, self._choice_label(o), self.reason_needed(step, o)) for o in outcomes]
        single = graph.step_outcomes(step)
        fallback = self.outcome_label(single[0]) if single else "Selesai"
        return [Button("", self.button_text(step, doc) or fallback)]

    def _choice_label(self, outcome: str) -> str:
        return self.choice_labels.get(outcome) or self.outcome_label(outcome)

    def button_text(self, step: Step, doc: ServiceDoc | None = None) -> str:
        return self.button_label

    # ---- input ----------------------------------------------------------------

    def input_fields(self, doc: ServiceDoc, step: Step) -> dict[str, Any]:
        """The pydantic fields of the step's `data`: name -> (type, FieldInfo)."""
        return {}

    def input_model(self, doc: ServiceDoc, step: Step) -> type[BaseModel]:
        return _input_of(self, doc, step)[0]

    def input_schema(self, doc: ServiceDoc, step: Step) -> dict[str, Any]:
        """The JSON Schema of the `data` an action on this step takes (shared: do not change)."""
        return _input_of(self, doc, step)[1]

    def reason_field(self, step: Step) -> dict[str, Any]:
        """`reason`, when an outcome of the step needs one."""
        needing = [o for o in self.choosable(step) if self.reason_needed(step, o)]
        if not needing:
            return {}
        told = [o for o in needing if graph.turns_away(step, o)]
        returns = [o for o in needing if o not in told]
        parts = []
        if told:
            parts.append(
                f"Wajib bila hasilnya {self._named(told)}: alasan ini dibaca pemohon di halaman "
                "lacak, jadi tanpa data pribadi (tanpa nama, NIK, No KK, nomor telepon; deret "
                "10 angka atau lebih ditolak); `note` tetap catatan internal."
            )
            parts += [self.reason_default_hint] if self.reason_default_hint else []
        if returns:
            parts.append(
                f"Wajib bila hasilnya {self._named(returns)}; tanpa ini, `note` dipakai sebagai "
                "alasan."
            )
        info = Field(
            default="",
            max_length=REASON_MAX,
            title="Alasan untuk pemohon" if told else "Alasan",
            description=" ".join(parts),
        )
        return {"reason": (str, info)}

    def _named(self, outcomes: list[str]) -> str:
        return ", ".join(f"'{o}' ({self.outcome_label(o)})" for o in outcomes)

    def tells_reason(self, step: Step) -> bool:
        """Whether an outcome the officer may choose here turns the applicant away."""
        return any(graph.turns_away(step, o) for o in self.choosable(step))

    def input_read(self, doc: ServiceDoc, step: Step, raw: dict[str, Any]) -> dict[str, Any]:
        """The step's `data` checked against its model; every mistake names `data.<field>`."""
        model = self.input_model(doc, step)
        try:
            values = model.model_validate(self.input_prepare(step, raw))
        except ValidationError as exc:
            problems = [_problem(error, model) for error in exc.errors()]
            raise CaseError(" ".join(r for _, r in problems), field=problems[0][0],
                            errors=problems) from exc  # fmt: skip
        return dict(values)

    def input_prepare(self, step: Step, raw: dict[str, Any]) -> dict[str, Any]:
        """Older shapes of `data` a kind still accepts, made into the model's shape."""
        return raw

    def data_from_post(self, doc: ServiceDoc, step: Step, post: QueryDict) -> dict[str, Any]:
        """The `data` of the case page's form for this step."""
        return {}

    def data_initial(self, doc: ServiceDoc, step: Step, case: Case) -> dict[str, Any]:
        """What the step's form starts with on this case (the API's case read says the same):
        a suggestion the officer may change, never applied without being sent."""
        return {}

    # ---- doing the step -------------------------------------------------------------

    def decide(self, case: Case, user: Any) -> tuple[str, dict[str, Any]]:
        """The outcome and evidence of a step the system decides."""
        raise NotImplementedError

    def perform(self, act: Act) -> StepEffect:
        """Check the action and do the step's work, inside case_act's transaction.

        Raising CaseError rolls the whole action back. The result is what the step
        record keeps: never a password, never the reason (a return's is the record's
        note; case_act keeps the one told to the applicant as `data.reason`).
        """
        return StepEffect(data={})

    # ---- how its records read ---------------------------------------------------------

    def summary(self, doc: ServiceDoc, record: StepRecord) -> str:
        """What a step found or decided, in one line of the case's history."""
        return ""

    def requirement_states(
        self, doc: ServiceDoc, case: Case, records: list[StepRecord]
    ) -> dict[str, RequirementState]:
        """What this kind's records (oldest first) say about the service's requirements."""
        return {}

    def ending(self, doc: ServiceDoc, step: Step, data: dict) -> Ending:
        """What the applicant is told to do next once this step turned them away."""
        return Ending()

    def form_context(
        self, doc: ServiceDoc, step: Step, case: Case, posted: QueryDict | None, errors: dict
    ) -> dict[str, Any]:
        """What the kind's inputs template needs on the case page."""
        return {}


# Models and their JSON Schemas by (kind, doc object, step): a definition's doc object
# is kept per version (catalogue.selectors), so both are made once per step of a
# version, not on every action, case read or service listing. The doc is held with
# them so its id cannot be reused while cached.
_MODELS_KEPT = 512
_Input = tuple[type[BaseModel], dict[str, Any]]
_models: OrderedDict[tuple[str, int, str], tuple[ServiceDoc, _Input]] = OrderedDict()


def _input_of(kind: Kind, doc: ServiceDoc, step: Step) -> _Input:
    key = (kind.kind.value, id(doc), step.key)
    if key in _models:
        _models.move_to_end(key)
        return _models[key][1]
    fields = {**kind.input_fields(doc, step), **kind.reason_field(step)}
    name = f"{kind.kind.title().replace('_', '')}Data"
    model = create_model(name, __config__=ConfigDict(extra="forbid"), **fields)
    made = (model, model.model_json_schema())
    _models[key] = (doc, made)
    if len(_models) > _MODELS_KEPT:
        _models.popitem(last=False)
    return made
