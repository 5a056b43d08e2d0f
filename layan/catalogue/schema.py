"""The shape of a service definition file (DESIGN.md §4), as a pydantic schema.

One YAML file holds one service of one office: its public standard (the six
components of PermenPANRB 15/2014) and its SOP (PermenPANRB 35/2012) as steps
the case engine runs. Structural errors come from pydantic; the rules that
tie fields together (outcomes pointing at real steps, every path ending) are
checked by `semantic_errors`, so that every error in a file is reported at once.
"""

import re
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

Key = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
Code = Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$", max_length=80)]
Text = Annotated[str, Field(min_length=1)]

_DURATION = re.compile(r"^(?P<value>\d+)\s*(?P<unit>m|h|wd|d|y)$")
# Units: minutes and hours of working time, working days, calendar days, years.
DURATION_UNITS = {"m": "menit", "h": "jam kerja", "wd": "hari kerja", "d": "hari", "y": "tahun"}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Duration(Strict):
    """A standard time: `15m`, `1h`, `1wd`, `1y`, with the wording the seed uses."""

    value: int = Field(ge=0)
    unit: str
    text: str = ""

    @classmethod
    def parse(cls, raw: Any) -> Any:
        if isinstance(raw, str):
            raw = {"duration": raw}
        if isinstance(raw, dict) and "duration" in raw:
            match = _DURATION.match(str(raw["duration"]).strip())
            if not match:
                raise ValueError(
                    f"durasi '{raw['duration']}' tidak dikenal; pakai mis. 15m, 1h, 1wd, 1y"
                )
            rest = {k: v for k, v in raw.items() if k != "duration"}
            return {"value": int(match["value"]), "unit": match["unit"], **rest}
        return raw

    @field_validator("unit")
    @classmethod
    def _known_unit(cls, unit: str) -> str:
        if unit not in DURATION_UNITS:
            raise ValueError(f"satuan '{unit}' tidak dikenal; pakai {', '.join(DURATION_UNITS)}")
        return unit

    @property
    def minutes(self) -> int | None:
        """Working minutes for m/h; None for units the working clock counts otherwise."""
        if self.unit == "m":
            return self.value
        if self.unit == "h":
            return self.value * 60
        return None

    def __str__(self) -> str:
        return self.text or f"{self.value} {DURATION_UNITS[self.unit]}"


def _duration(raw: Any) -> Any:
    return Duration.parse(raw)


DurationField = Annotated[Duration, BeforeValidator(_duration)]


class StepKind(StrEnum):
    INTAKE = "intake"
    CHECKLIST = "checklist"
    REGISTRY_CHECK = "registry_check"
    FORM = "form"
    DISPOSITION = "disposition"
    DRAFT_LETTER = "draft_letter"
    APPROVE = "approve"
    SIGN = "sign"
    HANDOVER = "handover"
    REFER = "refer"
    END = "end"


class EndState(StrEnum):
    SELESAI = "selesai"
    DITOLAK = "ditolak"
    DIRUJUK = "dirujuk"


# Outcomes the engine itself gives for these kinds; a file must use exactly these.
FIXED_OUTCOMES = {
    StepKind.CHECKLIST: {"lengkap", "tidak_lengkap"},
    StepKind.REGISTRY_CHECK: {"terdaftar", "tidak_terdaftar"},
}
# Staff roles an actor may map to (offices.Role), plus the applicant.
ACTOR_ROLES = {
    "pemohon",
    "petugas",
    "operator",
    "supervisor",
    "peksos",
    "kabid",
    "sekretaris",
    "kadin",
    "admin",
}


class Actor(Strict):
    """A column of the SOP table: who does a step, and which staff role acts for it."""

    label: Text
    role: str

    @field_validator("role")
    @classmethod
    def _known_role(cls, role: str) -> str:
        if role not in ACTOR_ROLES:
            raise ValueError(
                f"peran '{role}' tidak dikenal; pilih {', '.join(sorted(ACTOR_ROLES))}"
            )
        return role


class Requirement(Strict):
    key: Key
    label: Text
    note: str = ""
    optional: bool = False
    # True for "Terdaftar dalam DTKS": the system checks it, nobody uploads it.
    registry: bool = False


class FormField(Strict):
    key: Key
    label: Text
    type: str = Field(default="text", pattern=r"^(text|number|date|choice|boolean|photo|file)$")
    required: bool = True
    choices: list[str] = []


class Step(Strict):
    """One step of the procedure; steps sharing a `row` print as one SOP table row."""

    key: Key
    kind: StepKind
    actor: Key
    row: int | None = Field(default=None, ge=1)
    text: str = ""
    time: DurationField | None = None
    requirement: str = ""
    output: str = ""
    note: str = ""
    outcomes: dict[Key, str] = {}
    next: str | None = None
    end: EndState | None = None
    to: str = ""
    letter: Code | None = None
    fields: list[FormField] = []
    route: list[Key] = []


class Channel(Strict):
    kind: str
    label: Text
    value: str = ""
    url: str = ""


class ComplaintOfficer(Strict):
    name: Text
    phone: str = ""


class Complaints(Strict):
    """Penanganan pengaduan, saran dan masukan, as the standard states it."""

    responsible: str = ""
    officer: str = ""
    channels: list[Channel] = []
    officers: list[ComplaintOfficer] = []
    text: str = ""


class Decree(Strict):
    """The SK that sets the standard, or the SOP identity block."""

    number: str = ""
    made: str = ""
    revised: str = ""
    effective: str = ""
    approved: str = ""
    approved_by: str = ""


class Signer(Strict):
    title: Text
    name: str = ""
    nip: str = ""
    acting: str = Field(default="", pattern=r"^(|Plt\.|Plh\.|a\.n\.)$")


class ServiceDoc(Strict):
    """One service of one office: standard + SOP, as one file."""

    code: Code
    office: Code
    name: Text
    sop_name: str = ""
    unit: str = ""
    category: str = ""
    decree: Decree = Decree()
    sop: Decree | None = None
    time_standard: DurationField | None = None
    total_time: DurationField | None = None
    fee: str = ""
    fee_amount: int = Field(default=0, ge=0)
    requirements: list[Requirement] = []
    products: list[Text] = []
    procedure_title: str = ""
    procedure: list[Text] = []
    legal_basis: list[Text] = []
    qualifications: list[Text] = []
    related: list[Text] = []
    equipment: list[Text] = []
    warnings: list[Text] = []
    records: str = ""
    notes: list[Text] = []
    complaints: Complaints = Complaints()
    signer: Signer | None = None
    actors: dict[Key, Actor] = Field(min_length=1)
    steps: list[Step] = Field(min_length=1)
    source: str = ""

    @property
    def step_map(self) -> dict[str, Step]:
        return {step.key: step for step in self.steps}

    def staff_role(self, step: Step) -> str:
        """The staff role that does a step: the front office acts for the applicant."""
        role = self.actors[step.actor].role
        return "petugas" if role == "pemohon" else role


class Problem(BaseModel):
    """One error in a definition file: where (field path, line) and why."""

    path: str
    message: str
    line: int | None = None

    def render(self, file: str) -> str:
        where = f"{file}:{self.line}" if self.line else file
        return f"{where}: {self.path or '(berkas)'}: {self.message}"


def _targets(step: Step) -> list[tuple[str, str]]:
    """(field path suffix, target) pairs for every way a step can continue."""
    pairs = [(f"outcomes.{name}", target) for name, target in step.outcomes.items()]
    if step.next:
        pairs.append(("next", step.next))
    return pairs


def semantic_errors(doc: ServiceDoc) -> list[Problem]:
    """Rules across fields that pydantic's per-field checks cannot see."""
    problems: list[Problem] = []
    keys = [step.key for step in doc.steps]
    ends = {e.value for e in EndState}

    def add(path: str, message: str) -> None:
        problems.append(Problem(path=path, message=message))

    seen: set[str] = set()
    for i, step in enumerate(doc.steps):
        at = f"steps[{i}]"
        if step.key in seen:
            add(f"{at}.key", f"kunci langkah '{step.key}' dipakai lebih dari sekali")
        seen.add(step.key)
        if step.actor not in doc.actors:
            add(f"{at}.actor", f"aktor '{step.actor}' tidak ada di daftar actors")
        for suffix, target in _targets(step):
            if target not in keys and target not in ends:
                add(f"{at}.{suffix}", f"'{target}' bukan langkah maupun status akhir")
        ways_on = len(_targets(step)) + (1 if step.end else 0)
        if step.kind == StepKind.END and not step.end:
            add(f"{at}.end", "langkah akhir harus menyebut status akhir (selesai/ditolak/dirujuk)")
        elif ways_on == 0:
            add(at, "langkah tidak punya lanjutan: isi outcomes, next atau end")
        if step.next and step.outcomes:
            add(f"{at}.next", "pakai next atau outcomes, tidak keduanya")
        if step.end and (step.next or step.outcomes):
            add(f"{at}.end", "langkah dengan end tidak boleh punya next/outcomes")
        fixed = FIXED_OUTCOMES.get(step.kind)
        if fixed is not None and set(step.outcomes) != fixed:
            add(f"{at}.outcomes", f"langkah {step.kind} harus punya outcomes {sorted(fixed)}")
        if step.kind == StepKind.REFER and not step.to:
            add(f"{at}.to", "rujukan harus menyebut tujuannya (to)")
        if step.kind == StepKind.DRAFT_LETTER and not step.letter:
            add(f"{at}.letter", "langkah draft_letter harus menyebut templat surat (letter)")
        if step.kind == StepKind.FORM and not step.fields:
            add(f"{at}.fields", "langkah form harus punya isian (fields)")
        if step.kind == StepKind.DISPOSITION:
            for j, role_actor in enumerate(step.route):
                if role_actor not in doc.actors:
                    add(f"{at}.route[{j}]", f"aktor '{role_actor}' tidak ada di daftar actors")
    problems.extend(_reachability_errors(doc))
    return problems


def _reachability_errors(doc: ServiceDoc) -> list[Problem]:
    """Every step reachable from the first, and every step able to reach an end."""
    steps = doc.step_map
    if not doc.steps:
        return []
    reached: set[str] = set()
    stack = [doc.steps[0].key]
    while stack:
        key = stack.pop()
        if key in reached or key not in steps:
            continue
        reached.add(key)
        stack.extend(target for _, target in _targets(steps[key]))
    problems = [
        Problem(path=f"steps[{i}]", message=f"langkah '{s.key}' tidak pernah tercapai")
        for i, s in enumerate(doc.steps)
        if s.key not in reached
    ]
    # A step can finish if it ends, or one of its ways on reaches a step that can.
    can_finish = {k for k, s in steps.items() if s.end}
    ends = {e.value for e in EndState}
    changed = True
    while changed:
        changed = False
        for key, step in steps.items():
            if key in can_finish:
                continue
            if any(t in ends or t in can_finish for _, t in _targets(step)):
                can_finish.add(key)
                changed = True
    problems += [
        Problem(path=f"steps[{i}]", message=f"dari langkah '{s.key}' tidak ada jalan ke akhir")
        for i, s in enumerate(doc.steps)
        if s.key in reached and s.key not in can_finish
    ]
    return problems
