"""Cases: creating one, acting on its steps, pausing the clock. Every change writes its record.

`case_act` is the one way a case moves: it locks the case row, checks that the
step asked for is the current one (else a conflict: someone acted first), that
the user holds the step's role at the case's office, and that the outcome and
data fit the step's kind; then it records the step and moves the case on.
"""

import hashlib
import re
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from layan.cases import sla
from layan.cases.models import (
    OPEN_STATES,
    Attachment,
    Case,
    CaseState,
    Referral,
    StepRecord,
    tracking_code_new,
)
from layan.cases.presenting import actor_label, step_label
from layan.cases.steps import kind_of
from layan.cases.steps.base import Act, CaseConflict, CaseError, Kind, StepEffect
from layan.cases.steps.checklist import brought
from layan.cases.steps.form import is_attachment
from layan.cases.steps.registry_check import last_check_evidence
from layan.catalogue import graph
from layan.catalogue.models import ServiceVersion
from layan.catalogue.schema import ServiceDoc, Step, StepKind
from layan.catalogue.selectors import version_doc
from layan.core.audit import audit_record
from layan.core.nik import nik_problem
from layan.core.phone import phone_normalized, phone_problem
from layan.core.uploads import ScanRefused, scan_examine
from layan.offices.models import Office, Role
from layan.offices.rights import Right, may, require, rights_of, roles_of, roles_with
from layan.registry import storage
from layan.registry.models import Snapshot
from layan.registry.scope import in_region, regions_within_q
from layan.registry.selectors import person_from_row

__all__ = ["CaseConflict", "CaseDuplicate", "CaseError"]  # raised here; callers catch them

# The audit action of a case registered while another one for the same person and
# service was still open; its `after` keeps the open case's code and the reason.
REGISTERED_AGAIN = "case.register_again"


@dataclass(frozen=True)
class Applicant:
    name: str
    nik: str
    phone: str = ""
    address: str = ""


@dataclass(frozen=True)
class Subject:
    """The person the letter is about when not the applicant (a child, a ward)."""

    name: str = ""
    nik: str = ""
    relation: str = ""
    data: dict | None = None


def case_can_act(case: Case, user) -> bool:
    """Whether the user may do the case's current step now (the page's form, the API's outcomes)."""
    roles = roles_of(user, case.office)
    return (
        case.state == CaseState.OPEN
        and bool(case.current_step)
        and case.current_role in roles
        and Right.ACT in rights_of(roles)
    )


class CaseDuplicate(CaseError):
    """The person already has an open case for this service here: going on needs a reason."""

    def __init__(self, open_case: Case, nik: str):
        self.open_case = open_case
        self.step_label = step_label(case_doc(open_case), open_case.current_step)
        super().__init__(
            f"NIK {nik} masih punya permohonan {open_case.service.name} yang berjalan di kantor "
            f"ini: kode lacak {open_case.tracking_code}, langkah {self.step_label}. Lanjutkan "
            "permohonan itu, atau sebutkan alasan mendaftarkan permohonan baru.",
            field="duplicate_reason",
        )


def case_open_for_person(*, office: Office, service_id: int, nik: str) -> Case | None:
    """An open case of the office for the same service about the same person, if any.

    The person is the one the letter is about: the subject when there is one, else
    the applicant (`Case.subject_or_applicant_nik`).
    """
    about = Q(subject_nik=nik) | Q(subject_nik="", applicant_nik=nik)
    return (
        Case.objects.filter(about, office=office, service_id=service_id, state__in=OPEN_STATES)
        .select_related("version")
        .order_by("created_at")
        .first()
    )


def _check_person(name: str, nik: str, *, prefix: str) -> None:
    if not name.strip():
        raise CaseError("Nama wajib diisi.", field=f"{prefix}.name")
    if problem := nik_problem(nik.strip()):
        raise CaseError(problem, field=f"{prefix}.nik")


def case_create(
    *,
    office: Office,
    service_code: str,
    applicant: Applicant,
    subject: Subject | None = None,
    user,
    duplicate_reason: str = "",
) -> Case:
    """Register a request; the intake step is done by whoever registers it.

    While the person the letter is about has an open case for the same service at
    the office, a new one needs `duplicate_reason` (CaseDuplicate names the open
    case); the reason is kept in the case's audit record.
    """
    require(user, office, Right.REGISTER)
    service = office.services.filter(code=service_code, is_published=True).first()
    if service is None:
        raise CaseError("Layanan yang dipilih tidak ada di kantor ini.", field="service")
    _check_person(applicant.name, applicant.nik, prefix="applicant")
    if problem := phone_problem(applicant.phone):
        raise CaseError(problem, field="applicant.phone")
    applicant = replace(applicant, phone=phone_normalized(applicant.phone))
    subject = subject or Subject()
    if subject.name or subject.nik:
        _check_person(subject.name, subject.nik, prefix="subject")
    version = service.versions.order_by("-number").first()
    if version is None:
        raise CaseError(f"Layanan '{service.name}' belum punya SOP.", field="service")
    doc = version_doc(version)
    nik = (subject.nik or applicant.nik).strip()
    with transaction.atomic():
        open_case = case_open_for_person(office=office, service_id=service.pk, nik=nik)
        if open_case is not None and not duplicate_reason.strip():
            raise CaseDuplicate(open_case, nik)
        case = _case_insert(office, service, version, applicant, subject, user)
        if open_case is not None:
            reason = duplicate_reason.strip()
            audit_record(
                office=office, actor=user, action=REGISTERED_AGAIN, target=case,
                summary=f"Didaftarkan walau {open_case.tracking_code} masih berjalan: {reason}",
                after={"open_case": open_case.tracking_code, "reason": reason},
            )  # fmt: skip
        _enter_step(case, doc, doc.steps[0], timezone.now())
        case.deadline = sla.case_deadline(case, doc)
        case.save()
        if kind_of(doc.steps[0].kind).done_at_registration:
            _act(case, doc, doc.steps[0], user, graph.CONTINUE, "", {}, role=Role.PETUGAS)
    return case


def _case_insert(office, service, version: ServiceVersion, applicant, subject, user) -> Case:
    for _ in range(5):  # a clash of random codes is ~1e-11; retry rather than fail
        try:
            with transaction.atomic():
                return Case.objects.create(
                    office=office,
                    service=service,
                    version=version,
                    tracking_code=tracking_code_new(),
                    applicant_name=applicant.name.strip(),
                    applicant_nik=applicant.nik.strip(),
                    applicant_phone=applicant.phone.strip(),
                    applicant_address=applicant.address.strip(),
                    subject_name=subject.name.strip(),
                    subject_nik=subject.nik.strip(),
                    subject_relation=subject.relation.strip(),
                    subject_data=subject.data or {},
                    created_by=user,
                )
        except IntegrityError:
            continue
    raise RuntimeError("Tidak dapat membuat kode lacak unik.")


def case_doc(case: Case) -> ServiceDoc:
    """The definition the case runs on: the version it started on, never a newer one."""
    return version_doc(case.version)


def current_step(case: Case) -> Step | None:
    return case_doc(case).step_map.get(case.current_step) if case.is_open else None


def case_act(
    *,
    case_id: int,
    user,
    step: str,
    outcome: str | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
    seen_seq: int | None = None,
) -> StepRecord:
    """Do the current step of a case. Raises CaseConflict, PermissionDenied or CaseError.

    `seen_seq` is the case's step counter as the caller last saw it (a form carries
    it): a page left open while the case went round a loop back to the same step
    must not act on the new round.
    """
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("office", "version").get(pk=case_id)
        if not case.is_open:
            raise CaseConflict(f"Permohonan sudah {case.get_state_display().lower()}.")
        if case.state == CaseState.WAITING:
            raise CaseError("Permohonan sedang dijeda; lanjutkan dulu.", field="step")
        if seen_seq is not None and seen_seq != case.step_seq:
            raise CaseConflict("Permohonan sudah berubah sejak halaman ini dibuka.")
        doc = case_doc(case)
        if step != case.current_step:
            raise CaseConflict(
                f"Langkah {_step_named(doc, step)} bukan langkah saat ini; permohonan kini di "
                f"langkah {_step_named(doc, case.current_step)}. "
                "Mungkin sudah dikerjakan orang lain."
            )
        current = doc.step_map[step]
        role = _acting_role(user, case, doc, current)
        effect, outcome, note = _perform(case, doc, current, user, outcome, note, data or {})
        record = _act(case, doc, current, user, outcome, note, effect.data, role=role)
        for other in effect.companions:
            other_doc = case_doc(other)
            _act(other, other_doc, other_doc.step_map[other.current_step], user, outcome, note,
                 {**effect.data, "bersama": case.tracking_code}, role=role)  # fmt: skip
        return record


def _step_named(doc: ServiceDoc, key: str) -> str:
    """'Pemeriksaan kelengkapan (Petugas Layanan)': a step as people know it."""
    if key not in doc.step_map:
        return "yang dikirim (tidak ada dalam SOP layanan ini)"
    return f"{step_label(doc, key)} ({actor_label(doc, key)})"


class _Undone(Exception):
    def __init__(self, record: StepRecord):
        self.record = record


def case_act_preview(**act: Any) -> StepRecord:
    """Everything `case_act(**act)` checks and does, then undone: the record it would write.

    The page shows it for a confirmation before a case is turned down or referred;
    the same checks run, so a mistake is named before the officer confirms.
    """
    try:
        with transaction.atomic():
            raise _Undone(case_act(**act))
    except _Undone as undone:
        return undone.record


def _acting_role(user, case: Case, doc: ServiceDoc, step: Step) -> str:
    """The role the user acts in; the applicant's own steps are done by the front office."""
    needed = doc.staff_role(step)
    held = require(user, case.office, Right.ACT)
    if needed not in held:
        label = doc.actors[step.actor].label
        role = Role(needed).label.lower()
        raise PermissionDenied(f"Langkah ini dikerjakan oleh {label} (peran {role}).")
    return needed


def _perform(case, doc, step: Step, user, outcome, note: str, data: dict):
    """Ask the step's kind for the outcome, the checks of the data and the work.

    Returns (what the kind did, the outcome, the record's note). An outcome that
    turns the applicant away (ditolak, dirujuk) keeps the reason they are told as
    `data.reason`; the note stays the officers' own.
    """
    kind = kind_of(step.kind)
    if kind.system_decided:
        if outcome:
            raise CaseError("Hasil langkah ini ditentukan sistem.", field="outcome")
        outcome, evidence = kind.decide(case, user)
        if graph.turns_away(step, outcome):
            evidence = {**evidence, "reason": kind.default_reason(case, doc, step, evidence)}
        return StepEffect(data=evidence), outcome, note
    allowed = kind.choosable(step)
    if outcome is None and len(allowed) == 1:
        outcome = allowed[0]
    if outcome not in allowed:
        named = ", ".join(kind.outcome_label(o) for o in allowed)
        raise CaseError(f"Pilih hasil langkah ini: {named}.", field="outcome")
    values = kind.input_read(doc, step, data)
    reason = str(values.pop("reason", "") or "")
    if graph.turns_away(step, outcome):
        told = _reason_told(case, doc, kind, step, outcome, values, reason)
        effect = kind.perform(Act(case, doc, step, user, outcome, note.strip(), values, told))
        kept = StepEffect(data={**effect.data, "reason": told}, companions=effect.companions)
        return kept, outcome, note
    note = _with_reason(kind, outcome, note, reason)
    return kind.perform(Act(case, doc, step, user, outcome, note, values)), outcome, note


def _with_reason(kind: Kind, outcome: str, note: str, reason: str) -> str:
    """The record's note: the reason of a return or refusal first, then any remark."""
    text = "\n".join(part for part in (reason.strip(), note.strip()) if part)
    if kind.needs_reason(outcome) and not text:
        label = kind.outcome_label(outcome)
        raise CaseError(f"Sebutkan alasannya ({label}).", field="data.reason")
    return text


# Ten digits or more, maybe grouped ("0812 3456 7890", "7308.0112.0963.0001"): a phone
# number, a NIK or a No KK. A date ("12-01-2026") has eight.
_LONG_NUMBER = re.compile(r"\d(?:[\s.\-/]?\d){9,}")
_EMAIL = re.compile(r"\S+@\S+\.\w+")


def _reason_told(case: Case, doc, kind: Kind, step: Step, outcome: str, data, reason: str) -> str:
    """The reason the applicant reads on the public tracking page: given, and not personal.

    Anyone holding the tracking code reads it, so it must not carry a NIK, a No KK,
    a phone number, an e-mail address or the name of the person.
    """
    told = reason.strip()
    if not told:
        told = kind.default_reason(case, doc, step, data)
        if not told:
            label = kind.outcome_label(outcome)
            raise CaseError(f"Sebutkan alasan yang disampaikan kepada pemohon ({label}).",
                            field="data.reason")  # fmt: skip
        return told
    names = [n for n in (case.applicant_name, case.subject_name) if len(n.strip()) >= 3]
    folded = " ".join(told.casefold().split())
    if (
        _LONG_NUMBER.search(told)
        or _EMAIL.search(told)
        or any(" ".join(n.casefold().split()) in folded for n in names)
    ):
        raise CaseError(
            "Alasan untuk pemohon tampil di halaman lacak yang dapat dibuka siapa saja: jangan "
            "menulis nama, NIK, No KK, nomor telepon atau e-mail di dalamnya.",
            field="data.reason",
        )
    return told


def _act(case: Case, doc: ServiceDoc, step: Step, user, outcome, note, data, *, role) -> StepRecord:
    now = timezone.now()
    case.step_seq += 1
    record = StepRecord.objects.create(
        case=case,
        seq=case.step_seq,
        step=step.key,
        kind=step.kind.value,
        role=role,
        user=user,
        started_at=case.step_started_at or now,
        outcome=outcome,
        note=note.strip(),
        data=data,
        working_minutes=sla.working_minutes(case, case.step_started_at or now, now),
    )
    target = graph.step_target(step, outcome)
    if graph.is_end(target):
        _finish(case, target, now)
    else:
        _enter_step(case, doc, doc.step_map[target], now)
    # A return marks the case until the next action on it, whatever that is.
    returned = graph.sends_back(doc, step, outcome)
    case.returned_at = now if returned else None
    case.return_record = record if returned else None
    case.save()
    return record


def _enter_step(case: Case, doc: ServiceDoc, step: Step, now) -> None:
    case.current_step = step.key
    case.current_role = doc.staff_role(step)
    case.step_started_at = now
    case.step_deadline = sla.step_deadline(case, step, now)


def _finish(case: Case, state: str, now) -> None:
    case.state = state
    case.finished_at = now
    case.current_step = ""
    case.current_role = ""
    case.step_deadline = None


# ---- Corrections ------------------------------------------------------------------------


@dataclass(frozen=True)
class Correctable:
    """A value the front office may correct: the case column (or key of its subject_data)."""

    label: str
    column: str
    max_length: int
    data_key: str = ""


# What the applicant told the front office, by the API's field path, labelled as the
# registration form labels it. The letter templates read these (letters/content.py).
CORRECTABLE: dict[str, Correctable] = {
    "applicant.name": Correctable("Nama pemohon", "applicant_name", 200),
    "applicant.nik": Correctable("NIK pemohon", "applicant_nik", 16),
    "applicant.phone": Correctable("Telepon/WhatsApp", "applicant_phone", 30),
    "applicant.address": Correctable("Alamat", "applicant_address", 300),
    "subject.name": Correctable("Nama anak/yang diwakili", "subject_name", 200),
    "subject.nik": Correctable("NIK anak/yang diwakili", "subject_nik", 16),
    "subject.relation": Correctable("Hubungan dengan pemohon", "subject_relation", 50),
    "subject.data.sekolah": Correctable("Sekolah", "subject_data", 200, data_key="sekolah"),
}
CORRECT_ACTION = "case.correct"


@dataclass(frozen=True)
class Change:
    """One corrected value: its field path and label, before and after."""

    field: str
    label: str
    before: str
    after: str


def correctable_value(case: Case, name: str) -> str:
    """The case's present value of a correctable field ('' when not set)."""
    spec = CORRECTABLE[name]
    if spec.data_key:
        return str((case.subject_data or {}).get(spec.data_key) or "")
    return str(getattr(case, spec.column))


def _correction_refusal(case: Case) -> str:
    """Why the case's data cannot be corrected now ('' when it can)."""
    if not case.is_open:
        return (
            f"Permohonan sudah {case.get_state_display().lower()}; datanya tidak dapat dikoreksi."
        )
    correcting = roles_with(Right.CORRECT)
    if case.current_role not in correcting:
        doc = case_doc(case)
        where = f"{step_label(doc, case.current_step)} ({actor_label(doc, case.current_step)})"
        holders = ", ".join(Role(role).label for role in sorted(correcting))
        return (
            f"Data hanya dapat dikoreksi selama permohonan berada di langkah {holders}; "
            f"kini di langkah {where}."
        )
    return ""


def case_can_correct(case: Case, user) -> bool:
    """Whether the user may correct the case's data now (the page shows the form)."""
    return may(user, case.office, Right.CORRECT) and not _correction_refusal(case)


def case_correct(
    *, case_id: int, user, values: dict[str, str], seen_seq: int | None = None
) -> list[Change]:
    """Correct the applicant's, the subject's and the letter's data before drafting again.

    `values` maps field paths of CORRECTABLE to their new text (fields not named stay).
    Only the front office, only while the case stands at one of its steps; NIKs are
    checked as at registration. The changed values are recorded with their old ones
    (AuditEvent "case.correct"); nothing changed, nothing recorded.
    """
    unknown = sorted(set(values) - set(CORRECTABLE))
    if unknown:
        raise CaseError(f"Isian '{unknown[0]}' tidak dapat dikoreksi.", field=unknown[0])
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("office", "version").get(pk=case_id)
        require(user, case.office, Right.CORRECT)
        if seen_seq is not None and seen_seq != case.step_seq:
            raise CaseConflict("Permohonan sudah berubah sejak halaman ini dibuka; periksa lagi.")
        if refusal := _correction_refusal(case):
            raise CaseConflict(refusal)
        changes = [
            Change(name, CORRECTABLE[name].label, correctable_value(case, name), new)
            for name, value in values.items()
            if (new := _corrected_text(name, value)) != correctable_value(case, name)
        ]
        if not changes:
            return []
        checked_nik = case.subject_or_applicant_nik
        for change in changes:
            _correction_apply(case, change)
        _check_corrected(case, changes, checked_nik)
        case.save(update_fields=sorted({CORRECTABLE[c.field].column for c in changes}))
        audit_record(
            office=case.office, actor=user, action=CORRECT_ACTION, target=case,
            summary="Koreksi data: " + ", ".join(c.label for c in changes),
            before={c.field: c.before for c in changes}, after={c.field: c.after for c in changes},
        )  # fmt: skip
    return changes


def _corrected_text(name: str, value: str) -> str:
    # Spaces typed twice or around a name are slips; a NIK's inner space is a mistake to name.
    if name.endswith(".nik"):
        return str(value).strip()
    text = " ".join(str(value).split())
    if name == "applicant.phone" and phone_problem(text) is None:
        return phone_normalized(text)  # kept as +62…, as at registration
    return text


def _correction_apply(case: Case, change: Change) -> None:
    spec = CORRECTABLE[change.field]
    if spec.data_key:
        data = {**(case.subject_data or {}), spec.data_key: change.after}
        case.subject_data = {k: v for k, v in data.items() if v not in ("", None)}
    else:
        setattr(case, spec.column, change.after)


def _check_corrected(case: Case, changes: list[Change], checked_nik: str) -> None:
    """The corrected case's people as registration checks them; every problem named."""
    problems = []
    for change in changes:
        spec = CORRECTABLE[change.field]
        if len(change.after) > spec.max_length:
            problems.append(
                (change.field, f"{spec.label}: paling banyak {spec.max_length} karakter.")
            )
        elif change.field == "applicant.phone" and (problem := phone_problem(change.after)):
            problems.append((change.field, problem))
    people = [("applicant", True), ("subject", bool(case.subject_name or case.subject_nik))]
    for prefix, present in people:
        if not present:
            continue
        for name in (f"{prefix}.name", f"{prefix}.nik"):
            value = correctable_value(case, name)
            problem = nik_problem(value) if value and name.endswith(".nik") else None
            if not value:
                problem = "wajib diisi"
            if problem and not any(field == name for field, _ in problems):
                problems.append((name, f"{CORRECTABLE[name].label}: {problem}."))
    if not problems and case.subject_or_applicant_nik != checked_nik:
        problems.extend(_register_checked_problem(case, changes))
    if problems:
        raise CaseError(" ".join(reason for _, reason in problems), field=problems[0][0],
                        errors=problems)  # fmt: skip


def _register_checked_problem(case: Case, changes: list[Change]) -> list[tuple[str, str]]:
    """The register was asked about the old NIK: its answer must not be printed for a new one."""
    evidence = last_check_evidence(case)
    if not evidence or evidence.get("nik") == case.subject_or_applicant_nik:
        return []
    field = next((c.field for c in changes if c.field.endswith(".nik")), "subject.nik")
    check = kind_of(StepKind.REGISTRY_CHECK).label
    reason = (
        f"{CORRECTABLE[field].label}: NIK yang diperiksa pada langkah {check} tidak dapat "
        "dikoreksi, karena surat menyatakan hasil pemeriksaan NIK itu. Bila NIK-nya memang "
        "salah, daftarkan permohonan baru dengan NIK yang benar."
    )
    return [(field, reason)]


def case_pause(*, case_id: int, user, reason: str) -> Case:
    """Stop the clock while the case waits for the applicant or an outside party."""
    if not reason.strip():
        raise CaseError("Sebutkan apa yang ditunggu.", field="reason")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        require(user, case.office, Right.PAUSE)
        if case.state != CaseState.OPEN:
            raise CaseConflict("Hanya permohonan yang berjalan dapat dijeda.")
        case.state = CaseState.WAITING
        case.paused_at = timezone.now()
        case.pauses = [*case.pauses, {"start": case.paused_at.isoformat(), "reason": reason}]
        # While the clock stands still there is no deadline to miss.
        case.step_deadline = None
        case.deadline = None
        case.save(update_fields=["state", "paused_at", "pauses", "step_deadline", "deadline"])
    return case


def case_resume(*, case_id: int, user) -> Case:
    """Restart the clock; deadlines move by the working time the pause took."""
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("office").get(pk=case_id)
        require(user, case.office, Right.PAUSE)
        if case.state != CaseState.WAITING:
            raise CaseConflict("Permohonan tidak sedang dijeda.")
        now = timezone.now()
        case.pauses = [*case.pauses[:-1], {**case.pauses[-1], "end": now.isoformat()}]
        case.state = CaseState.OPEN
        case.paused_at = None
        doc = case_doc(case)
        started = case.step_started_at or now  # an open case has entered its step
        case.step_deadline = sla.step_deadline(case, doc.step_map[case.current_step], started)
        case.deadline = sla.case_deadline(case, doc)
        case.save(update_fields=["state", "paused_at", "pauses", "step_deadline", "deadline"])
    return case


def attachment_choices(doc: ServiceDoc) -> dict[str, str]:
    """What a scan may be attached to (key -> label): papers people bring, and forms'
    photo/file fields. A register entry is checked by the system, never uploaded."""
    choices = {r.key: r.label for r in brought(doc)}
    for step in doc.steps:
        for field in step.fields:
            if is_attachment(field):
                choices.setdefault(field.key, field.label)
    return choices


def attachment_add(*, case_id: int, user, requirement: str, upload) -> Attachment:
    """Keep a scan for a requirement (or a form's photo/file field) of an open case."""
    case = Case.objects.select_related("office", "version").get(pk=case_id)
    require(user, case.office, Right.ACT)
    if not case.is_open:
        raise CaseConflict("Permohonan sudah selesai; lampiran tidak dapat ditambah.")
    choices = attachment_choices(case_doc(case))
    if requirement not in choices:
        known = "; ".join(choices.values())
        raise CaseError(f"Pilih persyaratan yang dilampiri: {known}.",
                        field="requirement")  # fmt: skip
    try:
        content_type, extension = scan_examine(
            upload, limit_bytes=settings.CASE_MAX_ATTACHMENT_BYTES
        )
    except ScanRefused as exc:
        raise CaseError(str(exc), field="file") from exc
    digest = hashlib.sha256()
    upload.seek(0)
    for block in upload.chunks():
        digest.update(block)
    upload.seek(0)
    original_name = upload.name[:300]
    upload.name = f"{requirement}{extension}"  # stored under a name Layan chose
    return Attachment.objects.create(
        case=case, requirement=requirement, file=upload, original_name=original_name,
        content_type=content_type, size=upload.size, sha256=digest.hexdigest(), uploaded_by=user,
    )  # fmt: skip


def referrals_reconcile(*, snapshot: Snapshot) -> list[Referral]:
    """Mark open referrals whose person is in a newly active snapshot as fulfilled.

    This is the system comparing its own records, not a staff lookup, so it is
    not written to the lookup log. Only people inside the referring office's
    region count, as for any lookup of that office.
    """
    waiting = Referral.objects.filter(fulfilled_at__isnull=True).select_related("office")
    waiting = waiting.filter(regions_within_q("office__region_code", snapshot.region_code))
    fulfilled = []
    now = timezone.now()
    for referral in waiting:
        row = storage.person_by_nik(snapshot.table_name, int(referral.nik))
        if row is None:
            continue
        if not in_region(person_from_row(row).area_code, referral.office.region_code):
            continue
        referral.fulfilled_at = now
        referral.fulfilled_snapshot = snapshot
        referral.save(update_fields=["fulfilled_at", "fulfilled_snapshot"])
        fulfilled.append(referral)
    return fulfilled
