"""The letters API: verify by upload and by code, a case's letter as PDF, revocation."""

import pytest

from layan.cases.services import case_act
from layan.cases.testing import PASSWORD
from layan.catalogue.schema import StepKind
from layan.core.api_auth import token_issue
from layan.letters.models import Letter, LetterEvent
from layan.letters.services import letter_current_pdf

pytestmark = pytest.mark.django_db
VERIFY = "/api/v1/letters/verify"


@pytest.fixture
def signed(walk):
    case, user = walk("bone", name="Rina")
    return Letter.objects.get(case=case), case, user


def _bearer(user) -> dict:
    return {"Authorization": f"Bearer {token_issue(user=user)}"}


def _upload(client, data: bytes, name="surat.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(VERIFY, {"file": SimpleUploadedFile(name, data, "application/pdf")})


def test_verify_answers_valid_with_the_letters_facts(client, signed):
    letter, case, _ = signed
    body = _upload(client, letter_current_pdf(letter)).json()
    assert body["valid"] is True and body["status"] == "sah"
    assert body["number"] == letter.number and body["reasons"] == []
    assert body["subject"] == "R*** S***" and case.subject_nik not in str(body)
    assert [s["field"] for s in body["signatures"]] == ["paraf_kabid", "ttd"]


def test_verify_a_changed_byte_is_not_valid(client, signed):
    letter, _, _ = signed
    pdf = letter_current_pdf(letter)
    at = pdf.index(b"/Length") + 200
    changed = pdf[:at] + bytes([pdf[at] ^ 0x01]) + pdf[at + 1 :]
    body = _upload(client, changed).json()
    assert body["valid"] is False and body["status"] == "tidak sah"
    assert body["reasons"] and body["number"] == letter.number  # the number it claims


def test_verify_something_that_is_not_a_pdf(client, db):
    body = _upload(client, b"GIF89a bukan surat").json()
    assert body["valid"] is False and body["reasons"] == ["Berkas bukan PDF."]


def test_verify_without_a_file_is_422(client, db):
    response = client.post(VERIFY, {})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "file"


# Bodies Django cannot split into parts: no boundary, an empty one, one with a
# character a boundary may not hold, one that is not ASCII.
BROKEN_MULTIPART = [
    "multipart/form-data",
    "multipart/form-data; boundary=",
    "multipart/form-data; boundary=\x7f",
    "multipart/form-data; boundary=b\xe9",
]


@pytest.mark.parametrize("content_type", BROKEN_MULTIPART)
def test_verify_with_a_broken_multipart_body_is_400(client, db, content_type):
    body = b'--b\r\nContent-Disposition: form-data; name="file"; filename="s.pdf"\r\n\r\n%PDF'
    response = client.generic("POST", VERIFY, body, content_type=content_type)
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Isi multipart tidak dapat dibaca; periksa boundary pada Content-Type.",
        "errors": [],
    }


def test_verify_with_more_files_than_allowed_is_400(client, db, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 1
    files = [SimpleUploadedFile(f"{n}.pdf", b"%PDF", "application/pdf") for n in "ab"]
    response = client.post(VERIFY, {"file": files})
    assert response.status_code == 400
    assert response.json()["detail"] == "Permintaan tidak sah; terlalu banyak isian atau berkas."


def test_a_revoked_letter_verifies_as_revoked(client, signed):
    letter, _, user = signed
    response = client.post(
        f"/api/v1/letters/{letter.pk}/revoke", {"reason": "Data sekolah keliru"},
        content_type="application/json", headers=_bearer(user),
    )  # fmt: skip
    assert response.status_code == 200 and response.json()["state"] == "dicabut"
    body = _upload(client, letter_current_pdf(letter)).json()
    assert body["valid"] is False and body["status"] == "dicabut"
    assert "Data sekolah keliru" in body["reasons"][0]
    by_code = client.get(f"{VERIFY}/{letter.verify_code}").json()
    assert by_code["status"] == "dicabut" and by_code["revoke_reason"] == "Data sekolah keliru"


def test_revoke_needs_a_kadin_and_a_reason(client, signed, make_user):
    letter, _, user = signed
    kabid = make_user("kabid.saja", bone=["kabid"])
    url = f"/api/v1/letters/{letter.pk}/revoke"
    denied = client.post(url, {"reason": "x"}, content_type="application/json",
                         headers=_bearer(kabid))  # fmt: skip
    assert denied.status_code == 403
    empty = client.post(url, {"reason": " "}, content_type="application/json",
                        headers=_bearer(user))  # fmt: skip
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "reason"
    client.post(url, {"reason": "salah"}, content_type="application/json", headers=_bearer(user))
    again = client.post(url, {"reason": "lagi"}, content_type="application/json",
                        headers=_bearer(user))  # fmt: skip
    assert again.status_code == 409
    assert LetterEvent.objects.filter(letter=letter, action="dicabut").get().user == user


def test_another_office_cannot_revoke(client, signed, make_user):
    letter, _, _ = signed
    outsider = make_user("kadin.bima", bima=["kadin"])
    response = client.post(f"/api/v1/letters/{letter.pk}/revoke", {"reason": "x"},
                           content_type="application/json", headers=_bearer(outsider))  # fmt: skip
    assert response.status_code == 404


def test_case_letter_pdf_gives_the_issued_letter_and_logs_it(client, signed):
    letter, case, user = signed
    response = client.get(f"/api/v1/cases/{case.pk}/letter.pdf", headers=_bearer(user))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content == letter_current_pdf(letter)
    assert letter.number.replace("/", "-") in response["Content-Disposition"]
    assert LetterEvent.objects.filter(letter=letter, action="unduh", user=user).exists()


def test_case_letter_pdf_is_404_for_another_office_and_without_a_letter(client, signed, walk,
                                                                       make_user):  # fmt: skip
    _, case, _ = signed
    outsider = make_user("petugas.bima", bima=["petugas"])
    assert client.get(f"/api/v1/cases/{case.pk}/letter.pdf",
                      headers=_bearer(outsider)).status_code == 404  # fmt: skip
    early, user = walk("bone", until=StepKind.DRAFT_LETTER, name="Awal")
    response = client.get(f"/api/v1/cases/{early.pk}/letter.pdf", headers=_bearer(user))
    assert response.status_code == 404 and "belum punya surat" in response.json()["detail"]
    assert client.get(f"/api/v1/cases/{case.pk}/letter.pdf").status_code == 401


def test_the_draft_is_served_before_signing(client, walk):
    case, user = walk("bone", until=StepKind.SIGN, name="Draf")
    response = client.get(f"/api/v1/cases/{case.pk}/letter.pdf", headers=_bearer(user))
    assert response.status_code == 200 and "draf-" in response["Content-Disposition"]


def test_act_over_the_api_with_a_wrong_password_is_422(client, walk):
    case, user = walk("bone", until=StepKind.SIGN, name="Api")
    response = client.post(
        f"/api/v1/cases/{case.pk}/act",
        {"step": "ttd_kadin", "outcome": "setuju", "data": {"password": "salah"}},
        content_type="application/json", headers=_bearer(user),
    )  # fmt: skip
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "data.password"
    case_act(case_id=case.pk, user=user, step="ttd_kadin", outcome="setuju",
             data={"password": PASSWORD})  # fmt: skip
