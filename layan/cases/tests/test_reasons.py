"""Reasons reach the citizen: ending a case as ditolak or dirujuk needs a reason the
applicant reads on the tracking page (with what to do next), the page confirms first,
and neither the reason nor the tracking answer carries personal data."""

import pytest
from django.urls import reverse

from layan.cases.models import Case, CaseState, Referral
from layan.cases.services import Applicant, CaseError, Subject, case_act, case_create, case_doc
from layan.cases.steps import kind_of
from layan.cases.testing import walk
from layan.catalogue import graph
from layan.catalogue.models import ServiceVersion
from layan.catalogue.parsing import definition_parse
from layan.catalogue.selectors import version_doc
from layan.catalogue.services import service_load
from layan.offices.models import Office

PARENT, CHILD = "Ibu Sari Wulandari", "Budi Santoso"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def petugas(office_register, make_user):
    return make_user("loket.alasan", bone=["petugas"])


def _case(office_register, user, *, nik_kind="registered", service="rekomendasi-kip") -> Case:
    child = Subject(name=CHILD, nik=office_register["bone"][nik_kind], relation="anak")
    return case_create(
        office=Office.objects.get(slug="bone"),
        service_code=service,
        applicant=Applicant(
            name=PARENT,
            nik=office_register["bone"]["unknown"],
            phone="081234567890",
            address="Jl. Andalas 12",
        ),
        subject=child,
        user=user,
    )


def _reject(case: Case, user, **extra) -> None:
    case_act(
        case_id=case.pk,
        user=user,
        step="periksa",
        outcome="tidak_lengkap",
        data={"checked": ["kk"], **extra},
    )


def _personal(case: Case) -> list[str]:
    return [
        case.applicant_name,
        case.applicant_nik,
        case.subject_name,
        case.subject_nik,
        case.applicant_phone,
        case.applicant_address,
    ]


# ---- the rule: every outcome that turns the applicant away needs a reason ----------------


def test_every_outcome_ending_in_ditolak_or_dirujuk_needs_a_reason_in_every_bundled_service(
    seeded,
):
    seen = set()
    for version in ServiceVersion.objects.all():
        doc = version_doc(version)
        for step in doc.steps:
            kind = kind_of(step.kind)
            for outcome in kind.choosable(step):
                if graph.turns_away(step, outcome):
                    seen.add((step.kind.value, graph.step_target(step, outcome)))
                    assert kind.reason_needed(step, outcome), (doc.code, step.key, outcome)
                    schema = kind.input_schema(doc, step)
                    assert "reason" in schema["properties"]
                    assert "tanpa data pribadi" in schema["properties"]["reason"]["description"]
    # Checklists turn down, refer steps refer: both kinds are among the bundled ones.
    assert {("checklist", "ditolak"), ("refer", "dirujuk")} <= seen


def test_the_service_listing_names_the_reasons_required(client, seeded):
    services = client.get("/api/v1/offices/bone/services").json()
    kip = next(s for s in services if s["code"] == "rekomendasi-kip")
    steps = {s["key"]: s for s in kip["steps"]}
    assert steps["periksa"]["reason_required"] == ["tidak_lengkap"]
    assert steps["rujuk_desa"]["reason_required"] == ["dirujuk"]
    assert steps["cek_dtks"]["reason_required"] == []  # the system decides


# A Bone service whose register check turns people down itself, and whose form ends in ditolak.
STRICT = """\
code: uji-alasan
office: bone
name: Layanan uji alasan
requirements:
  - {key: kk, label: Kartu keluarga/ KK}
actors:
  petugas: {label: Petugas Layanan, role: petugas}
steps:
  - key: terima
    kind: intake
    actor: petugas
    next: cek
  - key: cek
    kind: registry_check
    actor: petugas
    outcomes: {terdaftar: nilai, tidak_terdaftar: ditolak}
  - key: nilai
    kind: form
    actor: petugas
    fields:
      - {key: catatan_survei, label: Catatan survei, type: text}
    end: ditolak
"""


@pytest.fixture
def strict(seeded):
    return service_load(text=STRICT).version


def test_a_system_decided_refusal_tells_the_register_answer(strict, office_register, petugas):
    case = _case(office_register, petugas, nik_kind="unknown", service="uji-alasan")
    record = case_act(case_id=case.pk, user=petugas, step="cek")
    case.refresh_from_db()
    assert case.state == CaseState.REJECTED
    assert record.data["reason"] == "Tidak terdaftar, data DTKS per September 2026"


def test_a_form_step_that_ends_in_ditolak_needs_a_reason_too(strict, office_register, petugas):
    case = _case(office_register, petugas, service="uji-alasan")
    case_act(case_id=case.pk, user=petugas, step="cek")
    with pytest.raises(CaseError) as info:
        case_act(case_id=case.pk, user=petugas, step="nilai", data={"catatan_survei": "dinilai"})
    assert info.value.field == "data.reason"
    assert "disampaikan kepada pemohon" in str(info.value)
    case_act(
        case_id=case.pk,
        user=petugas,
        step="nilai",
        data={"catatan_survei": "dinilai", "reason": "Tidak memenuhi kriteria"},
    )
    case.refresh_from_db()
    assert case.state == CaseState.REJECTED


# ---- the checklist: the reason, separate from the officers' note ----------------------


def test_a_note_alone_is_not_a_reason_told_to_the_applicant(office_register, petugas):
    case = _case(office_register, petugas)
    with pytest.raises(CaseError) as info:
        case_act(
            case_id=case.pk,
            user=petugas,
            step="periksa",
            outcome="tidak_lengkap",
            note="berkas dibawa pulang",
            data={"checked": ["kk"]},
        )
    assert info.value.field == "data.reason" and "Tidak lengkap" in str(info.value)
    assert case.records.count() == 1  # nothing half-written


def test_the_reason_is_kept_for_the_applicant_and_the_note_for_officers(office_register, petugas):
    case = _case(office_register, petugas)
    case_act(
        case_id=case.pk,
        user=petugas,
        step="periksa",
        outcome="tidak_lengkap",
        note="Pemohon akan kembali besok",
        data={"checked": ["kk"], "reason": "Kartu pelajar belum dibawa"},
    )
    record = case.records.get(step="periksa")
    assert record.data["reason"] == "Kartu pelajar belum dibawa"
    assert record.note == "Pemohon akan kembali besok"


@pytest.mark.parametrize(
    "reason",
    [
        "NIK 7308011209630001 tidak cocok",
        "Hubungi 0812 3456 7890",
        "KK 7308.0111.0107.0001 kedaluwarsa",
        f"Berkas {CHILD} belum ada",
        f"berkas {PARENT.lower()} kurang",
        "kirim ke sari@contoh.id",
    ],
)
def test_a_reason_with_personal_data_is_refused(office_register, petugas, reason):
    case = _case(office_register, petugas)
    with pytest.raises(CaseError) as info:
        _reject(case, petugas, reason=reason)
    assert info.value.field == "data.reason"
    assert "halaman lacak" in str(info.value) and "NIK" in str(info.value)
    assert case.records.count() == 1


def test_a_date_in_a_reason_is_not_taken_for_a_number(office_register, petugas):
    case = _case(office_register, petugas)
    _reject(case, petugas, reason="SKTM tertanggal 12-01-2026 sudah kedaluwarsa")
    case.refresh_from_db()
    assert case.state == CaseState.REJECTED


# ---- referrals: the register's answer by default, where to go and what to bring -------------


def test_a_referral_after_the_register_check_takes_its_answer_as_reason(office_register, petugas):
    case = _case(office_register, petugas, nik_kind="unknown")
    walk(case, user=petugas, to="rujuk_desa")
    record = case_act(case_id=case.pk, user=petugas, step="rujuk_desa", note="untuk arsip")
    assert record.data["reason"] == "Tidak terdaftar, data DTKS per September 2026"
    assert record.note == "untuk arsip"
    assert Referral.objects.get(case=case).reason == record.data["reason"]


def test_a_referral_reason_the_officer_writes_is_used(office_register, petugas):
    case = _case(office_register, petugas, nik_kind="unknown")
    walk(case, user=petugas, to="rujuk_desa")
    case_act(
        case_id=case.pk,
        user=petugas,
        step="rujuk_desa",
        data={"reason": "Belum terdaftar; layak diusulkan"},
    )
    assert Referral.objects.get(case=case).reason == "Belum terdaftar; layak diusulkan"


def test_bring_names_requirements_by_key_or_papers_by_name():
    def problems(bring: str) -> list:
        text = STRICT.replace("    end: ditolak\n", "    next: rujuk\n") + (
            "  - key: rujuk\n    kind: refer\n    actor: petugas\n    to: Kelurahan\n"
            f"    bring: {bring}\n    end: dirujuk\n"
        )
        _doc, found = definition_parse(text)
        return [(p.path, p.message) for p in found]

    assert problems("[kk, KTP, Surat pengantar RT]") == []
    [(path, message)] = problems("[kk, ktp_asli]")
    assert path == "steps[3].bring[1]" and "'ktp_asli' bukan kunci persyaratan" in message


# ---- what the public reads -----------------------------------------------------------------


def test_tracking_a_rejection_tells_the_reason_and_the_missing_papers(
    client, office_register, petugas
):
    case = _case(office_register, petugas)
    _reject(case, petugas, reason="Kartu pelajar belum dibawa")
    body = client.get(f"/api/v1/track/{case.tracking_code}").json()
    assert body["state"] == "ditolak"
    assert body["reason"] == "Kartu pelajar belum dibawa"
    assert body["missing"] == [
        "Kartu Pelajar/Kartu Mahasiswa/ Surat Keterangan Aktif Belajar dari Pemohon"
    ]
    assert "Lengkapi persyaratan yang belum ada" in body["what_next"]
    assert "Dinas Sosial Kabupaten Bone" in body["what_next"]
    page = client.get(reverse("track-case", args=[case.tracking_code])).content.decode()
    assert "Mengapa ditolak" in page and "Kartu pelajar belum dibawa" in page
    assert "Surat Keterangan Aktif Belajar dari Pemohon" in page
    for value in _personal(case):
        assert value not in str(body) and value not in page
    assert "kk" not in body["missing"]  # labels, never keys


def test_tracking_a_referral_tells_where_to_go_and_what_to_bring(client, office_register, petugas):
    case = _case(office_register, petugas, nik_kind="unknown")
    walk(case, user=petugas, to="rujuk_desa")
    case_act(case_id=case.pk, user=petugas, step="rujuk_desa", note="catatan internal")
    body = client.get(f"/api/v1/track/{case.tracking_code}").json()
    assert body["reason"] == "Tidak terdaftar, data DTKS per September 2026"
    assert body["referral"]["to"] == "Enumerator Desa/Kelurahan"
    assert body["referral"]["bring"] == ["Kartu keluarga/ KK", "KTP"]
    assert body["missing"] == []
    assert body["what_next"].startswith(
        "Datang ke Enumerator Desa/Kelurahan dengan membawa Kartu keluarga/ KK; KTP."
    )
    page = client.get(reverse("track-case", args=[case.tracking_code])).content.decode()
    assert "Mengapa dirujuk" in page and "Yang perlu dibawa" in page
    assert "catatan internal" not in page and "catatan internal" not in str(body)
    for value in _personal(case):
        assert value not in str(body) and value not in page


def test_an_open_or_finished_case_tells_no_reason(client, office_register, petugas):
    case = _case(office_register, petugas)
    body = client.get(f"/api/v1/track/{case.tracking_code}").json()
    assert body["reason"] is None and body["missing"] == [] and body["what_next"] is None
    page = client.get(reverse("track-case", args=[case.tracking_code])).content.decode()
    assert "Mengapa ditolak" not in page


def test_a_case_rejected_before_reasons_were_told_shows_no_note(client, office_register, petugas):
    case = _case(office_register, petugas)
    _reject(case, petugas, reason="Kartu pelajar belum dibawa")
    # As an older record reads: the reason in the officers' note, none in the data.
    case.records.filter(step="periksa").update(
        note="catatan lama petugas", data={"checked": ["kk"], "missing": ["kartu_pelajar"]}
    )
    body = client.get(f"/api/v1/track/{case.tracking_code}").json()
    assert body["reason"] is None and "catatan lama" not in str(body)
    assert body["missing"]  # the missing papers still come from the record's data


# ---- the case page: a confirmation first ----------------------------------------------------


def _post(client, case, htmx=False, **fields):
    payload = {"step": case.current_step, "seq": case.step_seq, **fields}
    url = reverse("case-act", args=["bone", case.pk])
    return client.post(url, payload, headers=HTMX if htmx else {})


@pytest.mark.parametrize("htmx", [False, True])
def test_rejecting_on_the_page_asks_for_a_confirmation_first(
    client, office_register, petugas, htmx
):
    case = _case(office_register, petugas)
    client.force_login(petugas)
    fields = {
        "outcome": "tidak_lengkap",
        "checked": ["kk"],
        "reason": "Kartu pelajar belum dibawa",
        "note": "akan kembali",
    }
    shown = _post(client, case, htmx=htmx, **fields)
    assert shown.status_code == 200
    page = shown.content.decode()
    assert "Periksa sebelum mengirim" in page and "Ya, tolak permohonan" in page
    assert "Kartu pelajar belum dibawa" in page
    assert "Surat Keterangan Aktif Belajar dari Pemohon" in page  # the missing paper, by label
    assert 'name="confirm"' in page and 'name="edit"' in page
    assert 'type="hidden" name="reason" value="Kartu pelajar belum dibawa"' in page
    case.refresh_from_db()
    assert case.state == CaseState.OPEN and case.records.count() == 1  # nothing written yet
    assert not Referral.objects.exists()

    back = _post(client, case, htmx=htmx, edit="1", **fields)
    assert "Ya, tolak permohonan" not in back.content.decode()
    assert "Kartu pelajar belum dibawa</textarea>" in back.content.decode()

    done = _post(client, case, htmx=htmx, confirm="1", **fields)
    assert done.status_code == 200 if htmx else 302
    case.refresh_from_db()
    assert case.state == CaseState.REJECTED
    detail = client.get(reverse("case-detail", args=["bone", case.pk])).content.decode()
    assert "Alasan untuk pemohon: Kartu pelajar belum dibawa" in detail
    assert "Catatan: akan kembali" in detail


def test_a_mistake_is_named_before_the_confirmation(client, office_register, petugas):
    case = _case(office_register, petugas)
    client.force_login(petugas)
    answer = _post(client, case, outcome="tidak_lengkap", checked=["kk"], reason="")
    assert answer.status_code == 422
    page = answer.content.decode()
    assert "Ya, tolak permohonan" not in page
    assert 'id="reason-told-error"' in page and "disampaikan kepada pemohon" in page
    personal = _post(
        client, case, outcome="tidak_lengkap", checked=["kk"], reason=f"NIK {case.applicant_nik}"
    )
    assert personal.status_code == 422 and "jangan menulis nama, NIK" in personal.content.decode()


def test_the_page_labels_the_reason_as_public_and_prefills_a_referral(
    client, office_register, petugas
):
    case = _case(office_register, petugas, nik_kind="unknown")
    client.force_login(petugas)
    detail = client.get(reverse("case-detail", args=["bone", case.pk])).content.decode()
    assert "Alasan untuk pemohon" in detail and "tanpa data pribadi" in detail
    walk(case, user=petugas, to="rujuk_desa")
    detail = client.get(reverse("case-detail", args=["bone", case.pk])).content.decode()
    assert "Tidak terdaftar, data DTKS per September 2026</textarea>" in detail
    shown = _post(client, case, reason="Tidak terdaftar, data DTKS per September 2026")
    page = shown.content.decode()
    assert "Ya, rujuk permohonan" in page and "Yang perlu dibawa" in page
    assert "Kartu keluarga/ KK" in page
    _post(client, case, reason="Tidak terdaftar, data DTKS per September 2026", confirm="1")
    case.refresh_from_db()
    assert case.state == CaseState.REFERRED


def test_another_offices_staff_cannot_preview_a_rejection(
    client, office_register, petugas, make_user
):
    case = _case(office_register, petugas)
    client.force_login(make_user("loket.bima", bima=["petugas"]))
    answer = _post(client, case, outcome="tidak_lengkap", checked=["kk"], reason="Tidak lengkap")
    assert answer.status_code == 404
    assert case_doc(case) is not None and case.records.count() == 1
