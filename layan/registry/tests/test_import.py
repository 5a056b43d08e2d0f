"""Register import: correct rows in, each bad row rejected with line and reason, all or nothing."""

import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from layan.registry import storage
from layan.registry.importing import (
    SYSTEM_FAILURE,
    AlreadyImported,
    RegistryImportError,
    registry_import,
)
from layan.registry.layouts import LayoutError, layout_from_mapping
from layan.registry.models import Snapshot, SnapshotState
from layan.registry.selectors import person_from_row
from layan.registry.tests.factories import DTKS_HEADER, make_nik, people, person, write_dtks


def _import(path, period="2026-09", **kwargs) -> Snapshot:
    return registry_import(path=path, source="dtks", period=period, **kwargs)


def _rejections(snapshot) -> list[tuple]:
    return list(snapshot.rejections.order_by("line").values_list("line", "column", "reason"))


def test_correct_file_becomes_the_active_snapshot(db, tmp_path):
    snapshot = _import(write_dtks(tmp_path / "a.csv", people(30)))
    assert snapshot.state == SnapshotState.ACTIVE
    assert (snapshot.rows_read, snapshot.rows_imported, snapshot.rows_rejected) == (30, 30, 0)
    assert snapshot.region_code == "73.08"
    assert storage.people_count(snapshot.table_name) == 30
    row = storage.person_by_nik(snapshot.table_name, int(people(1)[0].nik))
    assert row[2] == "WARGA CONTOH"
    assert snapshot.extra_columns == ["id_art", "periode"]


@pytest.mark.parametrize(
    ("change", "column", "reason"),
    [
        ({"nik": "73080112096300"}, "nik", "16 digit"),
        ({"nik": "9908011209630001"}, "nik", "provinsi"),
        ({"nik": make_nik(day=31, month=4)}, "nik", "tanggal"),
        ({"no_kk": "7308011101070000"}, "no_kk", "0000"),
        ({"no_kk": "73080111010A0001"}, "no_kk", "16 digit"),
        ({"tanggal_lahir": "1963-02-30"}, "tanggal_lahir", "tanggal lahir tidak mungkin"),
        ({"tanggal_lahir": "2099-01-01"}, "tanggal_lahir", "tanggal lahir tidak mungkin"),
        ({"tanggal_lahir": ""}, "tanggal_lahir", "kolom wajib kosong"),
        ({"nama": "  "}, "nama", "kolom wajib kosong"),
        ({"jenis_kelamin": "PEREMPUAN"}, "jenis_kelamin", "tidak sesuai NIK"),
        ({"jenis_kelamin": "X"}, "jenis_kelamin", "tidak dikenal"),
        ({"desil": "11"}, "desil", "1 sampai 10"),
        ({"pkh": "mungkin"}, "pkh", "Ya/Tidak"),
    ],
)
def test_each_bad_row_is_rejected_with_line_column_and_reason(db, tmp_path, change, column, reason):
    rows = people(25)
    rows.insert(4, person(900, **change))  # line 6: header is line 1
    snapshot = _import(write_dtks(tmp_path / "a.csv", rows))
    assert snapshot.state == SnapshotState.ACTIVE
    [(line, rejected_column, message)] = _rejections(snapshot)
    assert (line, rejected_column) == (6, column)
    assert reason in message
    assert snapshot.rows_imported == 25
    assert storage.people_count(snapshot.table_name) == 25


def test_duplicate_nik_inside_the_file_is_rejected_naming_the_first_line(db, tmp_path):
    rows = people(25)
    rows.append(person(3))  # same NIK as line 4
    snapshot = _import(write_dtks(tmp_path / "a.csv", rows))
    [(line, column, reason)] = _rejections(snapshot)
    assert (line, column) == (27, "nik")
    assert "baris 4" in reason
    assert storage.people_count(snapshot.table_name) == 25
    assert snapshot.rows_imported == 25


def test_region_is_that_of_the_rows_kept(db, tmp_path):
    rows = people(25)
    rows.append(person(3, kode_kabupaten="7371"))  # a duplicate, the only row of 73.71
    snapshot = _import(write_dtks(tmp_path / "a.csv", rows))
    assert snapshot.region_code == "73.08"
    rows.append(person(900, kode_kabupaten="7371"))
    wider = _import(write_dtks(tmp_path / "b.csv", rows), period="2026-10")
    assert wider.region_code == "73"


def test_a_rejected_row_does_not_widen_the_region(db, tmp_path):
    # Its region code is valid; the row is rejected for a later column, its desil.
    rows = [*people(25), person(902, kode_kabupaten="7371", desil="12")]
    snapshot = _import(write_dtks(tmp_path / "a.csv", rows))
    assert _rejections(snapshot) == [(27, "desil", "desil harus angka 1 sampai 10")]
    assert snapshot.region_code == "73.08"


def test_rows_outside_the_expected_region_are_rejected(db, tmp_path):
    rows = [*people(25), person(901, kode_kabupaten="5271", nik=make_nik("5271", serial=901))]
    snapshot = _import(write_dtks(tmp_path / "a.csv", rows), region="73.08")
    [(line, column, reason)] = _rejections(snapshot)
    assert (line, column) == (27, "kode_kabupaten")
    assert "di luar wilayah 73.08" in reason


def test_too_many_rejections_fail_the_whole_file(db, tmp_path, settings):
    settings.REGISTRY_MAX_REJECTED = 0.05
    rows = [*people(20), *[person(800 + i, desil="99") for i in range(5)]]
    with pytest.raises(RegistryImportError, match="melebihi batas 5%") as info:
        _import(write_dtks(tmp_path / "a.csv", rows))
    failed = info.value.snapshot
    failed.refresh_from_db()
    assert failed.state == SnapshotState.FAILED
    assert failed.rejections.count() == 5  # the report stays for the officer to read
    assert not _table_exists(failed.table_name)


def test_missing_required_columns_fail_at_once_naming_them(db, tmp_path):
    header = [h for h in DTKS_HEADER if h not in ("nik", "tanggal_lahir")]
    path = write_dtks(tmp_path / "a.csv", people(5), header=header)
    with pytest.raises(
        LayoutError, match=r"NIK \(kolom nik\), tanggal lahir \(kolom tanggal_lahir\)"
    ):
        _import(path)
    assert not Snapshot.objects.exists()


def test_empty_file_is_refused(db, tmp_path):
    path = tmp_path / "kosong.csv"
    path.write_text("")
    with pytest.raises(LayoutError, match="kosong"):
        _import(path)


def test_reimporting_the_same_file_is_recognised(db, tmp_path):
    path = write_dtks(tmp_path / "a.csv", people(10))
    first = _import(path)
    copy = shutil.copy(path, tmp_path / "renamed.csv")
    with pytest.raises(AlreadyImported) as info:
        _import(copy)
    assert info.value.snapshot == first
    assert Snapshot.objects.count() == 1


def test_newer_snapshot_supersedes_and_older_period_does_not(db, tmp_path):
    september = _import(write_dtks(tmp_path / "sep.csv", people(10)), period="2026-09")
    december = _import(write_dtks(tmp_path / "dec.csv", people(12)), period="2026-12")
    june = _import(write_dtks(tmp_path / "jun.csv", people(8)), period="2026-06")
    september.refresh_from_db()
    assert september.state == SnapshotState.SUPERSEDED
    assert december.state == SnapshotState.ACTIVE
    assert june.state == SnapshotState.SUPERSEDED


def test_failed_import_leaves_the_previous_snapshot_active(db, tmp_path, monkeypatch, caplog):
    old = _import(write_dtks(tmp_path / "old.csv", people(10)), period="2026-06")

    def boom(name):
        raise RuntimeError("disk penuh")

    monkeypatch.setattr(storage, "indexes_build", boom)
    with pytest.raises(RuntimeError), caplog.at_level("ERROR", logger="layan.registry"):
        _import(write_dtks(tmp_path / "new.csv", people(12)))
    old.refresh_from_db()
    assert old.state == SnapshotState.ACTIVE
    failed = Snapshot.objects.get(state=SnapshotState.FAILED)
    # The page says what happened; the cause goes to the server's log.
    assert failed.error == SYSTEM_FAILURE and "RuntimeError" not in failed.error
    assert "disk penuh" in caplog.text
    assert failed.rows_imported == 0
    assert not _table_exists(failed.table_name)


def test_semicolon_cp1252_dtsen_layout(db, tmp_path):
    text = (
        "PERIODE;KDPROV;KDKAB;KDKEC;KDDESA;NMKEC;NMDESA;ALAMAT;RT;RW;NOKK;NIK;NAMA;JNS_KEL;"
        "TMPT_LHR;TGL_LHR;HUB_KRT;DESIL_NASIONAL;STATUS;PKH;SEMBAKO;PBI_JK\r\n"
        f'2026-09;73;7308;730801;7308012008;BURIBU;BURE;"JL. KAKAK; NO 2";008;004;'
        f"7308011101070001;{make_nik(female=True, serial=7)};SITI AISYAH ÁÉ;2;BONE;12/09/1963;"
        "ISTRI;4;DITEMUKAN;Ya;Tidak;Ya\r\n"
    )
    path = tmp_path / "dtsen.csv"
    path.write_bytes(text.encode("cp1252"))
    snapshot = registry_import(path=path, source="dtsen", period="2026-09")
    assert snapshot.rows_imported == 1
    row = storage.person_by_nik(snapshot.table_name, int(make_nik(female=True, serial=7)))
    found = person_from_row(row)
    assert found.name == "SITI AISYAH ÁÉ"
    assert found.address == "JL. KAKAK; NO 2"
    assert found.sex == "P"
    assert str(found.birth_date) == "1963-09-12"
    assert found.programmes == ["PKH", "PBI-JK"]
    assert found.village_name == "BURE"
    assert snapshot.extra_columns == ["PERIODE"]


def test_xlsx_import(db, tmp_path):
    import xlsxwriter

    path = tmp_path / "dtks.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, DTKS_HEADER)
    for index, row in enumerate(people(30), start=1):
        values = row.values(index)
        values[DTKS_HEADER.index("desil")] = int(values[DTKS_HEADER.index("desil")])
        sheet.write_row(index, 0, values)
    sheet.write_row(31, 0, person(999, desil="0").values(31))
    workbook.close()
    snapshot = _import(path)
    assert snapshot.rows_imported == 30
    assert _rejections(snapshot) == [(32, "desil", "desil harus angka 1 sampai 10")]


def test_mapping_file_reads_another_layout(db, tmp_path):
    path = tmp_path / "lain.csv"
    path.write_text(
        "NIK_ART|KK|NAMA_LENGKAP|JK|TGL|KAB\n"
        f"{make_nik(serial=5)}|7308011101070001|BUDI|LK|12-09-1963|7308\n",
        encoding="utf-8",
    )
    layout = layout_from_mapping(
        {
            "columns": {
                "nik": "NIK_ART",
                "no_kk": "KK",
                "name": "NAMA_LENGKAP",
                "sex": "JK",
                "birth_date": "TGL",
                "regency_code": "KAB",
            },
            "sex": {"LK": "L", "PR": "P"},
            "date_format": "%d-%m-%Y",
        }
    )
    snapshot = _import(path, layout=layout)
    assert snapshot.rows_imported == 1
    assert snapshot.region_code == "73.08"


def test_bad_mapping_names_every_problem():
    with pytest.raises(LayoutError) as info:
        layout_from_mapping({"columns": {"nik": "A", "umur": "B"}, "sex": {"X": "Q"}})
    message = str(info.value)
    assert "isian 'umur' tidak dikenal" in message
    assert "isian wajib 'no_kk' tidak dipetakan" in message
    assert "'X' harus dipetakan ke L atau P" in message


def test_bad_period_or_source_is_refused(db, tmp_path):
    path = write_dtks(tmp_path / "a.csv", people(3))
    with pytest.raises(RegistryImportError, match="YYYY-MM"):
        _import(path, period="2026-13")
    with pytest.raises(RegistryImportError, match="dtks atau dtsen"):
        registry_import(path=path, source="bdt", period="2026-09")


def test_command_imports_and_summarises(db, tmp_path, capsys):
    rows = [*people(30), person(900, desil="0")]
    call_command("import_registry", str(write_dtks(tmp_path / "a.csv", rows)),
                 source="dtks", period="2026-09", no_progress=True)  # fmt: skip
    out = capsys.readouterr().out
    assert "31 baris dibaca, 30 diimpor, 1 ditolak" in out
    assert "baris 32, kolom desil" in out


def test_command_reports_missing_file_and_columns(db, tmp_path):
    with pytest.raises(CommandError, match="tidak ada"):
        call_command("import_registry", str(tmp_path / "x.csv"), source="dtks", period="2026-09")
    path = tmp_path / "b.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(CommandError, match="Kolom wajib tidak ada"):
        call_command("import_registry", str(path), source="dtks", period="2026-09")


def _table_exists(name: str) -> bool:
    from django.db import connection

    return name in connection.introspection.table_names()


def test_parallel_validation_gives_the_same_snapshot(db, tmp_path):
    rows = people(230)
    rows[17] = person(900, desil="12")
    rows[151] = person(901, jenis_kelamin="PEREMPUAN")
    rows.append(person(5))  # duplicate of an earlier NIK
    path = write_dtks(tmp_path / "a.csv", rows)
    serial = registry_import(path=path, source="dtks", period="2026-06", parallel=False,
                             chunk_rows=40)  # fmt: skip
    copy = tmp_path / "b.csv"
    copy.write_bytes(path.read_bytes() + b"\n")  # another hash, same rows
    parallel = registry_import(path=copy, source="dtks", period="2026-09", parallel=True,
                               chunk_rows=40)  # fmt: skip
    assert _rejections(parallel) == _rejections(serial)
    assert len(_rejections(serial)) == 3
    for snapshot in (serial, parallel):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT nik, line FROM {snapshot.table_name} ORDER BY line")
            snapshot.stored = cursor.fetchall()
    assert parallel.stored == serial.stored
    assert len(parallel.stored) == 228


def test_tabs_backslashes_and_line_breaks_inside_fields_survive(db, tmp_path):
    rows = people(30)
    rows[3].extra = {"alamat": "JL. MAWAR\tNO. 1\\2\nRT 3", "tempat_lahir": "N\\A"}
    snapshot = _import(write_dtks(tmp_path / "a.csv", rows), parallel=True, chunk_rows=7)
    found = person_from_row(storage.person_by_nik(snapshot.table_name, int(rows[3].nik)))
    assert found.address == "JL. MAWAR\tNO. 1\\2\nRT 3"
    assert found.birth_place == "N\\A"
    assert snapshot.rows_imported == 30


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner statistics")
@pytest.mark.django_db(transaction=True)  # committed as an import is, not in a test transaction
def test_on_postgresql_the_import_leaves_statistics_that_plan_lookups_on_the_indexes(tmp_path):
    snapshot = _import(write_dtks(tmp_path / "a.csv", people(3000)))
    table = snapshot.table_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, n_distinct FROM pg_stats WHERE tablename = %s ORDER BY attname",
            [table],
        )
        spread = dict(cursor.fetchall())
        cursor.execute("SHOW default_statistics_target")
        target = cursor.fetchone()[0]
        cursor.execute(
            f"EXPLAIN {storage._household_of_nik_sql(table)}", {"nik": int(people(1)[0].nik)}
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert set(spread) == {"nik", "no_kk"}
    assert spread["nik"] == -1  # every NIK distinct
    assert target == "100"  # the small sample was the ANALYZE's alone
    assert "Seq Scan" not in plan and f"{table}_pkey" in plan and f"{table}_kk" in plan
