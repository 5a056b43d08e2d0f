"""What a letter says: its template filled in for a case (or a batch of cases).

Placeholders are filled from the case, its register check, the office and the
service; the result is a `LetterLayout` for the renderer. Values are plain
text (the renderer escapes them), so an applicant's name cannot inject markup.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings

from layan.cases.models import Case
from layan.cases.presenting import nik_masked
from layan.cases.steps import kind_of
from layan.cases.steps.registry_check import last_check_evidence
from layan.catalogue.schema import LetterTemplate, ServiceDoc
from layan.letters.pdf import Letterhead, LetterLayout, SignatureBlock
from layan.offices.models import Membership, Office, Role
from layan.registry.models import Source, period_label

_BRACES = re.compile(r"\{([a-z_]+)\}")
GENERIC_HEAD_TITLE = "Kepala Dinas Sosial"
SEE_REGISTER = "(tidak ada data register)"


def verify_url(code: str) -> str:
    return f"{settings.PUBLIC_URL}/verifikasi/{code}/"


def registry_evidence(case: Case) -> dict:
    """The data of the case's last register check (found, source, period), or {}."""
    return last_check_evidence(case)


def case_values(
    case: Case, template: LetterTemplate, doc: ServiceDoc, evidence: dict, *, batch: int = 1
) -> dict:
    """Every placeholder's value for one case, `evidence` being its register check's data."""
    office = case.office
    show = nik_masked if template.nik == "masked" else (lambda nik: nik)
    person_nik = case.subject_nik or case.applicant_nik
    source = evidence.get("source")
    return {
        "applicant_name": case.applicant_name,
        "applicant_nik": show(case.applicant_nik),
        "applicant_address": case.applicant_address or "-",
        "person_name": case.subject_name or case.applicant_name,
        "person_nik": show(person_nik),
        "subject_relation": case.subject_relation or "-",
        "school": (case.subject_data or {}).get("sekolah") or "-",
        "registry_source": Source(source).label if source else SEE_REGISTER,
        "registry_period": period_label(evidence["period"]) if evidence.get("period") else "-",
        "registry_result": "terdaftar" if evidence.get("found") else "tidak terdaftar",
        "office_name": office.name,
        "region_name": office.region_name,
        "government": office.government,
        "service_name": doc.name,
        "tracking_code": case.tracking_code,
        "batch_count": str(batch),
    }


def fill(text: str, values: dict) -> str:
    return _BRACES.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def _texts(template: LetterTemplate, evidence: dict) -> dict:
    """The template's text, with the variant for the case's register result laid over it."""
    found = evidence.get("found")
    variant = template.variants.get("terdaftar" if found else "tidak_terdaftar")
    parts = {}
    for name in ("title", "opening", "fields", "body", "closing"):
        override = getattr(variant, name) if variant else None
        parts[name] = override if override is not None else getattr(template, name)
    return parts


@dataclass(frozen=True)
class Signatory:
    """Who the letter names as its signer, and how the block reads (Plt./Plh./a.n.)."""

    name: str
    nip: str
    title_lines: list[str]
    place: str
    rank: str = ""


def signatory(office: Office, doc: ServiceDoc, template: LetterTemplate) -> Signatory:
    """Who signs: the head of office as the office records them, definitive or acting.

    Permendagri 1/2023 Pasal 44 ayat (3): an official other than the regional head, the
    deputy and the sekda signs under their name with degrees, NIP and pangkat/golongan;
    the exceptions of ayat (4) and (5) (no degrees, NIP or rank) are for acting regional
    heads and sekda only, so a Plt. or Plh. Kepala Dinas shows their own NIP like a
    definitive one, with the prefix before the jabatan. The office's head record says
    who holds the post now (an acting head is recorded there, with Plt./Plh.); without
    one, the SOP's signer, else the office's only kadin with a name. Signed for the head
    by another official, the block reads "a.n." (the SOP says so). See
    docs/design/letters.md, "Who signs".
    """
    signer = template.signer or doc.signer
    kadin = (
        Membership.objects.filter(office=office, role=Role.KADIN, is_active=True)
        .exclude(user__full_name="")
        .select_related("user")
        .order_by("id")
        .first()
    )
    from_record = bool(office.head_name)
    name = (
        office.head_name
        or (signer.name if signer else "")
        or (kadin.user.full_name if kadin else "")
    )
    if from_record:
        nip = office.head_nip
    else:
        nip = (signer.nip if signer and signer.name else "") or (kadin.user.nip if kadin else "")
    rank = signer.rank if signer and not from_record and signer.name else ""
    head_title = office.head_title or GENERIC_HEAD_TITLE
    if head_title == GENERIC_HEAD_TITLE:  # a letter names the office: "… Kabupaten Bone"
        head_title = f"Kepala {office.name}"
    if signer and signer.acting == "a.n.":
        lines = [f"a.n. {head_title}", f"{signer.title},"]
        name, nip, rank = signer.name or name, signer.nip or nip, signer.rank
    else:
        acting = office.head_acting if from_record else (signer.acting if signer else "")
        title = head_title if office.head_title or not signer else signer.title
        lines = [f"{acting} {title},".strip()]
    place = office.region_name.removeprefix("Kabupaten ").removeprefix("Kota ")
    return Signatory(name=name or "(nama penanda tangan)", nip=nip, title_lines=lines,
                     place=place, rank=rank)  # fmt: skip


def letter_layout(
    *, template: LetterTemplate, doc: ServiceDoc, cases: Sequence[Case], code: str
) -> LetterLayout:
    """The whole letter for its first case, with the batch table when the template has one."""
    case = cases[0]
    office = case.office
    evidence = registry_evidence(case)
    values = case_values(case, template, doc, evidence, batch=len(cases))
    texts = _texts(template, evidence)
    sign = signatory(office, doc, template)
    table = None
    if template.batch:
        headers = ["No", *[column.label for column in template.batch.columns]]
        rows = []
        for number, member in enumerate(cases, start=1):
            member_values = (
                values
                if member is case
                else case_values(member, template, doc, registry_evidence(member), batch=len(cases))
            )
            rows.append(
                [str(number), *[fill(c.value, member_values) for c in template.batch.columns]]
            )
        table = (headers, rows)
    head = office.letterhead or {}
    return LetterLayout(
        paper=template.paper,
        letterhead=Letterhead(
            lines=list(head.get("lines") or [office.government.upper(), office.name.upper()]),
            address=head.get("address") or office.address,
            website=head.get("website") or office.website,
            email=head.get("email") or office.email,
            logo=_logo(office),
        ),
        title=fill(texts["title"] or "", values),
        meta=[(line.label, fill(line.value, values)) for line in template.meta],
        recipient=[fill(line, values) for line in template.recipient],
        opening=[fill(text, values) for text in texts["opening"]],
        fields=[(line.label, fill(line.value, values)) for line in texts["fields"]],
        body=[fill(text, values) for text in texts["body"]],
        closing=[fill(text, values) for text in texts["closing"]],
        attachment_title=template.batch.title if template.batch else "",
        table=table,
        parafs=list(paraf_labels(doc).values()),
        signer=SignatureBlock(
            place=sign.place,
            title_lines=sign.title_lines,
            name=sign.name,
            nip=sign.nip,
            rank=sign.rank,
        ),
        verify_url=verify_url(code),
        footer=issued_footer(code),
    )


def issued_footer(code: str) -> str:
    """The footer of a signed letter (a draft's says it is not signed yet)."""
    return (
        "Dokumen ini ditandatangani secara elektronik. Keasliannya dapat diperiksa dengan "
        f"memindai kode QR atau di {verify_url(code)}"
    )


PARAF_LABELS = {
    "petugas": "Petugas",
    "operator": "Operator",
    "supervisor": "Supervisor",
    "peksos": "Peksos",
    "kabid": "Kabid",
    "sekretaris": "Sekretaris",
    "kadin": "Kadin",
}


def paraf_labels(doc: ServiceDoc) -> dict[str, str]:
    """Step key -> label of its paraf box, one per initialling step, in the SOP's order.

    An actor who initials twice gets two boxes, told apart by a number.
    """
    labels: dict[str, str] = {}
    for step in doc.steps:
        if is_paraf_step(step):
            role = doc.actors[step.actor].role
            # The box is 1.6 cm wide: the post's short name, as offices write under a paraf.
            label = PARAF_LABELS.get(role, doc.actors[step.actor].label)
            taken = sum(1 for value in labels.values() if value.startswith(label))
            labels[step.key] = f"{label} ({taken + 1})" if taken else label
    return labels


def is_paraf_step(step) -> bool:
    return kind_of(step.kind).adds_paraf(step)


def _logo(office: Office) -> bytes | None:
    if not office.logo:
        return None
    try:
        with office.logo.open("rb") as handle:
            return handle.read()
    except OSError:  # a missing file prints the neutral emblem rather than failing the letter
        return None


def name_masked(name: str) -> str:
    """'Budi Santoso' as 'B*** S***': enough to recognise, not to identify."""
    return " ".join(f"{word[0]}***" for word in name.split() if word)
