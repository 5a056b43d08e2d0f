"""The seed offices' stories, acted by the people who hold each step's role."""

import pytest
from django.core.exceptions import PermissionDenied

from layan.cases.models import CaseState, Referral
from layan.cases.services import (
    Applicant,
    CaseConflict,
    CaseError,
    Subject,
    case_act,
    case_create,
)
from layan.catalogue.models import Service
from layan.catalogue.services import service_load
from layan.offices.models import Office


@pytest.fixture
def staff(make_user):
    """staff("bone", "kabid") -> a user holding that one role at that office."""
    made = {}

    def get(slug: str, role: str):
        if (slug, role) not in made:
            made[slug, role] = make_user(f"{slug}.{role}.uji", **{slug: [role]})
        return made[slug, role]

    return get


def _new(slug, code, nik, staff, subject: Subject | None = None):
    return case_create(
        office=Office.objects.get(slug=slug), service_code=code, user=staff(slug, "petugas"),
        applicant=Applicant(name="Ibu Sari", nik=nik, phone="0812-3456-7804"), subject=subject,
    )  # fmt: skip


def _act(case, user, step, outcome=None, **kwargs):
    if outcome == "setuju" and "data" not in kwargs:  # a paraf or signature is confirmed
        kwargs["data"] = {"password": "rahasia-panjang-123"}
    record = case_act(case_id=case.pk, user=user, step=step, outcome=outcome, **kwargs)
    case.refresh_from_db()
    return record


BONE_KIP_DOCS = {"checked": ["kartu_pelajar", "kk"]}


def test_bone_kip_registered_signed_by_kadin_and_handed_over(office_register, staff):
    nik = office_register["bone"]["registered"]
    case = _new("bone", "rekomendasi-kip", nik, staff)
    assert case.current_step == "periksa"
    _act(case, staff("bone", "petugas"), "periksa", "lengkap", data=BONE_KIP_DOCS)
    check = _act(case, staff("bone", "petugas"), "cek_dtks")
    assert check.outcome == "terdaftar"
    assert check.data["found"] and check.data["period"] == "2026-09"
    assert case.current_step == "buat_surat"
    _act(case, staff("bone", "petugas"), "buat_surat")
    _act(case, staff("bone", "kabid"), "paraf_kabid", "setuju")
    signed = _act(case, staff("bone", "kadin"), "ttd_kadin", "setuju")
    assert signed.role == "kadin" and signed.user == staff("bone", "kadin")
    _act(case, staff("bone", "petugas"), "serahkan")
    assert case.state == CaseState.DONE
    assert [r.step for r in case.records.order_by("seq")] == [
        "terima", "periksa", "cek_dtks", "buat_surat", "paraf_kabid", "ttd_kadin", "serahkan",
    ]  # fmt: skip


def test_bone_kip_not_registered_is_referred_to_the_village(office_register, staff):
    nik = office_register["bone"]["unknown"]
    case = _new("bone", "rekomendasi-kip", nik, staff)
    _act(case, staff("bone", "petugas"), "periksa", "lengkap", data=BONE_KIP_DOCS)
    assert _act(case, staff("bone", "petugas"), "cek_dtks").outcome == "tidak_terdaftar"
    _act(case, staff("bone", "petugas"), "rujuk_desa", note="layak diusulkan")
    assert case.state == CaseState.REFERRED
    referral = Referral.objects.get(case=case)
    assert referral.to == "Enumerator Desa/Kelurahan"
    assert referral.nik == nik and referral.fulfilled_at is None


def test_bima_not_in_dtks_is_referred_to_the_kelurahan_musyawarah(office_register, staff):
    case = _new("bima", "rekomendasi-pip", office_register["bima"]["unknown"], staff)
    assert _act(case, staff("bima", "petugas"), case.current_step).outcome == "tidak_terdaftar"
    _act(case, staff("bima", "petugas"), case.current_step)
    assert case.state == CaseState.REFERRED
    assert "musyawarah" in Referral.objects.get(case=case).to.lower()


def test_blitar_incomplete_file_is_rejected_the_same_day(office_register, staff):
    case = _new("blitar", "surat-keterangan-kip", office_register["blitar"]["registered"], staff)
    record = _act(case, staff("blitar", "petugas"), "periksa", "tidak_lengkap",
                  data={"checked": ["kk"], "reason": "SKTM belum ada"})  # fmt: skip
    assert case.state == CaseState.REJECTED
    assert "sktm" in record.data["missing"]
    assert case.finished_at.date() == case.created_at.date()


def test_blitar_not_registered_still_gets_its_letter(office_register, staff):
    child = Subject(name="Budi Anak", nik=office_register["blitar"]["unknown"], relation="anak")
    case = _new("blitar", "surat-keterangan-kip", office_register["blitar"]["registered"], staff,
                subject=child)  # fmt: skip
    complete = {"checked": ["sktm", "kk", "ktp_kia"]}
    _act(case, staff("blitar", "petugas"), "periksa", "lengkap", data=complete)
    assert _act(case, staff("blitar", "petugas"), "verifikasi").outcome == "tidak_terdaftar"
    assert case.current_step == "buat_surat"
    _act(case, staff("blitar", "petugas"), "buat_surat")
    _act(case, staff("blitar", "kabid"), "paraf_kabid", "setuju")
    _act(case, staff("blitar", "kadin"), "ttd_kadin", "setuju")
    _act(case, staff("blitar", "petugas"), "serahkan")
    assert case.state == CaseState.DONE


def test_banyuasin_returned_by_the_kadin_and_resubmitted(office_register, staff, tmp_path):
    case = _new("banyuasin", "usulan-baru-dtks-bansos", office_register["banyuasin"]["unknown"],
                staff)  # fmt: skip
    chain = [("disposisi_kadin", "kadin"), ("disposisi_sekretaris", "sekretaris"),
             ("disposisi_kabid", "kabid")]  # fmt: skip
    for step, role in chain:
        _act(case, staff("banyuasin", role), step, data={"to": "Bidang Linjamsos"})
    requirements = ["ktp", "kk", "sk_miskin", "foto_rumah", "survey_kriteria"]
    _act(case, staff("banyuasin", "supervisor"), "periksa", "lengkap",
         data={"checked": requirements})  # fmt: skip
    _attach(case, staff("banyuasin", "operator"), ["survey_kriteria", "foto_rumah"])
    _act(case, staff("banyuasin", "operator"), "survey_kriteria")
    _act(case, staff("banyuasin", "operator"), "input_siksng",
         data={"fields": {"id_usulan_siksng": "US-2026-0001"}})  # fmt: skip
    for _ in range(2):  # drafted, paraf'd twice, returned once by the kadin
        _act(
            case,
            staff("banyuasin", "supervisor"),
            "draft_pengesahan",
            data={"password": "rahasia-panjang-123"},
        )  # the supervisor initials the draft
        _act(case, staff("banyuasin", "kabid"), "paraf_kabid", "setuju")
        _act(case, staff("banyuasin", "sekretaris"), "paraf_sekretaris", "setuju")
        if case.records.filter(step="ttd_kadin").exists():
            break
        returned = _act(case, staff("banyuasin", "kadin"), "ttd_kadin", "kembalikan",
                        note="Lampiran tabel usulan belum lengkap")  # fmt: skip
        assert returned.note == "Lampiran tabel usulan belum lengkap"
        assert case.current_step == "draft_pengesahan"
    _act(case, staff("banyuasin", "kadin"), "ttd_kadin", "setuju")
    _act(case, staff("banyuasin", "supervisor"), "usulan_dikirim")
    assert case.state == CaseState.DONE
    steps = [r.step for r in case.records.order_by("seq")]
    assert steps.count("draft_pengesahan") == 2 and steps.count("ttd_kadin") == 2


def _attach(case, user, keys):
    from django.core.files.base import ContentFile

    from layan.cases.models import Attachment

    for key in keys:
        Attachment.objects.create(
            case=case, requirement=key, original_name=f"{key}.jpg", content_type="image/jpeg",
            size=3, sha256="0" * 64, uploaded_by=user,
            file=ContentFile(b"\xff\xd8\xff", name=f"{key}.jpg"),
        )  # fmt: skip


def test_case_finishes_on_the_version_it_started_on(office_register, staff):
    case = _new("bone", "rekomendasi-kip", office_register["bone"]["registered"], staff)
    started_on = case.version
    service = Service.objects.get(office__slug="bone", code="rekomendasi-kip")
    text = service.current_version.source_text
    # The new version drops the kabid's paraf: the kadin signs straight after the draft.
    newer = text.replace("next: paraf_kabid", "next: ttd_kadin")
    newer = (
        newer[: newer.index("  - key: paraf_kabid")] + newer[newer.index("  - key: ttd_kadin") :]
    )
    assert service_load(text=newer, source_name="v2.yaml").created
    _act(case, staff("bone", "petugas"), "periksa", "lengkap", data=BONE_KIP_DOCS)
    _act(case, staff("bone", "petugas"), "cek_dtks")
    _act(case, staff("bone", "petugas"), "buat_surat")
    assert case.current_step == "paraf_kabid"  # the old version's chain still applies
    _act(case, staff("bone", "kabid"), "paraf_kabid", "setuju")
    _act(case, staff("bone", "kadin"), "ttd_kadin", "setuju")
    _act(case, staff("bone", "petugas"), "serahkan")
    case.refresh_from_db()
    assert case.state == CaseState.DONE and case.version == started_on
    fresh = _new("bone", "rekomendasi-kip", office_register["bone"]["registered"], staff)
    assert fresh.version.number == started_on.number + 1


def test_approval_chain_cannot_be_skipped(office_register, staff):
    case = _new("bone", "rekomendasi-kip", office_register["bone"]["registered"], staff)
    _act(case, staff("bone", "petugas"), "periksa", "lengkap", data=BONE_KIP_DOCS)
    _act(case, staff("bone", "petugas"), "cek_dtks")
    _act(case, staff("bone", "petugas"), "buat_surat")
    with pytest.raises(CaseConflict):
        _act(case, staff("bone", "kadin"), "ttd_kadin", "setuju")
    with pytest.raises(PermissionDenied, match="Kepala Bidang"):
        _act(case, staff("bone", "kadin"), "paraf_kabid", "setuju")


@pytest.mark.parametrize(
    ("step", "outcome", "kwargs", "field"),
    [
        ("periksa", "lengkap", {"data": {"checked": ["kk"]}}, "data.checked"),
        ("periksa", "tidak_lengkap", {"data": {"checked": []}}, "data.reason"),
        ("periksa", "mungkin", {"data": {"checked": []}}, "outcome"),
        ("periksa", "lengkap", {"data": {"checked": ["paspor"]}}, "data.checked"),
    ],
)
def test_bad_actions_name_the_field(office_register, staff, step, outcome, kwargs, field):
    case = _new("bone", "rekomendasi-kip", office_register["bone"]["registered"], staff)
    with pytest.raises(CaseError) as info:
        _act(case, staff("bone", "petugas"), step, outcome, **kwargs)
    assert info.value.field == field
    assert case.records.count() == 1  # nothing half-written


def test_registry_check_takes_no_outcome(office_register, staff):
    case = _new("bone", "rekomendasi-kip", office_register["bone"]["unknown"], staff)
    _act(case, staff("bone", "petugas"), "periksa", "lengkap", data=BONE_KIP_DOCS)
    with pytest.raises(CaseError) as info:
        _act(case, staff("bone", "petugas"), "cek_dtks", "terdaftar")
    assert info.value.field == "outcome"


def test_other_offices_staff_cannot_create_or_act(office_register, staff):
    with pytest.raises(PermissionDenied):
        case_create(
            office=Office.objects.get(slug="bone"),
            service_code="rekomendasi-kip",
            user=staff("bima", "petugas"),
            applicant=Applicant(name="X", nik=office_register["bone"]["registered"]),
        )
    case = _new("bone", "rekomendasi-kip", office_register["bone"]["registered"], staff)
    with pytest.raises(PermissionDenied):
        _act(case, staff("bima", "petugas"), "periksa", "lengkap", data=BONE_KIP_DOCS)


def test_invalid_applicant_nik_is_refused(seeded, staff):
    with pytest.raises(CaseError) as info:
        _new("bone", "rekomendasi-kip", "1234", staff)
    assert info.value.field == "applicant.nik"


def test_a_form_shown_before_a_loop_cannot_act_on_the_new_round(office_register, staff):
    case = _new("bone", "rekomendasi-kip", office_register["bone"]["registered"], staff)
    shown_at = case.step_seq
    _act(case, staff("bone", "petugas"), "periksa", "lengkap", data=BONE_KIP_DOCS)
    with pytest.raises(CaseConflict, match="sudah berubah"):
        case_act(case_id=case.pk, user=staff("bone", "petugas"), step="cek_dtks",
                 seen_seq=shown_at)  # fmt: skip
    assert case_act(case_id=case.pk, user=staff("bone", "petugas"), step="cek_dtks",
                    seen_seq=case.step_seq).outcome == "terdaftar"  # fmt: skip


def test_attachments_are_typed_by_content_and_keep_the_uploaders_name(office_register, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from layan.cases.services import attachment_add
    from layan.core.testing import scan_image

    case = _new("bone", "rekomendasi-kip", office_register["bone"]["registered"], staff)
    png = SimpleUploadedFile("scan KK ibu.pdf", scan_image("PNG"))
    kept = attachment_add(case_id=case.pk, user=staff("bone", "petugas"), requirement="kk",
                          upload=png)  # fmt: skip
    assert (kept.content_type, kept.original_name) == ("image/png", "scan KK ibu.pdf")
    assert kept.file.name.endswith(".png")
    text = SimpleUploadedFile("kk.pdf", b"bukan pdf")
    with pytest.raises(CaseError, match="PDF, JPEG atau PNG") as info:
        attachment_add(case_id=case.pk, user=staff("bone", "petugas"), requirement="kk",
                       upload=text)  # fmt: skip
    assert info.value.field == "file"
    with pytest.raises(PermissionDenied):
        attachment_add(case_id=case.pk, user=staff("bima", "petugas"), requirement="kk",
                       upload=png)  # fmt: skip
