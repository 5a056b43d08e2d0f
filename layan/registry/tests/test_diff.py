"""Comparing two snapshots: entered, left, changed; CSV and XLSX writers; region checks."""

import csv
import io
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from layan.registry.diff import (
    HEADER,
    csv_chunks,
    diff_csv,
    diff_default_pair,
    diff_preview,
    diff_summary,
    diff_xlsx,
    snapshot_diff,
)
from layan.registry.importing import registry_import
from layan.registry.models import Snapshot, SnapshotState

DTKS_HEADER = [
    "id_art", "periode", "kode_provinsi", "kode_kabupaten", "kode_kecamatan", "kode_desa",
    "nama_kecamatan", "nama_desa", "alamat", "rt", "rw", "no_kk", "nik", "nama",
    "jenis_kelamin", "tempat_lahir", "tanggal_lahir", "hub_keluarga", "desil",
    "status_keberadaan", "pkh", "bpnt", "pbi",
]  # fmt: skip


def person(
    nik: str,
    kk: str,
    name: str,
    birth: str,
    *,
    desil: int | str = 1,
    pkh: int = 0,
    bpnt: int = 0,
    pbi: int = 0,
    relation: str = "KEPALA KELUARGA",
    sex: str = "",
) -> dict:
    """One DTKS (SIKS-NG) export row; region codes and sex are read off the NIK."""
    return {
        "kode_provinsi": nik[:2],
        "kode_kabupaten": nik[:4],
        "kode_kecamatan": nik[:6],
        "kode_desa": nik[:6] + "2008",
        "nama_kecamatan": "BURIBU",
        "nama_desa": "BURE",
        "alamat": "DUSUN ULAJARU",
        "rt": "008",
        "rw": "004",
        "no_kk": kk,
        "nik": nik,
        "nama": name,
        "jenis_kelamin": sex or ("PEREMPUAN" if nik[6] in "4567" else "LAKI-LAKI"),
        "tempat_lahir": "BONE",
        "tanggal_lahir": birth,
        "hub_keluarga": relation,
        "desil": str(desil),
        "status_keberadaan": "DITEMUKAN",
        "pkh": str(pkh),
        "bpnt": str(bpnt),
        "pbi": str(pbi),
    }


def export_write(path: Path, people: list[dict], *, period: str) -> Path:
    """A DTKS-layout CSV of these people."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, DTKS_HEADER)
        writer.writeheader()
        for number, row in enumerate(people, 1):
            writer.writerow({"id_art": number, "periode": period, **row})
    return path


def snapshot_import(tmp_path: Path, people: list[dict], *, period: str, name: str = "") -> Snapshot:
    """Write the people as an export and import it as a DTKS snapshot."""
    path = export_write(tmp_path / (name or f"dtks-{period}.csv"), people, period=period)
    return registry_import(path=path, source="dtks", period=period)


# Bone (73.08): a couple on one KK, and three more households.
A = ("7308011209630001", "7308011101070001", "MUHAMMAD DIYAIF NASANO", "1963-09-12")
W = ("7308015505650002", "7308011101070001", "ST. AMINAH", "1965-05-15")
B = ("7308020301900001", "7308023108170001", "RISATO ARSASAN", "1990-01-03")
C = ("7308022806690001", "7308023003240001", "ABD. NARAMING KAYASAN", "1969-06-28")
D = ("7308014107800003", "7308011712210001", "HJ. BUNGA", "1980-07-01")
E = ("7308010202020004", "7308010505200001", "ANDI BASO", "2002-02-02")


def bone_old() -> list[dict]:
    return [
        person(*A, desil=1, pkh=1, bpnt=1, pbi=1),
        person(*W, desil=1, pkh=1, bpnt=1, pbi=1, relation="ISTRI"),
        person(*B, desil=3, pbi=1),
        person(*C, desil=5, pbi=1),
        person(*D, desil=2, pkh=1),
    ]


def bone_new() -> list[dict]:
    return [
        person(*A, desil=1, pkh=1, bpnt=1, pbi=1),
        person(*W, desil=1, pkh=1, bpnt=1, pbi=1, relation="ISTRI"),
        person(*B, desil=4, pbi=1),  # desil 3 -> 4
        person(*C, desil=5, pkh=1, pbi=1),  # PKH added
        person(*E, desil=4, bpnt=1),  # new; D is gone
    ]


@pytest.fixture
def bone_pair(db, tmp_path):
    old = snapshot_import(tmp_path, bone_old(), period="2026-08")
    new = snapshot_import(tmp_path, bone_new(), period="2026-09")
    old.refresh_from_db()
    return old, new


def niks(rows) -> list[str]:
    return [row.person.nik for row in rows]


def test_it_finds_who_entered_left_and_changed(bone_pair):
    old, new = bone_pair
    assert (old.state, new.state) == (SnapshotState.SUPERSEDED, SnapshotState.ACTIVE)
    assert niks(snapshot_diff(old=old, new=new, kind="entered")) == [E[0]]
    assert niks(snapshot_diff(old=old, new=new, kind="left")) == [D[0]]
    changed = list(snapshot_diff(old=old, new=new, kind="changed"))
    assert niks(changed) == [B[0], C[0]]


def test_a_changed_row_carries_old_and_new_desil_and_programmes(bone_pair):
    old, new = bone_pair
    b, c = snapshot_diff(old=old, new=new, kind="changed")
    assert (b.desil_before, b.desil_after) == (3, 4)
    assert b.programmes_before == b.programmes_after == ["PBI-JK"]
    assert b.changes == "desil 3 → 4"
    assert (c.desil_before, c.desil_after) == (5, 5)
    assert (c.programmes_before, c.programmes_after) == (["PBI-JK"], ["PKH", "PBI-JK"])
    assert c.changes == "PKH ditambahkan"


def test_entered_and_left_rows_have_one_side_only(bone_pair):
    old, new = bone_pair
    (entered,) = snapshot_diff(old=old, new=new, kind="entered")
    (left,) = snapshot_diff(old=old, new=new, kind="left")
    assert entered.before is None and entered.desil_after == 4
    assert entered.programmes_after == ["BPNT/Sembako"]
    assert left.after is None and left.desil_before == 2
    assert left.person.name == "HJ. BUNGA"
    assert entered.changes == left.changes == ""


def test_summary_counts_each_kind(bone_pair):
    old, new = bone_pair
    assert diff_summary(old, new) == {"entered": 1, "left": 1, "changed": 2}


def test_preview_keeps_the_first_rows_and_counts_all(bone_pair):
    old, new = bone_pair
    entered, left, changed = diff_preview(old, new, limit=1)
    assert (changed.kind, changed.count, niks(changed.rows)) == ("changed", 2, [B[0]])
    assert changed.truncated and not entered.truncated
    assert left.label == "Keluar"


def test_default_pair_is_the_active_snapshot_and_the_one_before(bone_pair, seeded):
    old, new = bone_pair
    assert diff_default_pair(seeded["bone"]) == (old, new)
    assert diff_default_pair(seeded["bone"], new=old) == (None, old)
    assert diff_default_pair(seeded["bima"]) == (None, None)


def test_snapshots_of_two_regions_are_refused(bone_pair, tmp_path):
    new = bone_pair[1]
    bima = snapshot_import(
        tmp_path,
        [person("5272011209630001", "5272011101070001", "LA BIMA", "1963-09-12")],
        period="2026-09",
        name="bima.csv",
    )
    assert bima.region_code == "52.72"
    for call in (
        lambda: snapshot_diff(old=bima, new=new, kind="entered"),
        lambda: diff_summary(new, bima),
        lambda: diff_csv(bima, new, io.StringIO()),
        lambda: diff_xlsx(bima, new, io.BytesIO()),
    ):
        with pytest.raises(ValueError, match="wilayah yang sama"):
            call()


def test_a_snapshot_is_not_compared_with_itself_nor_a_failed_one(bone_pair):
    old, new = bone_pair
    with pytest.raises(ValueError, match="dua salinan register yang berbeda"):
        diff_summary(new, new)
    Snapshot.objects.filter(pk=old.pk).update(state=SnapshotState.FAILED)
    old.refresh_from_db()
    with pytest.raises(ValueError, match="tidak memiliki data"):
        diff_summary(old, new)


def test_an_unknown_kind_is_refused(bone_pair):
    old, new = bone_pair
    with pytest.raises(ValueError, match="tidak dikenal"):
        snapshot_diff(old=old, new=new, kind="moved")


def test_a_province_snapshot_shows_an_office_only_its_own_regency(db, tmp_path):
    selayar = ("7301011209630001", "7301011101070001", "LA SELAYAR", "1963-09-12")
    selayar_new = ("7301010202020004", "7301010505200001", "ANDI SELAYAR", "2002-02-02")
    old = snapshot_import(tmp_path, [person(*A), person(*selayar)], period="2026-08")
    new = snapshot_import(
        tmp_path, [person(*A), person(*E), person(*selayar_new)], period="2026-09"
    )
    assert old.region_code == new.region_code == "73"
    assert niks(snapshot_diff(old=old, new=new, kind="left")) == [selayar[0]]
    assert niks(snapshot_diff(old=old, new=new, kind="entered")) == [E[0], selayar_new[0]]
    assert niks(snapshot_diff(old=old, new=new, kind="left", area="73.08")) == []
    assert diff_summary(old, new, area="73.08") == {"entered": 1, "left": 0, "changed": 0}


def test_csv_has_a_header_and_one_line_per_person(bone_pair):
    old, new = bone_pair
    stream = io.StringIO()
    diff_csv(old, new, stream)
    text = stream.getvalue()
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [(r["Perubahan"], r["NIK"]) for r in rows] == [
        ("Masuk", E[0]),
        ("Keluar", D[0]),
        ("Berubah", B[0]),
        ("Berubah", C[0]),
    ]
    b = rows[2]
    assert (b["Desil lama"], b["Desil baru"], b["Keterangan"]) == ("3", "4", "desil 3 → 4")
    assert b["No KK"] == B[1] and b["Tanggal lahir"] == "1990-01-03"


def test_xlsx_has_one_sheet_per_kind_with_nik_as_text(bone_pair):
    old, new = bone_pair
    stream = io.BytesIO()
    diff_xlsx(old, new, stream)
    stream.seek(0)
    book = CalamineWorkbook.from_filelike(stream)
    assert book.sheet_names == ["Masuk", "Keluar", "Berubah"]
    sheets = {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}
    assert all(tuple(rows[0]) == HEADER for rows in sheets.values())
    assert [row[1] for row in sheets["Masuk"][1:]] == [E[0]]
    assert [row[1] for row in sheets["Keluar"][1:]] == [D[0]]
    changed = sheets["Berubah"][1:]
    assert [row[1] for row in changed] == [B[0], C[0]]
    assert all(isinstance(row[1], str) and isinstance(row[2], str) for row in changed)
    note_at = HEADER.index("Keterangan")
    assert changed[1][note_at] == "PKH ditambahkan"


def test_csv_cells_excel_would_run_as_formulas_are_defused():
    text = "".join(csv_chunks(["isi"], [['=HYPERLINK("x")'], ["@SUM(A1)"], ["-"], ["BONE"], [7]]))
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows == [["isi"], ['\'=HYPERLINK("x")'], ["'@SUM(A1)"], ["-"], ["BONE"], ["7"]]
