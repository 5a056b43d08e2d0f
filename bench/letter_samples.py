"""`make letter-samples`: real letters of the seed offices, signed, rendered to PNG.

    .venv/bin/python -m bench.letter_samples [--out docs/letters]

On a throwaway SQLite database (var/bench/letter-samples/): the five seed offices
and their services as `layan demo` loads them, a small synthetic register per
office (the project's own generator, imported like a real export), one staff
account per role per office with a name (clearly marked as an example, except
Bima's head, who is named in its seed), and real cases walked through their SOP
steps with `case_act` up to a signed letter: Bone KIP, Bima PIP, Blitar in both
forms (registered and not), Mataram, and a Banyuasin batch (12 cases waiting at
the draft step drafted into one letter with the attached list). Each issued PDF
is rendered with Debian's `pdftoppm -r 80 -png` into docs/letters/, with a
README listing them. The QR codes carry LAYAN_PUBLIC_URL (default here:
https://layan.example.go.id).

The helpers (throwaway database, register, staff, walking a case) are shared
with bench.letters.
"""

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "layan.settings")

PASSWORD = "contoh-Layan-surat-2026"  # throwaway accounts of a throwaway database
PERIOD = "2026-09"
REGISTER_SIZE = 80
DPI = 80
# A NIP's last three digits are a serial from 001: "000" marks a number no one holds.
EXAMPLE_NIP = "19800101 200501 1 000"
# Bima's head as its seed (SOP AP 460/28.1/DINSOS/1/2022) names him; Plt. comes from the seed.
BIMA_HEAD = ("Drs. Abdul Gawis", "19621231199103 1 181")
ROLE_NAMES = {
    "petugas": "Nama Petugas Layanan (contoh)",
    "operator": "Nama Operator SIKS-NG (contoh)",
    "supervisor": "Nama Supervisor SIKS-NG (contoh)",
    "peksos": "Nama Pekerja Sosial (contoh)",
    "kabid": "Nama Kepala Bidang (contoh)",
    "sekretaris": "Nama Sekretaris (contoh)",
    "kadin": "Nama Kepala Dinas (contoh)",
    "admin": "Nama Admin Kantor (contoh)",
}
LETTER_SERVICES = {
    "bone": "rekomendasi-kip",
    "bima": "rekomendasi-pip",
    "blitar": "surat-keterangan-kip",
    "mataram": "rekomendasi-dtks-kip",
    "banyuasin": "usulan-baru-dtks-bansos",
}
SCHOOLS = {
    "bone": "SD Negeri 12 Watampone",
    "bima": "SMP Negeri 3 Kota Bima",
    "blitar": "SD Negeri Sananwetan 1",
    "mataram": "SMA Negeri 2 Mataram",
    "banyuasin": "-",
}


# =====================================================================================
# Shared with bench.letters: a throwaway Django, the seed, registers, staff, walking.
# =====================================================================================


def django_throwaway(var_dir: Path) -> str:
    """A fresh, migrated SQLite database in `var_dir`, and Django set up on it (this process)."""
    from bench.registry import sqlite_fresh

    url, env = sqlite_fresh(var_dir)  # migrates in a subprocess with the same environment
    for name in ("DATABASE_URL", "LAYAN_VAR_DIR", "LAYAN_HTTPS", "DJANGO_SETTINGS_MODULE"):
        os.environ[name] = env[name]
    os.environ["LAYAN_DEMO"] = "0"
    import django

    django.setup()
    return url


def seed_load() -> list:
    """The seed offices, every bundled service and the cuti bersama days (as `layan demo`)."""
    from bench.cases import seed_load as load

    return load()


@dataclass
class Register:
    """A small synthetic register of one office: households, and NIKs that are not in it."""

    households: list[list[dict]]
    strangers: list[dict]
    used: int = 0

    def family(self) -> tuple[dict, dict]:
        """The next (head of household, a child of school age) pair not used yet."""
        while self.used < len(self.households):
            members = self.households[self.used]
            self.used += 1
            head = next((m for m in members if m["relationship"] == "KEPALA KELUARGA"), None)
            child = next(
                (m for m in members if m["relationship"] == "ANAK" and _age(m) in range(6, 19)),
                None,
            )
            if head and child:
                return head, child
        raise RuntimeError("the sample register has no family left; raise REGISTER_SIZE")


def _age(person: dict) -> int:
    from layan.registry.synthetic import AS_OF

    born = person["birth_date"]
    return AS_OF.year - born.year - ((AS_OF.month, AS_OF.day) < (born.month, born.day))


def register_load(office, work: Path, size: int = REGISTER_SIZE) -> Register:
    """Generate and import a register of `size` people for the office's region."""
    from layan.demo.services import DEMO_LAYOUTS
    from layan.registry.importing import registry_import
    from layan.registry.synthetic import synthetic_people, write_csv

    layout = DEMO_LAYOUTS.get(office.slug, "dtsen")
    people = list(synthetic_people(region_code=office.region_code, count=size, seed=5))
    path = work / f"register-{office.slug}.csv"
    write_csv(people, path, layout=layout, period=PERIOD)
    registry_import(path=path, source=layout, period=PERIOD, region=office.region_code,
                    office=office)  # fmt: skip
    households: dict[str, list[dict]] = {}
    for person in people:
        households.setdefault(person["no_kk"], []).append(person)
    # Same region, serials far above any the register used: valid NIKs nobody holds.
    strangers = list(
        synthetic_people(region_code=office.region_code, count=40, seed=9, start_serial=9000)
    )
    return Register(households=list(households.values()), strangers=strangers)


def staff_create(office, *, kadin: tuple[str, str] | None = None) -> dict[str, Any]:
    """One account per role at the office, named as an example; the head with name and NIP."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from layan.offices.models import Membership, Role

    User = get_user_model()
    password = make_password(PASSWORD)  # hashed once: Argon2 is slow on purpose
    staff = {}
    for role in Role:
        name, nip = ROLE_NAMES[role.value], ""
        if role == Role.KADIN:
            name, nip = kadin or (office.head_name, office.head_nip)
            name, nip = name or ROLE_NAMES["kadin"], nip or EXAMPLE_NIP
        user = User.objects.create(
            username=f"{office.slug}.{role.value}", full_name=name, nip=nip, password=password
        )
        Membership.objects.create(user=user, office=office, role=role.value)
        staff[role.value] = user
    return staff


def title_name(text: str) -> str:
    """'H. JASYATO JAHITO' as 'H. Jasyato Jahito': how the front office types a name."""
    return " ".join(word.capitalize() for word in text.split())


def address_of(person: dict) -> str:
    return (
        f"{title_name(person['address'])}, RT {person['rt']}/RW {person['rw']}, "
        f"Desa/Kel. {title_name(person['village_name'])}, "
        f"Kec. {title_name(person['district_name'])}"
    )


def case_new(office, service_code: str, staff: dict, applicant: dict, subject: dict | None,
             school: str):  # fmt: skip
    """Register a walk-in request: the applicant (a parent), and the child it is for."""
    from layan.cases.services import Applicant, Subject, case_create

    person = Applicant(name=title_name(applicant["name"]), nik=applicant["nik"],
                       phone="0812-0000-0000", address=address_of(applicant))  # fmt: skip
    child = None
    if subject:
        child = Subject(name=title_name(subject["name"]), nik=subject["nik"], relation="anak",
                        data={"sekolah": school})  # fmt: skip
    return case_create(office=office, service_code=service_code, applicant=person,
                       subject=child, user=staff["petugas"])  # fmt: skip


# What the officers type where a step asks (the rest is filled from each step's schema).
SAMPLE_VALUES = {
    "password": PASSWORD,
    "to": "Bidang Perlindungan dan Jaminan Sosial",
    "id_usulan_siksng": "USL-2026-0001",
}


def walk(case, staff: dict, *, until: Callable[[Any], bool] | None = None):
    """Act on each current step as its role's officer until the case ends or `until(step)`."""
    from layan.cases import testing

    return testing.walk(case, staff=staff, to=until, values=SAMPLE_VALUES)


# =====================================================================================
# The samples
# =====================================================================================


@dataclass
class Sample:
    stem: str
    what: str
    letter: Any = None
    pngs: list[str] = field(default_factory=list)
    # The draft as the head of office sees it before signing (initialled, not signed).
    draft: bool = False


def _issued(case):
    from layan.letters.selectors import letter_of_case

    letter = letter_of_case(case)
    if letter is None or not letter.is_issued:
        raise RuntimeError(f"case {case.tracking_code} ended without an issued letter")
    return letter


def _one_letter(office, staff, register: Register, *, registered: bool = True):
    """A case of the office's letter service walked to its end; its issued letter."""
    head, child = register.family()
    if not registered:
        # The child's NIK is not in the register (the applicant may be).
        child = {**child, "nik": register.strangers.pop(0)["nik"]}
    case = case_new(office, LETTER_SERVICES[office.slug], staff, head, child,
                    SCHOOLS[office.slug])  # fmt: skip
    walk(case, staff)
    return _issued(case)


def _batch_letter(office, staff, register: Register, count: int):
    """`count` proposals waiting at the draft step, drafted once into one letter, then signed."""
    from layan.catalogue.schema import StepKind

    def at_draft(step) -> bool:
        return step.kind == StepKind.DRAFT_LETTER

    cases = []
    for _ in range(count):
        # New proposals are people not in the register yet.
        person = register.strangers.pop(0)
        adult = {**person, "relationship": "KEPALA KELUARGA"}
        cases.append(walk(case_new(office, LETTER_SERVICES[office.slug], staff, adult, None,
                                   "-"), staff, until=at_draft))  # fmt: skip
    walk(cases[0], staff)  # the draft takes every case waiting at the step along
    letter = _issued(cases[0])
    for other in cases[1:]:
        other.refresh_from_db()
        if _issued(other).pk != letter.pk:
            raise RuntimeError(f"{other.tracking_code} was not carried along by the batch")
        walk(other, staff)  # each proposal's own hand-over
    return letter


def pdf_to_png(pdf: bytes, out: Path, stem: str, *, single: bool) -> list[str]:
    """pdftoppm at DPI; names stem.png for one page, stem-1.png, stem-2.png… for more."""
    for old in out.glob(f"{stem}*.png"):
        old.unlink()
    source = out / f".{stem}.pdf"
    source.write_bytes(pdf)
    try:
        command = ["pdftoppm", "-r", str(DPI), "-png", str(source), str(out / stem)]
        if single:
            command.insert(1, "-singlefile")
        subprocess.run(command, check=True)
    finally:
        source.unlink()
    return sorted(p.name for p in out.glob(f"{stem}*.png"))


def _checks(letter, pdf: bytes) -> str:
    """What a reader of the sample can trust: verification, QR, the text."""
    from layan.letters.verification import letter_verify_pdf

    result = letter_verify_pdf(pdf)
    if not result.valid:
        raise RuntimeError(f"{letter.number} does not verify: {'; '.join(result.reasons)}")
    qr = _qr(pdf)
    if qr and not qr.endswith(f"/verifikasi/{letter.verify_code}/"):
        raise RuntimeError(f"{letter.number}: the QR reads {qr!r}")
    pages = subprocess.run(
        ["pdfinfo", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    count = next(line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:"))
    return f"{letter.number}: verifikasi sah, {count} halaman, QR {qr or '(zbarimg missing)'}"


def _qr(pdf: bytes) -> str:
    """What a phone would read from the QR of page 1 (zbarimg on a 150 dpi rendering)."""
    if not shutil.which("zbarimg"):
        return ""  # not checked
    page = subprocess.run(["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", "-"],
                          input=pdf, capture_output=True, check=True).stdout  # fmt: skip
    read = subprocess.run(["zbarimg", "-q", "--raw", "-"], input=page, capture_output=True)
    return read.stdout.decode().strip() or "NOT READABLE"


def samples_make(out: Path, work: Path, batch: int) -> list[Sample]:
    from django.db import transaction

    from layan.letters.services import letter_current_pdf
    from layan.offices.models import Office

    with transaction.atomic():
        offices = {office.slug: office for office in seed_load()}
    staff, registers = {}, {}
    for slug, office in offices.items():
        office = Office.objects.get(pk=office.pk)
        offices[slug] = office
        staff[slug] = staff_create(office, kadin=BIMA_HEAD if slug == "bima" else None)
        registers[slug] = register_load(office, work)

    samples = [
        Sample("bone-rekomendasi-kip", "Bone, Surat Rekomendasi KIP"),
        Sample("bima-rekomendasi-pip", "Bima, Surat Rekomendasi PIP"),
        Sample("blitar-terdaftar", "Blitar, Surat Keterangan KIP, bentuk *terdaftar*"),
        Sample("blitar-tidak-terdaftar", "Blitar, Surat Keterangan KIP, bentuk *tidak terdaftar*"),
        Sample("mataram-rekomendasi-dtks-kip", "Mataram, Surat Rekomendasi DTKS untuk KIP"),
        Sample("banyuasin-batch", f"Banyuasin, Surat Pengesahan Usulan Baru ({batch} usulan)"),
    ]
    makers = {
        "bone-rekomendasi-kip": lambda: _one_letter(offices["bone"], staff["bone"],
                                                    registers["bone"]),
        "bima-rekomendasi-pip": lambda: _one_letter(offices["bima"], staff["bima"],
                                                    registers["bima"]),
        "blitar-terdaftar": lambda: _one_letter(offices["blitar"], staff["blitar"],
                                                registers["blitar"]),
        "blitar-tidak-terdaftar": lambda: _one_letter(offices["blitar"], staff["blitar"],
                                                      registers["blitar"], registered=False),
        "mataram-rekomendasi-dtks-kip": lambda: _one_letter(offices["mataram"], staff["mataram"],
                                                            registers["mataram"]),
        "banyuasin-batch": lambda: _batch_letter(offices["banyuasin"], staff["banyuasin"],
                                                 registers["banyuasin"], batch),
    }  # fmt: skip
    for sample in samples:
        sample.letter = makers[sample.stem]()
        pdf = letter_current_pdf(sample.letter)
        sample.pngs = pdf_to_png(pdf, out, sample.stem, single=sample.stem != "banyuasin-batch")
        print(f"{sample.stem}: {_checks(sample.letter, pdf)} -> {', '.join(sample.pngs)}")
    samples.append(_draft_sample(samples[0], out))
    return samples


def _draft_sample(issued: Sample, out: Path) -> Sample:
    """The same letter before its signature: initialled, still a draft (DRAF, no number)."""
    from layan.letters.models import RevisionKind

    revisions = issued.letter.revisions.exclude(kind=RevisionKind.SIGNATURE).order_by("-seq")
    pdf = bytes(revisions.values_list("pdf", flat=True)[0])
    stem = f"{issued.stem}-draf"
    sample = Sample(stem, issued.what, issued.letter, draft=True)
    sample.pngs = pdf_to_png(pdf, out, stem, single=True)
    if _qr(pdf) not in ("", "NOT READABLE"):
        raise RuntimeError(f"{stem}: a draft must carry no QR code")
    print(f"{stem}: draf sebelum tanda tangan -> {', '.join(sample.pngs)}")
    return sample


def _date(letter) -> str:
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from layan.letters.services import date_text

    return date_text(timezone.localtime(letter.issued_at, ZoneInfo(letter.office.time_zone)))


def _signer_line(letter) -> str:
    from layan.letters.models import LetterEvent

    parafs = [
        event.user.full_name
        for event in LetterEvent.objects.filter(letter=letter, action="paraf").select_related(
            "user"
        )
        if event.user is not None  # a paraf always has its officer; the column allows none
    ]
    line = f"ditandatangani {letter.signer_name} ({letter.signer_title})"
    return line + (f", paraf {', '.join(parafs)}" if parafs else "")


def readme_write(out: Path, samples: list[Sample], batch: int) -> None:
    from django.conf import settings

    lines = [
        "# Contoh surat (letter samples)",
        "",
        "Written by `make letter-samples` (`bench/letter_samples.py`): real cases of the",
        "seed offices walked through their SOP steps on a throwaway database, each letter",
        "drafted, initialled (paraf) and signed by the case's own steps, the issued PDF",
        f"rendered with `pdftoppm -r {DPI} -png` (and Bone's letter once more as the draft",
        "its head reads before signing). Applicants and children come from a",
        "synthetic register (invented names and NIKs, made by Layan's generator; DTKS",
        "layout for Bone and Blitar, DTSEN for the others, as in the demo). Staff",
        "names marked *(contoh)* are placeholders, and so is the NIP",
        f"`{EXAMPLE_NIP}` (serial 000: no one holds it); Bima's head, Drs. Abdul Gawis",
        "(Plt.), is named in Bima's seed SOP. Numbers are the first of each office's",
        f"series on the day of the run. QR codes point at `{settings.PUBLIC_URL}`.",
        "Every PDF passed Layan's verification (`letter_verify_pdf`: signatures intact,",
        "chained to the office root, identical to the archived letter)"
        + (" and its QR was read back with `zbarimg`." if shutil.which("zbarimg") else "."),
        "",
        "| file | what it shows |",
        "|---|---|",
    ]
    for sample in samples:
        letter = sample.letter
        what = f"{sample.what}; nomor {letter.number}, {_date(letter)}; {_signer_line(letter)}"
        if sample.draft:
            what = (
                f"{sample.what}: the same letter as its head sees it before signing, initialled "
                "by the kabid: DRAF on the page, no number, date, signature or QR yet"
            )
        for index, png in enumerate(sample.pngs, start=1):
            page = f" — halaman {index} dari {len(sample.pngs)}" if len(sample.pngs) > 1 else ""
            if index == 2:
                page += f" (lampiran: daftar {batch} usulan)"
            lines.append(f"| [{png}]({png}) | {what}{page} |")
    (out / "README.md").write_text("\n".join(lines) + "\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "letters")
    parser.add_argument("--batch", type=int, default=12, help="Banyuasin cases in one letter")
    parser.add_argument("--keep-work", action="store_true", help="keep the SQLite database")
    args = parser.parse_args(argv)
    if not shutil.which("pdftoppm"):
        raise SystemExit("pdftoppm is needed (apt-get install poppler-utils)")
    os.environ.setdefault("LAYAN_PUBLIC_URL", "https://layan.example.go.id")
    work = ROOT / "var" / "bench" / "letter-samples"
    django_throwaway(work)
    args.out.mkdir(parents=True, exist_ok=True)
    try:
        samples = samples_make(args.out, work, args.batch)
        readme_write(args.out, samples, args.batch)
    finally:
        if not args.keep_work:
            shutil.rmtree(work, ignore_errors=True)
    print(f"written {args.out}/README.md", file=sys.stderr)


if __name__ == "__main__":
    main()
