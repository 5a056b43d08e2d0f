"""Small, exact register exports for tests: valid people and deliberately broken rows."""

import csv
from dataclasses import dataclass, field
from pathlib import Path

DTKS_HEADER = [
    "id_art", "periode", "kode_provinsi", "kode_kabupaten", "kode_kecamatan", "kode_desa",
    "nama_kecamatan", "nama_desa", "alamat", "rt", "rw", "no_kk", "nik", "nama",
    "jenis_kelamin", "tempat_lahir", "tanggal_lahir", "hub_keluarga", "desil",
    "status_keberadaan", "pkh", "bpnt", "pbi",
]  # fmt: skip


def make_nik(regency: str = "7308", district: str = "01", *, day=12, month=9, year=1963,
             female=False, serial=1) -> str:  # fmt: skip
    birth = f"{day + (40 if female else 0):02d}{month:02d}{year % 100:02d}"
    return f"{regency}{district}{birth}{serial:04d}"


@dataclass
class PersonRow:
    """One DTKS-layout row; change any field to break it on purpose."""

    nik: str
    no_kk: str
    nama: str = "WARGA CONTOH"
    jenis_kelamin: str = "LAKI-LAKI"
    tanggal_lahir: str = "1963-09-12"
    kode_kabupaten: str = "7308"
    desil: str = "3"
    pkh: str = "1"
    bpnt: str = "0"
    pbi: str = "1"
    extra: dict = field(default_factory=dict)

    def values(self, index: int) -> list[str]:
        regency = self.kode_kabupaten
        row = {
            "id_art": str(index), "periode": "2026-09", "kode_provinsi": regency[:2],
            "kode_kabupaten": regency, "kode_kecamatan": f"{regency}01",
            "kode_desa": f"{regency}012001", "nama_kecamatan": "KECAMATAN UJI",
            "nama_desa": "DESA UJI", "alamat": "DUSUN UJI, RT 1", "rt": "001", "rw": "002",
            "no_kk": self.no_kk, "nik": self.nik, "nama": self.nama,
            "jenis_kelamin": self.jenis_kelamin, "tempat_lahir": "BONE",
            "tanggal_lahir": self.tanggal_lahir, "hub_keluarga": "KEPALA KELUARGA",
            "desil": self.desil, "status_keberadaan": "DITEMUKAN", "pkh": self.pkh,
            "bpnt": self.bpnt, "pbi": self.pbi,
        }  # fmt: skip
        row.update(self.extra)
        return [row[h] for h in DTKS_HEADER]


def _spread(number: int) -> dict:
    """Any number to a distinct (birth day, month, serial): 9,999 people per birth date."""
    serial, day = number % 9999 + 1, number // 9999
    return {"serial": serial, "day": day % 28 + 1, "month": day // 28 % 12 + 1}


def person(serial: int, *, kk_serial: int | None = None, female: bool = False, **changes):
    """A valid Bone (73.08) person; a distinct `serial` makes a distinct NIK."""
    spread = _spread(serial)
    kk = _spread(kk_serial or serial)
    row = PersonRow(
        nik=make_nik(female=female, **spread),
        no_kk=f"730801{kk['day']:02d}{kk['month']:02d}07{kk['serial']:04d}",
        jenis_kelamin="PEREMPUAN" if female else "LAKI-LAKI",
        tanggal_lahir=f"1963-{spread['month']:02d}-{spread['day']:02d}",
    )
    for name, value in changes.items():
        setattr(row, name, value)
    return row


def write_dtks(
    path: Path, rows: list[PersonRow], header: list[str] = DTKS_HEADER, delimiter: str = ","
) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        for index, row in enumerate(rows, start=1):
            values = dict(zip(DTKS_HEADER, row.values(index), strict=True))
            writer.writerow([values.get(h, "") for h in header])
    return path


def people(count: int, start: int = 1, per_kk: int = 3) -> list[PersonRow]:
    return [person(start + i, kk_serial=(start + i) // per_kk + 1) for i in range(count)]
