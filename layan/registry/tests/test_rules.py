"""Each rule of rules.RULES rejects a row that breaks it, with its reason, on both roads."""

import pytest

from layan.registry import rules
from layan.registry.importing import RegistryImportError, registry_import
from layan.registry.rules import RULES, RowRejection
from layan.registry.tests.factories import people, person, write_dtks
from layan.registry.tests.test_columnar import _results

REGION = "73.08"
# Per rule: a change that breaks it and no other, the column named, the value named,
# and the reason when the rule's check words it (None: the rule's own reason).
BREAKS = {
    "nik": ({"nik": "9908011209630001"}, "nik", "9908011209630001",
            "kode provinsi NIK '99' tidak ada"),
    "no_kk": ({"no_kk": "7308011101070000"}, "no_kk", "7308011101070000",
              "nomor urut No KK 0000 tidak sah"),
    "required": ({"nama": "  "}, "nama", "", None),
    "sex": ({"jenis_kelamin": "X"}, "jenis_kelamin", "X", None),
    "sex_of_nik": ({"jenis_kelamin": "PEREMPUAN"}, "jenis_kelamin", "PEREMPUAN",
                   "jenis kelamin P tidak sesuai NIK (NIK menunjukkan laki-laki)"),
    "birth_date": ({"tanggal_lahir": "1963-02-30"}, "tanggal_lahir", "1963-02-30", None),
    "area": ({"kode_kabupaten": "73X8"}, "kode_kabupaten", "73X8", None),
    "region": ({"kode_kabupaten": "7371"}, "kode_kabupaten", "7371", None),
    "desil": ({"desil": " 11"}, "desil", "11", None),
    "flags": ({"bpnt": "mungkin"}, "bpnt", "mungkin", None),
}  # fmt: skip
# Checked by the database once the rows are in: both roads store both rows.
BY_DATABASE = {"duplicate_nik"}


def test_every_rule_has_a_breaking_row_here():
    assert {rule.name for rule in RULES} == set(BREAKS) | BY_DATABASE
    assert {rule.name for rule in RULES if rule.by_database} == BY_DATABASE


@pytest.mark.parametrize("rule", [r for r in RULES if not r.by_database], ids=lambda r: r.name)
def test_each_rule_rejects_with_its_reason_by_columns_and_by_rows(tmp_path, rule):
    change, column, value, words = BREAKS[rule.name]
    rows = people(40)
    rows.insert(20, person(900, **change))  # line 22: the header is line 1
    path = write_dtks(tmp_path / f"{rule.name}.csv", rows)
    by_columns, by_rows, used = _results(path, region=REGION, part_bytes=3_000)
    assert by_columns == by_rows and used > 0
    lines, rejected, _ = by_columns
    reason = words or rule.reason.format(region=REGION)
    assert rejected == [RowRejection(22, column, value, reason)]
    assert len(lines) == 40


def test_a_blank_birth_date_breaks_the_required_rule_not_the_date_rule(tmp_path):
    path = write_dtks(tmp_path / "a.csv", [*people(30), person(900, tanggal_lahir=" ")])
    by_columns, by_rows, _ = _results(path, region=REGION, part_bytes=3_000)
    assert by_columns == by_rows
    assert by_columns[1] == [RowRejection(32, "tanggal_lahir", " ", rules.REQUIRED.reason)]


def test_a_duplicate_nik_is_rejected_by_the_database_with_its_reason(db, tmp_path):
    rows = [*people(25), person(3)]  # the NIK of line 4 again, on line 27
    snapshot = registry_import(path=write_dtks(tmp_path / "a.csv", rows), source="dtks",
                               period="2026-09", region=REGION)  # fmt: skip
    [rejection] = snapshot.rejections.all()
    reason = rules.DUPLICATE_NIK.reason.format(first_line=4)
    assert (rejection.line, rejection.column, rejection.reason) == (27, "nik", reason)
    assert snapshot.rows_imported == 25


def test_an_import_for_a_region_off_a_level_boundary_is_refused(db, tmp_path):
    with pytest.raises(RegistryImportError, match=r"Kode wilayah '73\.0' tidak sah"):
        registry_import(path=write_dtks(tmp_path / "a.csv", people(5)), source="dtks",
                        period="2026-09", region="73.0")  # fmt: skip
