"""Intake: a second open case for the same person and service needs a reason, phone numbers
are kept as +62…, and only the front office registers, on the page and over the API alike."""

import pytest
from django.urls import reverse

from layan.cases.models import Case, CaseState
from layan.cases.services import (
    REGISTERED_AGAIN,
    Applicant,
    CaseDuplicate,
    CaseError,
    Subject,
    case_act,
    case_create,
)
from layan.core.api_auth import token_issue
from layan.core.audit import audit_of
from layan.offices.models import Office

CASES = "/api/v1/cases"


@pytest.fixture
def petugas(office_register, make_user):
    return make_user("loket.ganda", bone=["petugas"], bima=["petugas"])


def _register(
    office_register,
    user,
    *,
    applicant_nik=None,
    child_nik=None,
    office="bone",
    service="rekomendasi-kip",
    reason="",
    phone="",
):
    niks = office_register[office]
    subject = Subject(name="Budi", nik=child_nik, relation="anak") if child_nik else None
    return case_create(
        office=Office.objects.get(slug=office),
        service_code=service,
        applicant=Applicant(name="Ibu Sari", nik=applicant_nik or niks["registered"], phone=phone),
        subject=subject,
        user=user,
        duplicate_reason=reason,
    )


def _bearer(user) -> dict:
    return {"Authorization": f"Bearer {token_issue(user=user)}"}


# ---- the rule ---------------------------------------------------------------------------------


def test_a_second_open_case_for_the_same_person_names_the_first(office_register, petugas):
    first = _register(office_register, petugas)
    with pytest.raises(CaseDuplicate) as info:
        _register(office_register, petugas)
    assert info.value.field == "duplicate_reason"
    assert info.value.open_case == first
    assert first.tracking_code in str(info.value)
    assert "Pemeriksaan kelengkapan" in str(info.value)  # the step, by its label
    assert Case.objects.count() == 1  # nothing written


def test_going_on_with_a_reason_keeps_it_on_the_new_case(office_register, petugas):
    first = _register(office_register, petugas)
    again = _register(office_register, petugas, reason="Berkas pertama hilang di loket")
    [event] = audit_of(again).filter(action=REGISTERED_AGAIN)
    assert event.after == {
        "open_case": first.tracking_code,
        "reason": "Berkas pertama hilang di loket",
    }
    assert event.actor == petugas
    assert not audit_of(first).filter(action=REGISTERED_AGAIN).exists()


def test_the_person_is_the_one_the_letter_is_about(office_register, petugas):
    niks = office_register["bone"]
    # A parent applies for two children: two people, no warning.
    _register(office_register, petugas, applicant_nik=niks["unknown"], child_nik=niks["registered"])
    other_child = "7308011209630013"
    _register(office_register, petugas, applicant_nik=niks["unknown"], child_nik=other_child)
    # The same child again, by the other parent: the same person.
    with pytest.raises(CaseDuplicate):
        _register(office_register, petugas, applicant_nik=other_child, child_nik=niks["registered"])
    # The parent for themselves: their NIK is not yet the subject of an open case.
    _register(office_register, petugas, applicant_nik=niks["unknown"])


def test_an_ended_case_another_service_or_another_office_is_no_duplicate(office_register, petugas):
    first = _register(office_register, petugas)
    _register(office_register, petugas, service="bansos-disabilitas-lansia-ppks")
    bima = office_register["bima"]["registered"]
    _register(
        office_register, petugas, office="bima", service="rekomendasi-pip", applicant_nik=bima
    )
    case_act(
        case_id=first.pk,
        user=petugas,
        step="periksa",
        outcome="tidak_lengkap",
        data={"checked": [], "reason": "Berkas belum ada"},
    )
    first.refresh_from_db()
    assert first.state == CaseState.REJECTED
    _register(office_register, petugas)  # the first one has ended


def test_a_waiting_case_is_still_open(office_register, petugas):
    from layan.cases.services import case_pause

    first = _register(office_register, petugas)
    case_pause(case_id=first.pk, user=petugas, reason="Menunggu KK")
    with pytest.raises(CaseDuplicate):
        _register(office_register, petugas)


# ---- phone numbers -------------------------------------------------------------------------


def test_a_phone_number_is_stored_as_plus_62(office_register, petugas):
    case = _register(office_register, petugas, phone="0812 3456-7890")
    assert case.applicant_phone == "+6281234567890"


def test_a_phone_number_that_is_not_indonesian_is_refused(office_register, petugas):
    with pytest.raises(CaseError) as info:
        _register(office_register, petugas, phone="+60 12-345 6789")
    assert info.value.field == "applicant.phone" and "bukan nomor Indonesia" in str(info.value)
    assert not Case.objects.exists()


# ---- the page ------------------------------------------------------------------------------


def _walk_in(client, nik, **extra):
    form = {"service": "rekomendasi-kip", "name": "Ibu Sari", "nik": nik, **extra}
    return client.post(reverse("case-new", args=["bone"]), form)


def test_the_page_warns_shows_the_open_case_and_asks_a_reason(client, office_register, petugas):
    first = _register(office_register, petugas)
    client.force_login(petugas)
    nik = office_register["bone"]["registered"]
    answer = _walk_in(client, nik)
    assert answer.status_code == 422
    page = answer.content.decode()
    assert "Sudah ada permohonan yang berjalan" in page
    assert first.tracking_code in page
    assert reverse("case-detail", args=["bone", first.pk]) in page
    assert "langkah Pemeriksaan kelengkapan" in page
    assert 'name="duplicate_reason"' in page
    assert Case.objects.count() == 1

    done = _walk_in(client, nik, duplicate_reason="Permohonan pertama salah layanan")
    assert done.status_code == 302
    again = Case.objects.exclude(pk=first.pk).get()
    detail = client.get(reverse("case-detail", args=["bone", again.pk])).content.decode()
    assert f'Didaftarkan walau permohonan <span class="code">{first.tracking_code}</span>' in detail
    assert "Permohonan pertama salah layanan" in detail


def test_the_page_puts_a_phone_problem_next_to_the_field(client, office_register, petugas):
    client.force_login(petugas)
    nik = office_register["bone"]["registered"]
    answer = _walk_in(client, nik, phone="12345")
    assert answer.status_code == 422
    page = answer.content.decode()
    field = page[page.index('for="id_phone"') : page.index('for="id_address"')]
    assert "Nomor telepon &#x27;12345&#x27; tidak dikenali" in field
    assert _walk_in(client, nik, phone="+62 812-3456-7890").status_code == 302
    assert Case.objects.get().applicant_phone == "+6281234567890"


# ---- the API -------------------------------------------------------------------------------


def _body(nik, **extra):
    return {
        "office": "bone",
        "service": "rekomendasi-kip",
        "applicant": {"nik": nik, "name": "Ibu Api", **extra.pop("applicant", {})},
        **extra,
    }


def test_the_api_answers_422_naming_the_open_case_and_the_field(client, office_register, petugas):
    first = _register(office_register, petugas)
    nik = office_register["bone"]["registered"]
    answer = client.post(
        CASES, _body(nik), content_type="application/json", headers=_bearer(petugas)
    )
    assert answer.status_code == 422
    body = answer.json()
    assert first.tracking_code in body["detail"]
    assert body["errors"][0]["field"] == "duplicate_reason"
    again = client.post(
        CASES,
        _body(nik, duplicate_reason="Salah layanan"),
        content_type="application/json",
        headers=_bearer(petugas),
    )
    assert again.status_code == 201, again.content
    event = audit_of(Case.objects.get(pk=again.json()["id"])).get(action=REGISTERED_AGAIN)
    assert event.after["reason"] == "Salah layanan"


def test_the_api_stores_and_refuses_phone_numbers_as_the_page_does(
    client, office_register, petugas
):
    nik = office_register["bone"]["registered"]
    refused = client.post(
        CASES,
        _body(nik, applicant={"phone": "0812"}),
        content_type="application/json",
        headers=_bearer(petugas),
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "applicant.phone"
    stored = client.post(
        CASES,
        _body(nik, applicant={"phone": "62 812 3456 7890"}),
        content_type="application/json",
        headers=_bearer(petugas),
    )
    assert stored.json()["applicant"]["phone"] == "+6281234567890"


def test_the_schema_documents_the_reason_field(client, seeded):
    schema = client.get("/api/v1/openapi.json").json()
    case_in = schema["components"]["schemas"]["CaseIn"]["properties"]
    assert "duplicate_reason" in case_in
    assert "kode lacak" in case_in["duplicate_reason"]["description"]


def test_a_kabid_cannot_register_through_the_api(client, office_register, make_user):
    kabid = make_user("kabid.daftar", bone=["kabid"])
    nik = office_register["bone"]["registered"]
    answer = client.post(CASES, _body(nik), content_type="application/json", headers=_bearer(kabid))
    assert answer.status_code == 403
    assert "Petugas layanan" in answer.json()["detail"]
    assert not Case.objects.exists()
