"""Seed offices load with their own facts, and loading again changes nothing."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from layan.offices.models import Acting, Office
from layan.offices.services import office_load_seed

EXPECTED = {
    "bone": ("73.08", "Asia/Makassar", "Dinas Sosial Kabupaten Bone"),
    "bima": ("52.72", "Asia/Makassar", "Dinas Sosial Kota Bima"),
    "blitar": ("35.72", "Asia/Jakarta", "Dinas Sosial Kota Blitar"),
    "mataram": ("52.71", "Asia/Makassar", "Dinas Sosial Kota Mataram"),
    "banyuasin": ("16.07", "Asia/Jakarta", "Dinas Sosial Kabupaten Banyuasin"),
}


@pytest.mark.parametrize("slug", EXPECTED)
def test_seed_office_has_its_region_and_time_zone(seeded, slug):
    office = Office.objects.get(slug=slug)
    assert (office.region_code, office.time_zone, office.name) == EXPECTED[slug]


def test_bima_head_is_acting(seeded):
    bima = Office.objects.get(slug="bima")
    assert bima.head_acting == Acting.PLT
    assert bima.head_name == "Drs. Abdul Gawis"
    assert bima.head_nip == "19621231199103 1 181"
    assert bima.head_signature_title == "Plt. Kepala Dinas Sosial Kota Bima"


def test_bone_officers_and_channels(seeded):
    bone = Office.objects.get(slug="bone")
    names = list(bone.officers.values_list("name", flat=True))
    assert "Ayu Puspitasari, S.Sos" in names
    assert "A.Kiki Ria Rahma Lia, S.Pd" in names
    assert len([n for n in names if "," in n or n == "Sri Hartina"]) == 8
    assert bone.channels.filter(kind="instagram", value="dinsos_bone").exists()


def test_mataram_has_seven_complaint_channels(seeded):
    mataram = Office.objects.get(slug="mataram")
    kinds = list(mataram.channels.values_list("kind", flat=True))
    assert kinds == ["langsung", "sp4n_lapor", "email", "website", "survei", "telepon", "kotak"]


def test_loading_a_seed_twice_does_not_duplicate(seeded):
    path = settings.OFFICES_SEED_DIR / "bone.yaml"
    office_load_seed(path=path)
    bone = Office.objects.get(slug="bone")
    assert bone.officers.count() == 10
    assert bone.units.count() == 1
    assert Office.objects.count() == 5


def test_bad_region_code_is_refused(db, tmp_path):
    seed = (settings.OFFICES_SEED_DIR / "blitar.yaml").read_text()
    bad = tmp_path / "blitar.yaml"
    bad.write_text(seed.replace('region_code: "35.72"', 'region_code: "35-72"'))
    with pytest.raises(ValidationError) as info:
        office_load_seed(path=bad)
    assert "region_code" in info.value.message_dict
    assert not Office.objects.exists()


def test_reserved_slug_is_refused(db, tmp_path):
    seed = (settings.OFFICES_SEED_DIR / "blitar.yaml").read_text()
    bad = tmp_path / "admin.yaml"
    bad.write_text(seed.replace("slug: blitar", "slug: admin"))
    with pytest.raises(ValidationError) as info:
        office_load_seed(path=bad)
    assert "slug" in info.value.message_dict
