"""The SOP PDF: what a reader of the printed document finds in it, read back with pdftotext."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

import layan.catalogue
import layan.offices
from layan.catalogue.parsing import definition_parse
from layan.catalogue.pdf import sop_pdf
from layan.catalogue.schema import ServiceDoc
from layan.catalogue.sop_table import sop_rows
from layan.offices.models import Office

SOPS_DIR = Path(layan.catalogue.__file__).parent / "sops"
OFFICE_SEED_DIR = Path(layan.offices.__file__).parent / "seed"
BONE_KIP = SOPS_DIR / "bone" / "rekomendasi-kip.yaml"
OFFICE_FIELDS = ("slug", "name", "government", "region_code", "region_name", "address")


def _parsed_definitions() -> list[tuple[str, ServiceDoc]]:
    """Every bundled definition that parses; files still being written are left out."""
    found = []
    for path in sorted(SOPS_DIR.rglob("*.yaml")):
        try:
            doc, problems = definition_parse(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
        if doc is not None and not problems:
            found.append((str(path.relative_to(SOPS_DIR).with_suffix("")), doc))
    return found


DEFINITIONS = _parsed_definitions()


def _office_for(slug: str) -> Office:
    """An unsaved office from its seed file, so each SOP prints under its own letterhead."""
    seed_path = OFFICE_SEED_DIR / f"{slug}.yaml"
    seed = yaml.safe_load(seed_path.read_text(encoding="utf-8")) if seed_path.exists() else {}
    fields = {key: seed[key] for key in OFFICE_FIELDS if key in seed}
    return Office(
        **{
            "slug": slug,
            "name": f"Dinas Sosial {slug.title()}",
            "government": f"Pemerintah {slug.title()}",
            "region_code": "99.99",
            "region_name": slug.title(),
            **fields,
        },
        letterhead=seed.get("letterhead", {}),
    )


def _pdftotext() -> str:
    """The pdftotext binary; a skip where it is missing, a failure when tools are required."""
    tool = shutil.which("pdftotext")
    if tool:
        return tool
    reason = "pdftotext (poppler-utils) is not installed, so the PDF text cannot be read back"
    if os.environ.get("LAYAN_REQUIRE_TOOLS") == "1":
        pytest.fail(f"{reason}; LAYAN_REQUIRE_TOOLS=1 requires it")
    pytest.skip(f"{reason}; install poppler-utils or set LAYAN_REQUIRE_TOOLS=1 to fail instead")


def _text_of(pdf: bytes, tmp_path: Path, *options: str) -> str:
    path = tmp_path / "sop.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(
        [_pdftotext(), *options, str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
        encoding="utf-8",
    )
    return result.stdout


def _flat(text: str) -> str:
    """Whitespace collapsed, so a text wrapped over lines still reads as one."""
    return " ".join(text.split())


def _synthetic_doc(**overrides: object) -> ServiceDoc:
    """A valid definition with five long-named actors, like Banyuasin's DTKS SOP."""
    actors = {
        "pemohon": {"label": "Pemohon/Keluarga/Masyarakat", "role": "pemohon"},
        "operator": {"label": "Operator SIKS-NG Desa/Kelurahan", "role": "operator"},
        "supervisor": {"label": "Supervisor SIKS-NG Kabupaten", "role": "supervisor"},
        "kabid": {"label": "Kepala Bidang Perlindungan dan Jaminan Sosial", "role": "kabid"},
        "kadin": {"label": "Kepala Dinas Sosial", "role": "kadin"},
    }
    steps = [
        {
            "key": "terima",
            "kind": "intake",
            "actor": "pemohon",
            "text": "Pemohon menyerahkan berkas permohonan kepada operator",
            "time": "15m",
            "requirement": "KTP dan KK",
            "next": "periksa",
        },
        {
            "key": "periksa",
            "kind": "checklist",
            "actor": "operator",
            "text": "Operator memeriksa kelengkapan berkas",
            "time": "15m",
            "outcomes": {"lengkap": "paraf", "tidak_lengkap": "ditolak"},
        },
        {
            "key": "paraf",
            "kind": "approve",
            "actor": "kabid",
            "text": "Kepala bidang memeriksa dan memaraf konsep surat",
            "time": "1h",
            "outcomes": {"setuju": "ttd", "kembalikan": "periksa"},
        },
        {
            "key": "ttd",
            "kind": "sign",
            "actor": "kadin",
            "text": "Kepala dinas menandatangani surat",
            "time": "1h",
            "output": "Surat keterangan",
            "next": "selesai",
        },
        {"key": "selesai", "kind": "end", "actor": "supervisor", "end": "selesai"},
    ]
    data = {
        "code": "uji-lima-aktor",
        "office": "banyuasin",
        "name": "Usulan Baru DTKS",
        "sop": {"number": "800/12/SOP/2024", "made": "2 Januari 2024"},
        "total_time": {"duration": "2h", "text": "2 jam 30 menit"},
        "time_standard": "1wd",
        "legal_basis": ["Undang-Undang Nomor 11 Tahun 2009 tentang Kesejahteraan Sosial"],
        "notes": ["Pelayanan tidak dipungut biaya"],
        "signer": {"title": "Kepala Dinas Sosial", "name": "Drs. Contoh", "nip": "1970 0101"},
        "actors": actors,
        "steps": steps,
        **overrides,
    }
    return ServiceDoc.model_validate(data)


def _render(doc: ServiceDoc, version_number: int = 3) -> bytes:
    return sop_pdf(office=_office_for(doc.office), doc=doc, version_number=version_number)


def test_the_bone_definition_is_among_those_rendered():
    assert "bone/rekomendasi-kip" in dict(DEFINITIONS), definition_parse(BONE_KIP.read_text())[1]


def test_pdftotext_is_available():
    """Fails only under LAYAN_REQUIRE_TOOLS=1, so CI cannot silently skip the text checks."""
    assert _pdftotext()


@pytest.mark.parametrize(("name", "doc"), DEFINITIONS, ids=[name for name, _ in DEFINITIONS])
def test_sop_pdf_is_a_pdf_with_its_metadata(name: str, doc: ServiceDoc):
    pdf = _render(doc)

    assert pdf.startswith(b"%PDF")
    assert b"/Title" in pdf and b"/Author" in pdf


@pytest.mark.parametrize(("name", "doc"), DEFINITIONS, ids=[name for name, _ in DEFINITIONS])
def test_sop_pdf_text_has_identity_actors_and_every_row(name: str, doc: ServiceDoc, tmp_path):
    text = _text_of(_render(doc), tmp_path, "-layout")
    flat = _flat(text)

    assert _flat(doc.sop_name or doc.name) in flat
    number = doc.sop.number if doc.sop else doc.decree.number
    assert _flat(number) in flat
    assert "Versi 3" in flat
    assert "Mutu baku" in flat and "Waktu" in flat
    for actor in doc.actors.values():
        first_word = re.split(r"[\s/]+", actor.label)[0]
        assert first_word in text, actor.label
    for row in sop_rows(doc):
        first, *rest = row.text.split()
        assert re.search(rf"(?m)^\s*{row.number}\s+{re.escape(first)}", text), row.text
        assert _flat(" ".join([first, *rest[:1]])) in flat, row.text


@pytest.mark.parametrize(("name", "doc"), DEFINITIONS, ids=[name for name, _ in DEFINITIONS])
def test_sop_pdf_marks_actions_and_decisions(name: str, doc: ServiceDoc, tmp_path):
    text = _text_of(_render(doc), tmp_path)
    rows = sop_rows(doc)

    assert "■" in text
    if any(row.is_decision for row in rows):
        assert "◆" in text


def test_sop_pdf_footer_names_office_service_version_and_page(tmp_path):
    doc = dict(DEFINITIONS)["bone/rekomendasi-kip"]

    pages = _text_of(_render(doc, version_number=7), tmp_path).split("\f")

    for number, page in enumerate([p for p in pages if p.strip()], start=1):
        assert f"Dinas Sosial Kabupaten Bone — {doc.name} — versi 7 — halaman {number}" in page


def test_sop_pdf_prints_a_dash_for_fields_the_definition_leaves_empty(tmp_path):
    doc = dict(DEFINITIONS)["bone/rekomendasi-kip"].model_copy(update={"legal_basis": []})

    text = _text_of(_render(doc), tmp_path, "-layout")

    assert re.search(r"Dasar hukum", text)
    assert "—" in text


def test_markup_characters_in_texts_print_as_written(tmp_path):
    doc = _synthetic_doc(
        name="Rekomendasi A & B <uji>",
        records="Buku register & arsip <digital>",
        steps=[
            {
                "key": "terima",
                "kind": "intake",
                "actor": "pemohon",
                "text": "Pemohon menyerahkan KTP & KK <asli>",
                "requirement": "KTP & KK",
                "note": "Waktu < 1 jam & tanpa biaya",
                "next": "selesai",
            },
            {"key": "selesai", "kind": "end", "actor": "kadin", "end": "selesai"},
        ],
    )

    pdf = _render(doc)
    flat = _flat(_text_of(pdf, tmp_path))

    assert pdf.startswith(b"%PDF")
    assert "Rekomendasi A & B <uji>" in flat
    assert "Pemohon menyerahkan KTP & KK <asli>" in flat
    assert "Waktu < 1 jam & tanpa biaya" in flat
    assert "Buku register & arsip <digital>" in flat


def test_five_actor_table_stays_inside_the_page(tmp_path):
    doc = _synthetic_doc()

    boxes = _text_of(_render(doc), tmp_path, "-bbox")

    page_width = float(re.search(r'<page width="([\d.]+)"', boxes)[1])
    words = re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)<', boxes)
    right_edges = {word: float(x_max) for x_max, word in words}
    assert "Keterangan" in right_edges, "the last column fell off the page"
    assert max(float(x_max) for x_max, _ in words) < page_width - 20
    for actor in doc.actors.values():
        assert re.split(r"[\s/]+", actor.label)[0] in boxes, actor.label


def test_total_time_signature_and_notes_follow_the_table(tmp_path):
    doc = _synthetic_doc()

    flat = _flat(_text_of(_render(doc), tmp_path))

    assert "Jumlah 2 jam 30 menit" in flat
    assert "Standar waktu pelayanan: 1 hari kerja" in flat
    assert "Pelayanan tidak dipungut biaya" in flat
    assert flat.count("Drs. Contoh") == 2  # in the identity block and under the signature
    assert "NIP. 1970 0101" in flat
    assert "Lengkap: ke no. 3" in flat and "Tidak lengkap: Ditolak" in flat


def test_long_procedure_repeats_the_table_header_on_every_page(tmp_path):
    steps = [
        {
            "key": f"langkah_{n}",
            "kind": "intake",
            "actor": ["pemohon", "operator", "kabid"][n % 3],
            "text": f"Langkah {n}: uraian kegiatan yang cukup panjang untuk membungkus baris "
            "tabel SOP pada kolom uraian kegiatan",
            "next": f"langkah_{n + 1}",
        }
        for n in range(1, 40)
    ] + [{"key": "langkah_40", "kind": "end", "actor": "kadin", "end": "selesai"}]
    doc = _synthetic_doc(steps=steps, signer=None)

    pages = _text_of(_render(doc), tmp_path).split("\f")

    table_pages = [page for page in pages if "Langkah" in page]
    assert len(table_pages) >= 2
    for page in table_pages:
        assert "Uraian kegiatan" in page and "Pelaksana" in page
