"""Letters: draft, paraf, return, sign, revoke, download. Every change writes its event.

Draft, paraf and signature are done by the case's steps (see `hooks`), inside
`case_act`'s transaction: a failed signature leaves the case, the letter and
the number sequence as they were.
"""

import dataclasses
import hashlib
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import DatabaseError, transaction
from django.utils import timezone

from layan.cases.models import Case, CaseState
from layan.cases.services import CaseConflict, CaseError, _acting_role, case_doc
from layan.catalogue.schema import LetterTemplate, ServiceDoc, Step, StepKind
from layan.letters import content
from layan.letters.keys import signer_key_for
from layan.letters.models import (
    Letter,
    LetterCase,
    LetterEvent,
    LetterRevision,
    LetterState,
    RevisionKind,
    verify_code_new,
)
from layan.letters.numbering import number_take
from layan.letters.pdf import (
    FIELD_ATTACHMENT_DATE,
    FIELD_ATTACHMENT_NUMBER,
    FIELD_DATE,
    FIELD_NUMBER,
    letter_render,
)
from layan.letters.pdf.appearance import (
    FOOTER_FIELD,
    VERIFICATION_FIELD,
    WATERMARK_FIELD,
    draw_nothing,
    footer_drawer,
    paraf_drawer,
    signature_drawer,
    verification_drawer,
)
from layan.letters.pdf.signature import QR_SIZE
from layan.letters.selectors import letter_of_case
from layan.letters.signing import SignRequest, pdf_sign
from layan.offices.rights import Right, require
from layan.registry.models import MONTHS


class LetterError(CaseError):
    """A letter action that cannot be done as asked (HTTP 422), with the field at fault."""


def template_of(doc: ServiceDoc, code: str) -> LetterTemplate:
    return next(t for t in doc.letters if t.code == code)


def initials(name: str) -> str:
    """'Andi Kepala, S.Sos' -> 'AK': what a paraf box can hold legibly."""
    words = name.split(",")[0].replace(".", " ").split()
    return "".join(word[0].upper() for word in words if word[0].isalpha())[:4] or name[:4]


def date_text(moment) -> str:
    """'30 November 2026' in the office's own calendar (the caller localises)."""
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _revision_add(letter: Letter, kind: str, pdf: bytes, user) -> LetterRevision:
    seq = letter.revisions.count() + 1
    return LetterRevision.objects.create(
        letter=letter, seq=seq, kind=kind, pdf=pdf, sha256=_sha256(pdf), user=user
    )


def letter_current_pdf(letter: Letter) -> bytes:
    # bytes(): PostgreSQL hands a BinaryField back as a memoryview.
    return bytes(letter.revisions.order_by("-seq").values_list("pdf", flat=True)[0])


def _event(letter: Letter, action: str, user, note: str = "") -> None:
    LetterEvent.objects.create(letter=letter, action=action, user=user, note=note)


def _batch_members(case: Case, step: Step) -> list[Case]:
    """The cases one collective letter covers: every open case of the service at this step."""
    others = (
        Case.objects.filter(
            office=case.office, service=case.service, state=CaseState.OPEN,
            current_step=step.key,
        )
        .exclude(pk=case.pk)
        .order_by("created_at", "id")
    )  # fmt: skip
    return [case, *_locked(others)]


def _locked(query) -> list[Case]:
    # NOWAIT: a companion held by someone else's action is a conflict to retry, not a
    # lock to wait on (two officers acting on two cases of one batch would deadlock).
    try:
        return list(query.select_for_update(nowait=True).select_related("office", "version"))
    except DatabaseError as exc:
        raise CaseConflict("Permohonan lain dalam surat ini sedang dikerjakan; coba lagi.") from exc


def _draft_layout(case: Case, doc: ServiceDoc, step: Step, members: list[Case], code: str):
    assert step.letter is not None  # the schema refuses a draft_letter step without one
    template = template_of(doc, step.letter)
    return content.letter_layout(template=template, doc=doc, cases=members, code=code)


def _content_sha256(layout) -> str:
    """What a draft says, whatever its verification code: the same letter hashes the same."""
    neutral = dataclasses.replace(layout, verify_url="", footer="")
    return _sha256(repr(neutral).encode())


def _members(case: Case, doc: ServiceDoc, step: Step) -> list[Case]:
    assert step.letter is not None
    return _batch_members(case, step) if template_of(doc, step.letter).batch else [case]


def _draft_make(case: Case, doc: ServiceDoc, step: Step, user, members: list[Case]) -> Letter:
    """Render and store a draft of the step's letter for the case (or its batch); no number."""
    assert step.letter is not None
    template = template_of(doc, step.letter)
    code = verify_code_new()
    layout = _draft_layout(case, doc, step, members, code)
    rendered = letter_render(layout)
    named = layout.signer
    person = case.subject_name or case.applicant_name
    letter = Letter.objects.create(
        office=case.office, case=case, template=template.code, name=template.name,
        service_name=doc.name, verify_code=code, subject_masked=content.name_masked(person),
        series=template.numbering.series or template.code, created_by=user,
        boxes={"signature": list(rendered.signature_box), "stamp": list(rendered.stamp_box),
               "parafs": {k: list(v) for k, v in rendered.paraf_boxes.items()}},
        content_sha256=_content_sha256(layout), signer_name=named.name,
        signer_title=" ".join(named.title_lines).rstrip(","), signer_nip=named.nip,
    )  # fmt: skip
    LetterCase.objects.bulk_create(
        [LetterCase(letter=letter, case=member, order=i) for i, member in enumerate(members)]
    )
    _revision_add(letter, RevisionKind.DRAFT, rendered.pdf, user)
    _event(letter, "draf", user, f"{len(members)} permohonan" if template.batch else "")
    return letter


def _prepared(case: Case) -> Letter | None:
    """The draft made for the officer to read at the case's draft step, not sent on yet.

    Found through its cases, so a batch's draft made from one proposal's page is the
    one sent from another's.
    """
    return (
        Letter.objects.select_for_update()
        .filter(memberships__case=case, state=LetterState.DRAFT)
        .exclude(revisions__kind__in=[RevisionKind.PARAF, RevisionKind.SIGNATURE])
        .order_by("-created_at", "-id")
        .first()
    )


def letter_draft_prepare(*, case_id: int, user) -> Letter:
    """Draft the letter so the officer reads it before sending it on; the case stays put.

    A draft made earlier and not sent is replaced (kept, marked `diganti`). Sending it
    on is the draft_letter step itself (`letter_draft`), which uses this draft.
    """
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("office", "version").get(pk=case_id)
        doc = case_doc(case)
        step = doc.step_map.get(case.current_step)
        if not case.is_open or step is None or step.kind != StepKind.DRAFT_LETTER:
            raise CaseConflict("Permohonan ini tidak sedang di langkah pembuatan surat.")
        if case.state == CaseState.WAITING:
            raise CaseError("Permohonan sedang dijeda; lanjutkan dulu.", field="step")
        _acting_role(user, case, doc, step)
        earlier = _prepared(case)
        if earlier is not None:
            earlier.state = LetterState.REPLACED
            earlier.save(update_fields=["state"])
            _event(earlier, "diganti", user)
        return _draft_make(case, doc, step, user, _members(case, doc, step))


def letter_draft(
    *, case: Case, doc: ServiceDoc, step: Step, user, data: dict
) -> tuple[Letter, list[Case]]:
    """Send the draft on: the one the officer made and read (`letter_draft_prepare`), or a
    new one when none was made (the API's single call). No number yet.

    A draft made earlier that no longer says what the case would say now (a correction,
    another case of the batch arrived) is refused: the officer makes and reads it again.
    When the step says `paraf: true` the drafter initials it at once (Banyuasin's
    supervisor "menyiapkan draft … dan diparaf").
    """
    if step.paraf:
        _confirm(user, data, "paraf")
    letter = _prepared(case)
    if letter is None:
        letter = _draft_make(case, doc, step, user, _members(case, doc, step))
    else:
        # The draft's own order (its first case words the letter), against who waits now.
        members = [m.case for m in letter.memberships.select_related("case").order_by("order")]
        current = _members(case, doc, step)
        same_cases = {m.pk for m in current} == {m.pk for m in members}
        layout = _draft_layout(members[0], doc, step, members, letter.verify_code)
        if not same_cases or letter.content_sha256 != _content_sha256(layout):
            raise LetterError(
                "Isi permohonan berubah setelah draf dibuat; buat draf lagi dan periksa "
                "sebelum mengirimnya.", field="step",
            )  # fmt: skip
    if step.paraf:
        _paraf_add(letter, case, doc, step, user)
    others = Case.objects.filter(letter_memberships__letter=letter).exclude(pk=case.pk)
    return letter, _locked(others.order_by("letter_memberships__order"))


def _letter_in_progress(case: Case) -> tuple[Letter, list[Case]]:
    letter = letter_of_case(case)
    if letter is None or letter.state != LetterState.DRAFT:
        raise LetterError("Belum ada draf surat untuk permohonan ini.", field="step")
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    others = Case.objects.filter(letter_memberships__letter=letter).exclude(pk=case.pk)
    companions = _locked(others.filter(state=CaseState.OPEN, current_step=case.current_step))
    return letter, companions


def _confirm(user, data: dict, what: str) -> None:
    password = str(data.get("password") or "")
    if not password:
        raise LetterError(f"Masukkan kata sandi Anda untuk {what}.", field="data.password")
    if not user.check_password(password):
        raise LetterError(f"Kata sandi salah; {what} tidak dibuat.", field="data.password")


def letter_paraf(*, case: Case, doc: ServiceDoc, step: Step, user, data: dict):
    """Initial the draft: a PAdES signature of the approver, as a new revision."""
    _confirm(user, data, "paraf")
    letter, companions = _letter_in_progress(case)
    _paraf_add(letter, case, doc, step, user)
    return letter, companions


def _paraf_add(letter: Letter, case: Case, doc: ServiceDoc, step: Step, user) -> None:
    label = content.paraf_labels(doc).get(step.key, doc.actors[step.actor].label)
    box = letter.boxes.get("parafs", {}).get(label)
    request = SignRequest(
        field_name=step.key, box=tuple(box) if box else None,
        reason=f"Paraf {label}", location=case.office.name,
        look=paraf_drawer(initials(user.full_name or user.username)),
    )  # fmt: skip
    pdf = pdf_sign(letter_current_pdf(letter), key=signer_key_for(case.office, user),
                   request=request)  # fmt: skip
    _revision_add(letter, RevisionKind.PARAF, pdf, user)
    _event(letter, "paraf", user, label)


def letter_return(*, case: Case, user, note: str):
    """Send the draft back: it is closed as returned; a new draft is made next time."""
    letter, companions = _letter_in_progress(case)
    letter.state = LetterState.RETURNED
    letter.save(update_fields=["state"])
    _event(letter, "dikembalikan", user, note.strip())
    return letter, companions


def _plain(text: str) -> str:
    return " ".join(text.replace(",", " ").replace(".", " ").lower().split())


def _signer_check(letter: Letter, user) -> None:
    """Only the person the letter names signs it: the block shows the signer's own name and
    NIP (Permendagri 1/2023 Pasal 44 ayat (3); docs/design/letters.md).

    Compared by NIP where both have one, else by name; an account with neither (a test
    or demo account) has nothing to compare.
    """
    if letter.signer_nip and user.nip:
        same = re.sub(r"\D", "", letter.signer_nip) == re.sub(r"\D", "", user.nip)
    elif letter.signer_name and user.full_name:
        same = _plain(letter.signer_name) == _plain(user.full_name)
    else:
        return
    if not same:
        nip = f" (NIP. {letter.signer_nip})" if letter.signer_nip else ""
        raise LetterError(
            f"Surat ini disiapkan untuk ditandatangani oleh {letter.signer_name}{nip}, "
            f"bukan oleh {user.full_name or user.username}. Bila Anda pelaksana tugas atau "
            "pelaksana harian, minta admin kantor mencatat Anda sebagai kepala dinas (Plt./Plh.), "
            "lalu kembalikan draf agar dibuat ulang atas nama Anda.",
            field="step",
        )


def letter_sign(*, case: Case, doc: ServiceDoc, step: Step, user, data: dict):
    """Sign: take the next number, fill number and date, add the signature; the letter is issued."""
    _confirm(user, data, "tanda tangan")
    letter, companions = _letter_in_progress(case)
    _signer_check(letter, user)
    template = template_of(doc, letter.template)
    office = case.office
    now = timezone.now()
    local = timezone.localtime(now, ZoneInfo(office.time_zone))
    seq, number, period = number_take(office=office, series=letter.series,
                                      numbering=template.numbering, on=local.date())  # fmt: skip
    name = user.full_name or letter.signer_name or user.username
    request = SignRequest(
        field_name="ttd", box=tuple(letter.boxes["signature"]),
        reason=f"Penandatanganan surat {number}", location=office.name,
        look=signature_drawer(name, user.nip, date_text(local)),
        fill={
            FIELD_NUMBER: number, FIELD_DATE: date_text(local),
            FIELD_ATTACHMENT_NUMBER: number, FIELD_ATTACHMENT_DATE: date_text(local),
        },
        looks=_issued_looks(letter),
        required=(FIELD_NUMBER, FIELD_DATE),
    )  # fmt: skip
    pdf = pdf_sign(letter_current_pdf(letter), key=signer_key_for(office, user), request=request)
    _revision_add(letter, RevisionKind.SIGNATURE, pdf, user)
    letter.state = LetterState.ISSUED
    letter.seq, letter.number, letter.period = seq, number, period
    letter.issued_at, letter.signed_by, letter.sha256 = now, user, _sha256(pdf)
    if not letter.signer_title:  # a draft made before the letter recorded its signer
        sign = content.signatory(office, doc, template)
        letter.signer_title = " ".join(sign.title_lines).rstrip(",")
    letter.signer_name = name
    letter.save()
    _event(letter, "terbit", user, number)
    return letter, companions


def _issued_looks(letter: Letter) -> dict:
    """What a signed letter shows where its draft showed DRAF: no watermark, the e-signature
    footer and the QR of its verification page."""
    url = content.verify_url(letter.verify_code)
    return {
        WATERMARK_FIELD: ("", draw_nothing),
        FOOTER_FIELD: ("terbit", footer_drawer(content.issued_footer(letter.verify_code))),
        VERIFICATION_FIELD: ("terbit", verification_drawer(url, QR_SIZE)),
    }


def letter_revoke(*, letter_id: int, user, reason: str) -> Letter:
    """Revoke an issued letter (kadin only); the archive keeps it, verification says revoked."""
    if not reason.strip():
        raise LetterError("Sebutkan alasan pencabutan.", field="reason")
    with transaction.atomic():
        letter = Letter.objects.select_for_update().select_related("office").get(pk=letter_id)
        require(user, letter.office, Right.REVOKE)
        if letter.state != LetterState.ISSUED:
            raise CaseConflict(
                f"Surat berstatus {letter.get_state_display().lower()}; tidak dapat dicabut."
            )
        letter.state = LetterState.REVOKED
        letter.revoked_at, letter.revoked_by = timezone.now(), user
        letter.revoke_reason = reason.strip()
        letter.save(update_fields=["state", "revoked_at", "revoked_by", "revoke_reason"])
        _event(letter, "dicabut", user, letter.revoke_reason)
    return letter


@dataclass(frozen=True)
class LetterFile:
    name: str
    pdf: bytes


def letter_download(*, letter: Letter, user) -> LetterFile:
    """The letter's current PDF for staff of its office (logged: reprints are counted)."""
    require(user, letter.office, Right.ACT)  # any of its staff, as the case page shows it
    pdf = letter_current_pdf(letter)
    if letter.is_issued and _sha256(pdf) != letter.sha256:
        # The archive must not hand out a letter that differs from what was issued.
        raise RuntimeError(f"Arsip surat {letter.number} tidak cocok dengan hash-nya.")
    _event(letter, "unduh", user)
    stem = (letter.number or f"draf-{letter.case.tracking_code}").replace("/", "-")
    return LetterFile(name=f"{stem}.pdf", pdf=pdf)
