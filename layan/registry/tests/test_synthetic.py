"""The synthetic register generator and its CSV/XLSX writers; no database needed."""

import csv
import datetime
import io
import itertools
import tracemalloc
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from layan.core.nik import kk_problem, nik_birth_date, nik_problem, nik_sex, sex_problem
from layan.registry.fields import FIELD_NAMES
from layan.registry.synthetic import (
    AS_OF,
    DTKS_HEADER,
    DTSEN_HEADER,
    synthetic_people,
    write_csv,
    write_xlsx,
)

SAMPLES = Path("/work/shared/samples")
SAMPLE_FILES = {"dtks": SAMPLES / "dtks-siksng-sample.csv", "dtsen": SAMPLES / "dtsen-sample.csv"}
HEADER_LINES = {
    "dtks": (",".join(DTKS_HEADER) + "\n").encode("utf-8"),
    "dtsen": (";".join(DTSEN_HEADER) + "\r\n").encode("cp1252"),
}
LAYOUT_ENCODINGS = {"dtks": "utf-8", "dtsen": "cp1252"}
LAYOUT_DELIMITERS = {"dtks": ",", "dtsen": ";"}
RELATIONSHIPS = {"KEPALA KELUARGA", "ISTRI", "SUAMI", "ANAK", "CUCU", "ORANG TUA", "FAMILI LAIN"}
PRESENCES = {"DITEMUKAN", "MENINGGAL", "PINDAH", "TIDAK DITEMUKAN"}


def people(count: int, **options) -> list[dict]:
    return list(
        synthetic_people(region_code=options.pop("region_code", "73.08"), count=count, **options)
    )


@pytest.fixture(scope="module")
def register() -> list[dict]:
    return people(5000)


# --- Generator -----------------------------------------------------------------------------


def test_yields_count_rows_keyed_by_the_register_fields(register):
    assert len(register) == 5000
    assert all(list(row) == FIELD_NAMES for row in register)
    assert people(0) == []
    assert len(people(1)) == 1


def test_is_deterministic_for_a_seed():
    assert people(3000) == people(3000)
    assert people(3000, seed=7) == people(3000, seed=7)
    assert people(3000, seed=7) != people(3000, seed=8)


def test_a_shorter_run_is_a_prefix_of_a_longer_one():
    assert people(1234) == people(4000)[:1234]


def test_every_nik_and_kk_is_valid_and_sex_and_birth_date_agree(register):
    for row in register:
        assert nik_problem(row["nik"]) is None, row
        assert kk_problem(row["no_kk"]) is None, row
        assert sex_problem(row["nik"], row["sex"]) is None, row
        assert nik_sex(row["nik"]) == row["sex"]
        born = row["birth_date"]
        assert nik_birth_date(row["nik"]) == (born.day, born.month, born.year % 100)
        assert row["nik"][:6] == row["district_code"]
        assert row["no_kk"][:6] == row["district_code"]


def test_nik_is_unique_over_200_000_rows():
    niks = {row["nik"] for row in synthetic_people(region_code="73.08", count=200_000)}
    assert len(niks) == 200_000


def test_each_no_kk_belongs_to_one_place():
    households: dict[str, set] = defaultdict(set)
    for row in synthetic_people(region_code="73.08", count=200_000, seed=3):
        households[row["no_kk"]].add((row["village_code"], row["address"], row["rt"], row["rw"]))
    assert all(len(places) == 1 for places in households.values())


def test_women_carry_day_plus_40_in_their_nik(register):
    for row in register:
        day = int(row["nik"][6:8])
        assert (day > 40) == (row["sex"] == "P")


def test_a_later_start_serial_gives_new_people():
    first = {row["nik"] for row in people(20_000)}
    later = people(20_000, start_serial=5001)
    assert first.isdisjoint(row["nik"] for row in later)
    assert all(int(row["nik"][12:]) >= 5001 for row in later)


def test_households_share_kk_address_village_and_programmes(register):
    households: dict[str, list[dict]] = defaultdict(list)
    for row in register:
        households[row["no_kk"]].append(row)
    shared = ("address", "rt", "rw", "village_code", "village_name", "district_code", "desil")
    for members in households.values():
        assert 1 <= len(members) <= 7
        for field in (*shared, "pkh", "bpnt"):
            assert len({member[field] for member in members}) == 1, field
        assert members[0]["relationship"] == "KEPALA KELUARGA"
        assert sum(member["relationship"] == "KEPALA KELUARGA" for member in members) == 1
    sizes = Counter(len(members) for members in households.values())
    assert len(sizes) >= 6  # every size 1-7 occurs (the last household may be cut short)


def test_household_rows_are_contiguous(register):
    seen_kks = [kk for kk, _ in itertools.groupby(row["no_kk"] for row in register)]
    assert len(seen_kks) == len(set(seen_kks))


def test_field_values_have_the_register_shapes(register):
    for row in register:
        assert row["sex"] in ("L", "P")
        assert row["relationship"] in RELATIONSHIPS
        assert row["presence"] in PRESENCES
        assert 1 <= row["desil"] <= 10
        assert all(isinstance(row[flag], bool) for flag in ("pkh", "bpnt", "pbi"))
        assert isinstance(row["birth_date"], datetime.date)
        assert row["birth_date"] <= AS_OF
        assert AS_OF.year - row["birth_date"].year <= 100
        assert len(row["rt"]) == len(row["rw"]) == 3 and (row["rt"] + row["rw"]).isdigit()
        assert row["province_code"] == "73"
        assert row["regency_code"] == "7308"
        assert row["district_code"].startswith("7308") and len(row["district_code"]) == 6
        assert row["village_code"].startswith(row["district_code"])
        assert len(row["village_code"]) == 10 and row["village_code"][6] in "12"
        assert row["name"] and row["name"] == row["name"].upper()
        assert row["name"].encode("cp1252")  # DTSEN files are Windows-1252


def test_mostly_found_and_programmes_favour_low_desil(register):
    presence = Counter(row["presence"] for row in register)
    assert presence["DITEMUKAN"] > 0.9 * len(register)
    assert set(presence) == PRESENCES

    def pkh_share(rows):
        return sum(row["pkh"] for row in rows) / len(rows)

    poor = [row for row in register if row["desil"] <= 2]
    rich = [row for row in register if row["desil"] >= 8]
    assert pkh_share(poor) > pkh_share(rich) + 0.2


def test_children_are_younger_than_their_parents(register):
    heads = {row["no_kk"]: row for row in register if row["relationship"] == "KEPALA KELUARGA"}
    for row in register:
        head = heads.get(row["no_kk"])
        if row["relationship"] == "ANAK" and head is not None:
            age_gap = (row["birth_date"] - head["birth_date"]).days / 365.25
            assert age_gap >= 16


def test_region_code_sets_the_codes():
    rows = people(300, region_code="32.01")
    assert {row["regency_code"] for row in rows} == {"3201"}
    assert all(row["nik"].startswith("3201") for row in rows)


@pytest.mark.parametrize("region_code", ["7308", "73-08", "99.01", "73.00", "7.308", "73.8"])
def test_bad_region_code_is_refused(region_code):
    with pytest.raises(ValueError, match="region_code"):
        synthetic_people(region_code=region_code, count=1)


def test_bad_count_and_start_serial_are_refused():
    with pytest.raises(ValueError):
        synthetic_people(region_code="73.08", count=-1)
    with pytest.raises(ValueError):
        synthetic_people(region_code="73.08", count=1, start_serial=0)
    with pytest.raises(ValueError):
        synthetic_people(region_code="73.08", count=1, start_serial=10_000)


def test_memory_stays_flat():
    def peak_while_generating(count: int) -> int:
        tracemalloc.start()
        for _ in synthetic_people(region_code="74.01", count=count):
            pass
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak

    peak_while_generating(10)  # the per-process tables (birth days, names) are built once
    small, large = peak_while_generating(2_000), peak_while_generating(40_000)
    assert large < small + 1_000_000


# --- Writers -------------------------------------------------------------------------------


@pytest.mark.parametrize("layout", ["dtks", "dtsen"])
def test_header_constants_match_the_sample_files(layout):
    sample = SAMPLE_FILES[layout]
    if not sample.exists():
        pytest.skip(f"{sample} is not on this machine")
    assert sample.read_bytes().splitlines(keepends=True)[0] == HEADER_LINES[layout]


def sample_register() -> list[dict]:
    """The 60 people of the DTKS sample file as register rows."""
    with open(SAMPLE_FILES["dtks"], encoding="utf-8", newline="") as file:
        return [
            {
                "nik": record["nik"],
                "no_kk": record["no_kk"],
                "name": record["nama"],
                "sex": {"LAKI-LAKI": "L", "PEREMPUAN": "P"}[record["jenis_kelamin"]],
                "birth_place": record["tempat_lahir"],
                "birth_date": datetime.date.fromisoformat(record["tanggal_lahir"]),
                "relationship": record["hub_keluarga"],
                "address": record["alamat"],
                "rt": record["rt"],
                "rw": record["rw"],
                "province_code": record["kode_provinsi"],
                "regency_code": record["kode_kabupaten"],
                "district_code": record["kode_kecamatan"],
                "district_name": record["nama_kecamatan"],
                "village_code": record["kode_desa"],
                "village_name": record["nama_desa"],
                "desil": int(record["desil"]),
                "presence": record["status_keberadaan"],
                "pkh": record["pkh"] == "1",
                "bpnt": record["bpnt"] == "1",
                "pbi": record["pbi"] == "1",
            }
            for record in csv.DictReader(file)
        ]


@pytest.mark.parametrize("layout", ["dtks", "dtsen"])
def test_writing_the_sample_people_reproduces_the_sample_files(tmp_path, layout):
    """Both sample files hold the same 60 people: every value format must match, byte for byte."""
    if not all(sample.exists() for sample in SAMPLE_FILES.values()):
        pytest.skip(f"{SAMPLES} is not on this machine")
    path = tmp_path / f"{layout}.csv"
    assert write_csv(sample_register(), path, layout=layout, period="2025-09") == 60
    assert path.read_bytes() == SAMPLE_FILES[layout].read_bytes()


@pytest.mark.parametrize("layout", ["dtks", "dtsen"])
def test_csv_starts_with_the_layout_header(tmp_path, layout):
    path = tmp_path / f"{layout}.csv"
    assert write_csv(people(50), path, layout=layout, period="2025-09") == 50
    assert path.read_bytes().startswith(HEADER_LINES[layout])


def test_dtks_csv_values(tmp_path, register):
    path = tmp_path / "dtks.csv"
    write_csv(register, path, layout="dtks", period="2025-09")
    text = path.read_bytes().decode("utf-8")
    assert "\r" not in text
    records = list(csv.DictReader(io.StringIO(text)))
    assert len(records) == len(register)
    for number, (record, row) in enumerate(zip(records, register, strict=True), start=1):
        assert record["id_art"] == str(number)
        assert record["periode"] == "2025-09"
        assert record["nik"] == row["nik"]
        assert record["no_kk"] == row["no_kk"]
        assert record["alamat"] == row["address"]
        assert record["tanggal_lahir"] == row["birth_date"].isoformat()
        assert record["jenis_kelamin"] == {"L": "LAKI-LAKI", "P": "PEREMPUAN"}[row["sex"]]
        assert record["pkh"] == ("1" if row["pkh"] else "0")
        assert record["desil"] == str(row["desil"])
        assert record["rt"] == row["rt"]


def test_dtsen_csv_is_cp1252_semicolon_crlf(tmp_path, register):
    rows = [*register[:200], {**register[0], "name": "SITI ZULAIKHA JOSÉ"}]
    path = tmp_path / "dtsen.csv"
    write_csv(rows, path, layout="dtsen", period="2025-09")
    raw = path.read_bytes()
    assert "É".encode("cp1252") in raw  # not UTF-8's two bytes
    text = raw.decode("cp1252")
    assert text.count("\r\n") == len(rows) + 1
    records = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
    assert records[-1]["NAMA"] == "SITI ZULAIKHA JOSÉ"
    for record, row in zip(records, rows, strict=True):
        assert "id_art" not in record
        assert record["PERIODE"] == "2025-09"
        assert record["NIK"] == row["nik"]
        assert record["TGL_LHR"] == row["birth_date"].strftime("%d/%m/%Y")
        assert record["JNS_KEL"] == {"L": "1", "P": "2"}[row["sex"]]
        assert record["PBI_JK"] == ("Ya" if row["pbi"] else "Tidak")
        assert record["ALAMAT"] == row["address"]


def test_dtsen_refuses_what_cp1252_cannot_hold(tmp_path, register):
    with pytest.raises(UnicodeEncodeError):
        write_csv(
            [{**register[0], "name": "NGUYỄN"}],
            tmp_path / "x.csv",
            layout="dtsen",
            period="2025-09",
        )


def test_writers_stream_from_a_generator(tmp_path):
    rows = synthetic_people(region_code="73.08", count=3000)
    assert write_csv(rows, tmp_path / "a.csv", layout="dtks", period="2025-10") == 3000
    assert write_csv(iter([]), tmp_path / "empty.csv", layout="dtks", period="2025-10") == 0
    assert (tmp_path / "empty.csv").read_bytes() == HEADER_LINES["dtks"]


def test_writers_refuse_unknown_layout_and_bad_period(tmp_path):
    with pytest.raises(ValueError, match="unknown layout"):
        write_csv([], tmp_path / "x.csv", layout="siks", period="2025-09")
    with pytest.raises(ValueError, match="period"):
        write_csv([], tmp_path / "x.csv", layout="dtks", period="09/2025")


@pytest.mark.parametrize("layout", ["dtks", "dtsen"])
def test_xlsx_has_the_header_and_the_same_values_as_csv(tmp_path, layout):
    pytest.importorskip("xlsxwriter")
    calamine = pytest.importorskip("python_calamine")
    rows = people(300)
    path = tmp_path / f"{layout}.xlsx"
    assert write_xlsx(rows, path, layout=layout, period="2025-09") == 300
    sheet = calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert len(sheet) == 301
    write_csv(rows, tmp_path / "same.csv", layout=layout, period="2025-09")
    with open(tmp_path / "same.csv", encoding=LAYOUT_ENCODINGS[layout], newline="") as file:
        assert sheet == list(csv.reader(file, delimiter=LAYOUT_DELIMITERS[layout]))
