"""Export layouts: which column of a file holds which register field, and how values read.

Two presets read the DTKS (SIKS-NG) and DTSEN exports out of the box; any
other layout is described by a mapping file (JSON, see README).
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from layan.registry.fields import FIELD_LABELS, FIELD_NAMES, REQUIRED_FIELDS

SEX_WORDS = {
    "L": "L", "LK": "L", "LAKI-LAKI": "L", "LAKI LAKI": "L", "LAKI": "L", "PRIA": "L", "1": "L",
    "M": "L", "P": "P", "PR": "P", "PEREMPUAN": "P", "WANITA": "P", "2": "P", "F": "P",
}  # fmt: skip
FLAG_WORDS = {
    "1": True, "YA": True, "Y": True, "TRUE": True, "YES": True, "ADA": True,
    "0": False, "TIDAK": False, "T": False, "FALSE": False, "NO": False, "": False, "-": False,
}  # fmt: skip


class LayoutError(ValueError):
    """A file or mapping that cannot be read as a register export; says what is wrong."""


class ColumnsMissing(LayoutError):
    """A file without some required column: another layout needs a mapping file."""


@dataclass(frozen=True)
class Layout:
    """Field -> column header, plus how sex, flags and dates are written."""

    name: str
    columns: dict[str, str]
    sex: dict[str, str] = field(default_factory=lambda: dict(SEX_WORDS))
    flags: dict[str, bool] = field(default_factory=lambda: dict(FLAG_WORDS))
    date_formats: tuple[str, ...] = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")

    def missing_fields(self, headers: list[str]) -> list[str]:
        """Required fields whose column this file does not have."""
        present = {h.strip().lower() for h in headers}
        return [
            f
            for f in REQUIRED_FIELDS
            if f in self.columns and self.columns[f].lower() not in present
        ]

    def missing_columns(self, headers: list[str]) -> list[str]:
        """Headers of required fields this file does not have."""
        return [self.columns[f] for f in self.missing_fields(headers)]

    def missing_named(self, headers: list[str]) -> str:
        """'NIK (kolom nik), tanggal lahir (kolom tanggal_lahir)': what is missing, as people
        know the field and as the export heads its column."""
        return ", ".join(
            f"{FIELD_LABELS[f]} (kolom {self.columns[f]})" for f in self.missing_fields(headers)
        )

    def matches(self, headers: list[str]) -> bool:
        present = {h.strip().lower() for h in headers}
        return all(header.lower() in present for header in self.columns.values())


DTKS = Layout(
    name="dtks",
    columns={
        "nik": "nik", "no_kk": "no_kk", "name": "nama", "sex": "jenis_kelamin",
        "birth_place": "tempat_lahir", "birth_date": "tanggal_lahir",
        "relationship": "hub_keluarga", "address": "alamat", "rt": "rt", "rw": "rw",
        "province_code": "kode_provinsi", "regency_code": "kode_kabupaten",
        "district_code": "kode_kecamatan", "district_name": "nama_kecamatan",
        "village_code": "kode_desa", "village_name": "nama_desa", "desil": "desil",
        "presence": "status_keberadaan", "pkh": "pkh", "bpnt": "bpnt", "pbi": "pbi",
    },
    date_formats=("%Y-%m-%d",),
)  # fmt: skip
DTSEN = Layout(
    name="dtsen",
    columns={
        "nik": "NIK", "no_kk": "NOKK", "name": "NAMA", "sex": "JNS_KEL",
        "birth_place": "TMPT_LHR", "birth_date": "TGL_LHR", "relationship": "HUB_KRT",
        "address": "ALAMAT", "rt": "RT", "rw": "RW", "province_code": "KDPROV",
        "regency_code": "KDKAB", "district_code": "KDKEC", "district_name": "NMKEC",
        "village_code": "KDDESA", "village_name": "NMDESA", "desil": "DESIL_NASIONAL",
        "presence": "STATUS", "pkh": "PKH", "bpnt": "SEMBAKO", "pbi": "PBI_JK",
    },
    date_formats=("%d/%m/%Y",),
)  # fmt: skip
PRESETS = {"dtks": DTKS, "dtsen": DTSEN}
PRESET_LABELS = {"dtks": "DTKS (SIKS-NG)", "dtsen": "DTSEN"}
# A header cell of this many digits is a NIK, a KK or a code: a data row, not a header.
NUMBER_MIN_DIGITS = 6


def layout_detect(headers: list[str]) -> Layout:
    """The preset whose every column the file has; otherwise say what is missing."""
    for layout in PRESETS.values():
        if layout.matches(headers):
            return layout
    best = min(PRESETS.values(), key=lambda lay: len(lay.missing_columns(headers)))
    if best.missing_fields(headers):
        raise ColumnsMissing(
            f"Kolom wajib tidak ada: {best.missing_named(headers)}. Judul kolom berkas tidak "
            f"cocok dengan ekspor {PRESET_LABELS[best.name]} (yang terdekat) maupun ekspor lain "
            "yang dikenal; unggah berkas ekspor aslinya, atau sertakan berkas pemetaan kolom."
        )
    return best


def layout_for(headers: list[str], layout: Layout | None = None) -> Layout:
    """The layout a file is read by (the given one, else the preset it matches).

    Raises LayoutError naming what is wrong with the header row: absent, data in
    its place, or required columns missing (by the fields' names and the columns').
    """
    if not any(h.strip() for h in headers):
        raise LayoutError("Baris pertama kosong: berkas harus diawali baris judul kolom.")
    numbers = [h for h in headers if h.strip().isdigit() and len(h.strip()) >= NUMBER_MIN_DIGITS]
    if numbers:
        raise LayoutError(
            f"Baris pertama berisi data (mis. {numbers[0].strip()}), bukan judul kolom. "
            "Ekspor ulang berkas beserta baris judul kolomnya."
        )
    layout = layout or layout_detect(headers)
    if layout.missing_fields(headers):
        raise ColumnsMissing(f"Kolom wajib tidak ada: {layout.missing_named(headers)}.")
    return layout


def _upper_keys(values: dict, what: str) -> dict:
    if not isinstance(values, dict):
        raise LayoutError(f"pemetaan: '{what}' harus berupa objek JSON")
    return {str(k).strip().upper(): v for k, v in values.items()}


def layout_from_mapping(data: dict, *, name: str = "pemetaan") -> Layout:
    """A layout from a mapping file's JSON; every problem is named."""
    if not isinstance(data, dict) or not isinstance(data.get("columns"), dict):
        raise LayoutError('pemetaan harus berisi objek "columns": {nama_isian: judul_kolom}')
    columns = {str(k): str(v).strip() for k, v in data["columns"].items()}
    problems = [f"isian '{k}' tidak dikenal" for k in columns if k not in FIELD_NAMES]
    problems += [f"isian wajib '{k}' tidak dipetakan" for k in REQUIRED_FIELDS if k not in columns]
    sex = _upper_keys(data.get("sex", SEX_WORDS), "sex")
    problems += [f"sex: '{k}' harus dipetakan ke L atau P" for k, v in sex.items() if v not in "LP"]
    flags = _upper_keys(data.get("flags", FLAG_WORDS), "flags")
    problems += [f"flags: '{k}' harus true/false" for k, v in flags.items() if type(v) is not bool]
    date_format = data.get("date_format", "%Y-%m-%d")
    if not isinstance(date_format, str) or "%" not in date_format:
        problems.append("date_format harus berupa format strftime, mis. %d/%m/%Y")
    if problems:
        raise LayoutError("Pemetaan tidak sah: " + "; ".join(problems))
    return Layout(name=name, columns=columns, sex=sex, flags=flags, date_formats=(date_format,))


def layout_from_file(path: Path) -> Layout:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise LayoutError(f"Berkas pemetaan {path} tidak dapat dibaca: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise LayoutError(f"Berkas pemetaan {path} bukan JSON yang sah: {exc}") from exc
    return layout_from_mapping(data, name=path.stem)
