"""The shape of a service definition file (DESIGN.md §4), as a pydantic schema.

One YAML file holds one service of one office: its public standard (the six
components of PermenPANRB 15/2014) and its SOP (PermenPANRB 35/2012) as steps
the case engine runs. Structural errors come from pydantic; the rules that
tie fields together (outcomes pointing at real steps, every path ending) are
checked by `semantic_errors`, so that every error in a file is reported at once.
"""

import re
from enum import StrEnum
from typing import Annotated, Any, Literal

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


END_LABELS = {"selesai": "Selesai", "ditolak": "Ditolak", "dirujuk": "Dirujuk"}


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
    # What a referred person takes with them: requirement keys (shown by their labels)
    # or the papers' names as free text.
    bring: list[Annotated[str, Field(min_length=1, max_length=200)]] = []
    letter: Code | None = None
    # A draft_letter step whose drafter also initials the draft (Banyuasin's supervisor).
    paraf: bool = False
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
    # Pangkat/golongan, printed between the name and the NIP (Permendagri 1/2023 Pasal 44).
    rank: str = ""
    acting: str = Field(default="", pattern=r"^(|Plt\.|Plh\.|a\.n\.)$")


# What a letter template may say in braces; `letters.content` fills them for a case.
LETTER_PLACEHOLDERS = {
    "applicant_name": "nama pemohon",
    "applicant_nik": "NIK pemohon (disamarkan bila templat memilih nik: masked)",
    "applicant_address": "alamat pemohon",
    "person_name": "nama orang yang dimaksud surat (anak/yang diwakili, atau pemohon)",
    "person_nik": "NIK orang yang dimaksud surat",
    "subject_relation": "hubungan pemohon dengan orang yang dimaksud",
    "school": "sekolah/perguruan tinggi",
    "registry_source": "register yang diperiksa (DTKS/DTSEN)",
    "registry_period": "periode data register, mis. September 2026",
    "registry_result": "hasil pemeriksaan register: terdaftar / tidak terdaftar",
    "office_name": "nama kantor",
    "region_name": "nama daerah",
    "government": "pemerintah daerah",
    "service_name": "nama layanan",
    "tracking_code": "kode lacak permohonan",
    "batch_count": "jumlah usulan dalam lampiran (surat kolektif)",
}
# Placeholders of a letter's number pattern; {seq} may carry a width: {seq:04}.
NUMBER_PLACEHOLDERS = {"seq", "classification", "unit", "roman_month", "month", "year"}
_BRACES = re.compile(r"\{([^{}]*)\}")


class LetterLine(Strict):
    """One 'label : value' row of a letter (its data block, or Sifat/Lampiran/Perihal)."""

    label: Text
    value: str = ""


class LetterNumbering(Strict):
    """How an office numbers a letter type: pattern, codes and when the sequence restarts."""

    pattern: Text = "{classification}/{seq}/{unit}/{roman_month}/{year}"
    classification: str = ""
    unit: str = ""
    reset: Literal["yearly", "monthly", "never"] = "yearly"
    # Letter types sharing a series share one sequence (an office's register of letters).
    series: str = Field(default="", pattern=r"^([a-z][a-z0-9-]*)?$", max_length=80)


class LetterText(Strict):
    """The parts of a letter that can differ by the register check's result (Blitar)."""

    title: str | None = None
    opening: list[Text] | None = None
    fields: list[LetterLine] | None = None
    body: list[Text] | None = None
    closing: list[Text] | None = None


class LetterBatch(Strict):
    """A collective letter: every waiting case of the service, listed in an attached table."""

    title: Text
    columns: list[LetterLine] = Field(min_length=1)


class LetterTemplate(Strict):
    """The letter a draft_letter step produces: text with {placeholders}, number, paper."""

    code: Code
    name: Text
    title: str = ""
    paper: Literal["A4", "F4"] = "A4"
    # The NIK printed on the letter: whole, or with its middle digits hidden.
    nik: Literal["full", "masked"] = "full"
    numbering: LetterNumbering = LetterNumbering()
    meta: list[LetterLine] = []
    recipient: list[Text] = []
    opening: list[Text] = []
    fields: list[LetterLine] = []
    body: list[Text] = []
    closing: list[Text] = []
    variants: dict[Literal["terdaftar", "tidak_terdaftar"], LetterText] = {}
    batch: LetterBatch | None = None
    signer: Signer | None = None


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
    letters: list[LetterTemplate] = []
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
    """Rules across fields that pydantic's per-field checks cannot see.

    These are the rules of the step graph and the letters; each kind's own rules
    (its fixed outcomes, the fields it needs) are asked of the kind (`kinds.kind_problems`).
    """
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
        if ways_on == 0:
            add(at, "langkah tidak punya lanjutan: isi outcomes, next atau end")
        if step.next and step.outcomes:
            add(f"{at}.next", "pakai next atau outcomes, tidak keduanya")
        if step.end and (step.next or step.outcomes):
            add(f"{at}.end", "langkah dengan end tidak boleh punya next/outcomes")
    problems.extend(_reachability_errors(doc))
    problems.extend(_letter_errors(doc))
    return problems


def _letter_errors(doc: ServiceDoc) -> list[Problem]:
    """Unknown placeholders in a template's text, a number pattern without {seq}."""
    problems: list[Problem] = []
    codes: set[str] = set()
    for i, template in enumerate(doc.letters):
        at = f"letters[{i}]"
        if template.code in codes:
            problems.append(Problem(path=f"{at}.code", message="kode templat dipakai dua kali"))
        codes.add(template.code)
        problems.extend(_number_pattern_errors(template.numbering.pattern, f"{at}.numbering"))
        for path, text in _template_texts(template, at):
            for name in _BRACES.findall(text):
                if name not in LETTER_PLACEHOLDERS:
                    known = ", ".join(sorted(LETTER_PLACEHOLDERS))
                    problems.append(
                        Problem(path=path, message=f"isian {{{name}}} tidak dikenal; pakai {known}")
                    )
    return problems


def _number_pattern_errors(pattern: str, at: str) -> list[Problem]:
    names = _BRACES.findall(pattern)
    known = ", ".join(sorted(NUMBER_PLACEHOLDERS))
    problems = [
        Problem(path=f"{at}.pattern", message=f"isian {{{name}}} tidak dikenal; pakai {known}")
        for name in names
        if name.split(":")[0] not in NUMBER_PLACEHOLDERS
        or (name.startswith("seq:") and not re.fullmatch(r"seq:0\d", name))
    ]
    if not any(name.split(":")[0] == "seq" for name in names):
        problems.append(Problem(path=f"{at}.pattern", message="pola nomor harus memuat {seq}"))
    return problems


def _template_texts(template: LetterTemplate, at: str):
    """(field path, text) of every text of a template that may hold placeholders."""
    parts = [("", template)] + [(f".variants.{k}", v) for k, v in template.variants.items()]
    for prefix, part in parts:
        yield f"{at}{prefix}.title", part.title or ""
        for name in ("opening", "body", "closing"):
            for j, text in enumerate(getattr(part, name) or []):
                yield f"{at}{prefix}.{name}[{j}]", text
        for j, line in enumerate(part.fields or []):
            yield f"{at}{prefix}.fields[{j}].value", line.value
    for j, line in enumerate(template.meta):
        yield f"{at}.meta[{j}].value", line.value
    for j, text in enumerate(template.recipient):
        yield f"{at}.recipient[{j}]", text
    if template.batch:
        for j, column in enumerate(template.batch.columns):
            yield f"{at}.batch.columns[{j}].value", column.value


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
