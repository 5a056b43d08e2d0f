"""Fixtures of the revision tests: Bone's staff by role, and a KIP case sent back by the kabid.

The fixtures are made known to the cases tests by conftest.py; the helpers are imported.
"""

import pytest

from layan.cases.models import Case
from layan.cases.services import Applicant, Subject, case_act, case_create
from layan.cases.testing import walk
from layan.offices.models import Office

RETURN_REASON = "Nama anak pada surat salah ketik; sesuaikan dengan Kartu Keluarga."


@pytest.fixture
def bone_staff(office_register, make_user):
    """Bone's petugas, kabid and kadin (with full names), and Bima's petugas as the outsider."""
    staff = {
        "petugas": make_user("ani", bone=["petugas"]),
        "kabid": make_user("kabid.bone", bone=["kabid"]),
        "kadin": make_user("kadin.bone", bone=["kadin"]),
        "outsider": make_user("budi", bima=["petugas"]),
    }
    names = {"petugas": "Ani Rahmawati", "kabid": "Andi Kepala Bidang", "kadin": "Hj. Kadin Bone"}
    for role, full_name in names.items():
        staff[role].full_name = full_name
        staff[role].save(update_fields=["full_name"])
    return staff


def kip_case(office_register, staff, *, child: str = "Budi Santosa") -> Case:
    """A Bone KIP case for a parent and their (registered) child, at its checklist."""
    nik = office_register["bone"]["registered"]
    return case_create(
        office=Office.objects.get(slug="bone"), service_code="rekomendasi-kip",
        user=staff["petugas"],
        applicant=Applicant(name="Ibu Sari Wulandari", nik=office_register["bone"]["unknown"],
                            phone="081234567890", address="Jl. Mawar 1, Watampone"),
        subject=Subject(name=child, nik=nik, relation="anak", data={"sekolah": "SDN 1 Watampone"}),
        duplicate_reason="uji: beberapa permohonan untuk orang yang sama",
    )  # fmt: skip


def kabid_returns(case: Case, kabid, reason: str = RETURN_REASON) -> Case:
    case_act(case_id=case.pk, user=kabid, step="paraf_kabid", outcome="kembalikan",
             data={"reason": reason})  # fmt: skip
    case.refresh_from_db()
    return case


@pytest.fixture
def returned_case(office_register, bone_staff) -> Case:
    """Drafted, then sent back by the kabid with a reason: it stands at buat_surat again."""
    case = walk(kip_case(office_register, bone_staff), staff=bone_staff, to="paraf_kabid")
    return kabid_returns(case, bone_staff["kabid"])
