"""Cases: creating one, acting on its steps, pausing the clock. Every change writes its record.

`case_act` is the one way a case moves: it locks the case row, checks that the
step asked for is the current one (else a conflict: someone acted first), that
the user holds the step's role at the case's office, and that the outcome and
data fit the step's kind; then it records the step and moves the case on.
"""

import dataclasses
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from layan.cases import engine, sla
from layan.cases.models import (
    Attachment,
    Case,
    CaseState,
    Referral,
    StepRecord,
    tracking_code_new,
)
from layan.catalogue.models import ServiceVersion
from layan.catalogue.schema import ServiceDoc, Step, StepKind
from layan.catalogue.selectors import version_doc
from layan.core.nik import nik_problem
from layan.offices.models import Membership, Office, Role
from layan.registry import storage
from layan.registry.models import Snapshot
from layan.registry.selectors import person_from_row
from layan.registry.services import registry_lookup


class CaseError(Exception):
    """An action that does not fit the case; names the field and the reason (HTTP 422)."""

    def __init__(self, message: str, *, field: str = ""):
        self.field = field
        super().__init__(message)


class CaseConflict(Exception):
    """Someone else already acted on this step (HTTP 409)."""


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


@dataclass(frozen=True)
class StepEffect:
    """What a step hook did: the data to record, and other cases that move with this one.

    `companions` are cases of the same batch (one letter for many proposals),
    already locked by the hook and standing at the same step.
    """

    data: dict
    companions: list[Case] = dataclasses.field(default_factory=list)


# Higher apps do the work of some step kinds (letters: draft, paraf, signature)
# without this app importing them: they register a hook, called inside
# case_act's transaction after the outcome is checked. A hook raising rolls
# the whole action back.
StepHook = Callable[..., StepEffect]
_STEP_HOOKS: dict[StepKind, StepHook] = {}


def step_hook_register(kind: StepKind, hook: StepHook) -> None:
    _STEP_HOOKS[kind] = hook


def roles_of(user, office: Office) -> set[str]:
    return set(
        Membership.objects.filter(user=user, office=office, is_active=True).values_list(
            "role", flat=True
        )
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
) -> Case:
    """Register a request; the intake step is done by whoever registers it."""
    if not roles_of(user, office):
        raise PermissionDenied("Anda bukan staf kantor ini.")
    service = office.services.filter(code=service_code, is_published=True).first()
    if service is None:
        raise CaseError(f"Layanan '{service_code}' tidak ada di kantor ini.", field="service")
    _check_person(applicant.name, applicant.nik, prefix="applicant")
    subject = subject or Subject()
    if subject.name or subject.nik:
        _check_person(subject.name, subject.nik, prefix="subject")
    version = service.versions.order_by("-number").first()
    doc = version_doc(version)
    with transaction.atomic():
        case = _case_insert(office, service, version, applicant, subject, user)
        _enter_step(case, doc, doc.steps[0], timezone.now())
        case.deadline = sla.case_deadline(case, doc)
        case.save()
        if doc.steps[0].kind == StepKind.INTAKE:
            _act(case, doc, doc.steps[0], user, engine.CONTINUE, "", {}, role=Role.PETUGAS)
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
        if step != case.current_step:
            raise CaseConflict(
                f"Langkah '{step}' bukan langkah saat ini ('{case.current_step}'); "
                "mungkin sudah dikerjakan orang lain."
            )
        doc = case_doc(case)
        current = doc.step_map[step]
        role = _acting_role(user, case, doc, current)
        outcome, data = _decide(case, doc, current, user, outcome, note, data or {})
        hook = _STEP_HOOKS.get(current.kind)
        if hook is None:
            data = {k: v for k, v in data.items() if k != "password"}  # never kept
            return _act(case, doc, current, user, outcome, note, data, role=role)
        effect = hook(case=case, doc=doc, step=current, user=user, outcome=outcome, note=note,
                      data=data)  # fmt: skip
        record = _act(case, doc, current, user, outcome, note, effect.data, role=role)
        for other in effect.companions:
            other_doc = case_doc(other)
            _act(other, other_doc, other_doc.step_map[other.current_step], user, outcome, note,
                 {**effect.data, "bersama": case.tracking_code}, role=role)  # fmt: skip
        return record


def _acting_role(user, case: Case, doc: ServiceDoc, step: Step) -> str:
    """The role the user acts in; the applicant's own steps are done by the front office."""
    needed = doc.staff_role(step)
    held = roles_of(user, case.office)
    if not held:
        raise PermissionDenied("Anda bukan staf kantor ini.")
    if needed not in held:
        label = doc.actors[step.actor].label
        raise PermissionDenied(f"Langkah ini dikerjakan oleh {label} (peran {needed}).")
    return needed


def _decide(case, doc, step: Step, user, outcome, note, data) -> tuple[str, dict]:
    """Check the outcome and data a step needs; the system decides a registry check."""
    if step.kind == StepKind.REGISTRY_CHECK:
        if outcome:
            raise CaseError("Hasil pengecekan register ditentukan sistem.", field="outcome")
        return _registry_check(case, user)
    allowed = engine.step_outcomes(step)
    if outcome is None and len(allowed) == 1:
        outcome = allowed[0]
    if outcome not in allowed:
        raise CaseError(f"Hasil harus salah satu dari: {', '.join(allowed)}.", field="outcome")
    if outcome in engine.RETURN_OUTCOMES and not note.strip():
        raise CaseError("Sebutkan alasannya di catatan.", field="note")
    checker = _DATA_CHECKS.get(step.kind)
    if checker:
        data = checker(case, doc, step, outcome, data)
    return outcome, data


def _registry_check(case: Case, user) -> tuple[str, dict]:
    result = registry_lookup(
        office=case.office, user=user, nik=case.subject_or_applicant_nik,
        case_ref=case.tracking_code,
    )  # fmt: skip
    evidence = {
        "nik": case.subject_or_applicant_nik,
        "found": result.found,
        "snapshot": result.snapshot.pk if result.snapshot else None,
        "source": result.snapshot.source if result.snapshot else None,
        "period": result.snapshot.period if result.snapshot else None,
        "message": result.message,
    }
    return ("terdaftar" if result.found else "tidak_terdaftar"), evidence


def _check_checklist(case: Case, doc: ServiceDoc, step: Step, outcome: str, data: dict) -> dict:
    """'lengkap' needs every required item ticked; 'tidak lengkap' names what is missing."""
    required = [r.key for r in doc.requirements if not r.optional and not r.registry]
    known = {r.key for r in doc.requirements}
    checked = data.get("checked", [])
    if not isinstance(checked, list) or not set(checked) <= known:
        raise CaseError(f"Persyaratan dikenal: {', '.join(sorted(known))}.", field="data.checked")
    missing = [key for key in required if key not in checked]
    if outcome == "lengkap" and missing:
        raise CaseError(f"Belum lengkap: {', '.join(missing)}.", field="data.checked")
    if outcome == "tidak_lengkap" and not missing:
        raise CaseError("Semua persyaratan dicentang; pilih 'lengkap'.", field="outcome")
    return {"checked": checked, "missing": missing}


def _check_form(case: Case, doc: ServiceDoc, step: Step, outcome: str, data: dict) -> dict:
    values = data.get("fields", data)
    if not isinstance(values, dict):
        raise CaseError("Isian harus berupa pemetaan nama: nilai.", field="data")
    attached = set(case.attachments.values_list("requirement", flat=True))
    for field in step.fields:
        present = (
            field.key in attached if field.type in ("photo", "file") else values.get(field.key)
        )
        if field.required and not present:
            raise CaseError(f"{field.label} wajib diisi.", field=f"data.{field.key}")
    return {"fields": {f.key: values.get(f.key) for f in step.fields if f.key in values}}


def _check_disposition(case: Case, doc: ServiceDoc, step: Step, outcome: str, data: dict) -> dict:
    to = str(data.get("to") or "").strip()
    if not to:
        raise CaseError("Sebutkan kepada siapa/bidang mana disposisi diberikan.", field="data.to")
    return {"to": to, "route": step.route}


_DATA_CHECKS = {
    StepKind.CHECKLIST: _check_checklist,
    StepKind.FORM: _check_form,
    StepKind.DISPOSITION: _check_disposition,
}


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
    if step.kind == StepKind.CHECKLIST:
        case.requirements_checked = data.get("checked", [])
    if step.kind == StepKind.REFER:
        Referral.objects.create(
            case=case, office=case.office, to=step.to, nik=case.subject_or_applicant_nik,
            reason=note.strip(),
        )  # fmt: skip
    target = engine.step_target(step, outcome)
    if engine.is_end(target):
        _finish(case, target, now)
    else:
        _enter_step(case, doc, doc.step_map[target], now)
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


def case_pause(*, case_id: int, user, reason: str) -> Case:
    """Stop the clock while the case waits for the applicant or an outside party."""
    if not reason.strip():
        raise CaseError("Sebutkan apa yang ditunggu.", field="reason")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        if not roles_of(user, case.office):
            raise PermissionDenied("Anda bukan staf kantor ini.")
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
        if not roles_of(user, case.office):
            raise PermissionDenied("Anda bukan staf kantor ini.")
        if case.state != CaseState.WAITING:
            raise CaseConflict("Permohonan tidak sedang dijeda.")
        now = timezone.now()
        case.pauses = [*case.pauses[:-1], {**case.pauses[-1], "end": now.isoformat()}]
        case.state = CaseState.OPEN
        case.paused_at = None
        doc = case_doc(case)
        case.step_deadline = sla.step_deadline(case, doc.step_map[case.current_step],
                                               case.step_started_at)  # fmt: skip
        case.deadline = sla.case_deadline(case, doc)
        case.save(update_fields=["state", "paused_at", "pauses", "step_deadline", "deadline"])
    return case


# Magic numbers of the scan types accepted; the file name is not trusted.
_SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)


def sniff_content_type(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) from a file's first bytes, or None for anything else."""
    for magic, content_type, extension in _SIGNATURES:
        if head.startswith(magic):
            return content_type, extension
    return None


def attachment_add(*, case_id: int, user, requirement: str, upload) -> Attachment:
    """Keep a scan for a requirement (or a form's photo/file field) of an open case."""
    case = Case.objects.select_related("office", "version").get(pk=case_id)
    if not roles_of(user, case.office):
        raise PermissionDenied("Anda bukan staf kantor ini.")
    if not case.is_open:
        raise CaseConflict("Permohonan sudah selesai; lampiran tidak dapat ditambah.")
    doc = case_doc(case)
    keys = {r.key for r in doc.requirements} | {
        f.key for s in doc.steps for f in s.fields if f.type in ("photo", "file")
    }
    if requirement not in keys:
        raise CaseError(f"Persyaratan '{requirement}' tidak dikenal.", field="requirement")
    limit = settings.CASE_MAX_ATTACHMENT_BYTES
    if upload.size > limit:
        raise CaseError(f"Berkas lebih dari {limit // 1_000_000} MB.", field="file")
    if upload.size == 0:
        raise CaseError("Berkas kosong.", field="file")
    upload.seek(0)
    sniffed = sniff_content_type(upload.read(16))
    if sniffed is None:
        raise CaseError("Berkas harus PDF, JPEG atau PNG (diperiksa dari isinya).", field="file")
    digest = hashlib.sha256()
    upload.seek(0)
    for block in upload.chunks():
        digest.update(block)
    upload.seek(0)
    content_type, extension = sniffed
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
    from layan.registry.scope import in_region, regions_within_q

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
