"""Service definition files: the bundled ones load, broken ones say every error and where."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from layan.catalogue.models import Service
from layan.catalogue.parsing import definition_parse, definitions_check
from layan.catalogue.services import DefinitionError, service_load

BUNDLED = sorted(settings.SOPS_DIR.rglob("*.yaml"))
BONE_KIP = settings.SOPS_DIR / "bone" / "rekomendasi-kip.yaml"

# Every service the seeds describe, by office folder and code.
SEED_SERVICES = {
    ("bone", "rekomendasi-kip"),
    ("bone", "bansos-disabilitas-lansia-ppks"),
    ("bima", "rekomendasi-pip"),
    ("blitar", "surat-keterangan-kip"),
    ("mataram", "rekomendasi-dtks-kip"),
    ("mataram", "pengaduan-slrt"),
    ("banyuasin", "usulan-baru-dtks-bansos"),
}


def test_every_seed_service_is_bundled():
    bundled = {(path.parent.name, path.stem) for path in BUNDLED}
    assert bundled == SEED_SERVICES


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_bundled_definition_is_valid(path: Path):
    doc, problems = definition_parse(path.read_text(encoding="utf-8"))
    assert problems == []
    assert doc is not None
    assert doc.code == path.stem
    assert doc.office == path.parent.name


BROKEN = """\
code: Bad Code
office: bone
name: Contoh rusak
time_standard: {duration: 15 minutes}
actors:
  petugas: {label: Petugas, role: satpam}
steps:
  - key: periksa
    kind: checklist
    actor: petugas
    outcomes: {lengkap: cek, tidak_lengkap: ditolak}
  - key: cek
    kind: teleport
    actor: petugas
    end: selesai
"""


def test_broken_definition_reports_each_error_with_path_and_line():
    doc, problems = definition_parse(BROKEN)
    assert doc is None
    found = {(p.path, p.line) for p in problems}
    assert ("code", 1) in found
    assert ("time_standard", 4) in found
    assert ("actors.petugas.role", 6) in found
    assert ("steps[1].kind", 13) in found
    messages = " ".join(p.message for p in problems)
    assert "15 minutes" in messages
    assert "satpam" in messages


def test_semantic_errors_name_the_field():
    text = BONE_KIP.read_text()
    text = text.replace("next: paraf_kabid", "next: paraf_camat")
    text = text.replace("actor: kabid\n", "actor: lurah\n")
    doc, problems = definition_parse(text)
    assert doc is None
    paths = {p.path: p for p in problems}
    assert "paraf_camat" in paths["steps[4].next"].message
    assert "lurah" in paths["steps[5].actor"].message
    assert paths["steps[4].next"].line is not None


def test_unreachable_and_dead_end_steps_are_reported():
    text = BONE_KIP.read_text().replace(
        "outcomes: {lengkap: cek_dtks, tidak_lengkap: ditolak}",
        "outcomes: {lengkap: rujuk_desa, tidak_lengkap: ditolak}",
    )
    _, problems = definition_parse(text)
    messages = [p.message for p in problems]
    assert any("cek_dtks" in m and "tidak pernah tercapai" in m for m in messages)


def test_registry_check_outcomes_are_fixed():
    text = BONE_KIP.read_text().replace(
        "outcomes: {terdaftar: buat_surat, tidak_terdaftar: rujuk_desa}",
        "outcomes: {ada: buat_surat, tidak_ada: rujuk_desa}",
    )
    _, problems = definition_parse(text)
    assert any(p.path == "steps[2].outcomes" for p in problems)


def test_yaml_syntax_error_names_the_line():
    _, problems = definition_parse("code: a\nname: [unclosed\nsteps: 1\n")
    assert len(problems) == 1
    assert problems[0].line is not None
    assert "YAML" in problems[0].message


def test_check_sops_command_passes_on_bundled(capsys):
    call_command("check_sops", str(settings.SOPS_DIR))
    assert f"{len(BUNDLED)} berkas diperiksa, 0 bermasalah" in capsys.readouterr().out


def test_check_sops_command_fails_and_lists_every_error(tmp_path, capsys):
    bad = tmp_path / "rusak.yaml"
    bad.write_text(BROKEN)
    (tmp_path / "baik.yaml").write_text(BONE_KIP.read_text())
    with pytest.raises(CommandError, match="2 berkas diperiksa, 1 bermasalah"):
        call_command("check_sops", str(tmp_path))
    err = capsys.readouterr().err
    assert f"{bad}:1: code:" in err
    assert f"{bad}:6: actors.petugas.role:" in err
    assert f"{bad}:13: steps[1].kind:" in err


def test_check_sops_missing_path():
    with pytest.raises(CommandError, match="tidak ada"):
        call_command("check_sops", "/nonexistent/layan")


def test_definitions_check_reports_unreadable_file(tmp_path):
    (tmp_path / "latin1.yaml").write_bytes("name: caf\xe9".encode("latin-1"))
    report = definitions_check(tmp_path)
    [problems] = report.values()
    assert "tidak dapat dibaca" in problems[0].message


@pytest.mark.django_db
def test_loading_a_changed_file_makes_a_new_version_and_keeps_the_old(seeded):
    service = Service.objects.get(office__slug="bone", code="rekomendasi-kip")
    first = service.current_version
    changed = BONE_KIP.read_text().replace("15 Menit", "20 Menit").replace("15m", "20m")
    result = service_load(text=changed, source_name="rekomendasi-kip.yaml")
    assert result.created
    assert result.version.number == first.number + 1
    assert service.versions.count() == 2
    first.refresh_from_db()
    assert first.data["time_standard"]["text"] == "15 Menit"
    assert service.current_version.data["time_standard"]["text"] == "20 Menit"


@pytest.mark.django_db
def test_loading_the_same_content_again_makes_no_version(seeded):
    again = service_load(text=BONE_KIP.read_text() + "\n# a comment only\n")
    assert not again.created
    assert again.version.number == 1


@pytest.mark.django_db
def test_loading_a_broken_file_writes_nothing(seeded):
    before = Service.objects.count()
    with pytest.raises(DefinitionError) as info:
        service_load(text=BROKEN.replace("Bad Code", "baru"), source_name="rusak.yaml")
    assert any(p.path == "actors.petugas.role" for p in info.value.problems)
    assert Service.objects.count() == before


@pytest.mark.django_db
def test_loading_for_an_unknown_office_is_refused(seeded):
    text = BONE_KIP.read_text().replace("office: bone", "office: atlantis")
    with pytest.raises(DefinitionError, match="atlantis"):
        service_load(text=text, source_name="x.yaml")
