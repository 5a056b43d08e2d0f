"""Closing the referral loop: a later snapshot with the referred person fulfils the referral."""

from layan.cases.models import Referral
from layan.cases.selectors import referrals_fulfilled
from layan.cases.services import Applicant, case_act, case_create
from layan.offices.models import Office
from layan.registry.importing import registry_import
from layan.registry.tests.factories import person, write_dtks


def _refer(slug: str, nik: str, user) -> Referral:
    office = Office.objects.get(slug=slug)
    code = "rekomendasi-kip" if slug == "bone" else "rekomendasi-pip"
    case = case_create(
        office=office, service_code=code, user=user, applicant=Applicant(name="Ibu Sari", nik=nik)
    )
    while case.is_open:
        step = case.current_step
        data = {"checked": ["kartu_pelajar", "kk"]} if step == "periksa" else {}
        outcome = "lengkap" if step == "periksa" else None
        case_act(case_id=case.pk, user=user, step=step, outcome=outcome, data=data)
        case.refresh_from_db()
    return case.referral


def test_new_snapshot_fulfils_referrals_of_people_now_registered(
    office_register, all_roles_user, tmp_path, django_capture_on_commit_callbacks
):
    bone_user = all_roles_user("bone")
    later_registered = _refer("bone", person(501).nik, bone_user)
    still_missing = _refer("bone", person(502).nik, bone_user)
    bima_nik = office_register["bima"]["unknown"]
    bima_referral = _refer("bima", bima_nik, all_roles_user("bima"))
    assert later_registered.to == "Enumerator Desa/Kelurahan"

    rows = [person(501), person(11, nik=office_register["bone"]["registered"])]
    with django_capture_on_commit_callbacks(execute=True):
        snapshot = registry_import(
            path=write_dtks(tmp_path / "dec.csv", rows), source="dtks", period="2026-12",
            region="73.08",
        )  # fmt: skip
    for referral in (later_registered, still_missing, bima_referral):
        referral.refresh_from_db()
    assert later_registered.fulfilled_at is not None
    assert later_registered.fulfilled_snapshot == snapshot
    assert still_missing.fulfilled_at is None
    assert bima_referral.fulfilled_at is None
    assert list(referrals_fulfilled(office=Office.objects.get(slug="bone"))) == [later_registered]


def test_office_sees_its_referred_people_now_registered(
    client, office_register, all_roles_user, make_user, tmp_path, django_capture_on_commit_callbacks
):
    bone_user = all_roles_user("bone")
    referral = _refer("bone", person(601).nik, bone_user)
    with django_capture_on_commit_callbacks(execute=True):
        registry_import(path=write_dtks(tmp_path / "jan.csv", [person(601)]), source="dtks",
                        period="2027-01", region="73.08")  # fmt: skip
    client.force_login(bone_user)
    page = client.get("/staf/bone/permohonan/rujukan-terdaftar/").content.decode()
    assert referral.case.tracking_code in page and person(601).nik in page
    client.force_login(make_user("petugas.bima", bima=["petugas"]))
    assert client.get("/staf/bone/permohonan/rujukan-terdaftar/").status_code == 404
    tracking = client.get(f"/lacak/{referral.case.tracking_code}/").content.decode()
    assert "terdaftar" in tracking.lower()
    assert person(601).nik not in tracking
