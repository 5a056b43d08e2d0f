"""Letter pages: public verification (code, upload, revoked), staff download, archive, revoke."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from layan.cases.testing import PASSWORD
from layan.letters.models import Letter, LetterEvent, LetterState
from layan.letters.services import letter_current_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(walk):
    case, user = walk("bone", name="Rina")
    return Letter.objects.get(case=case), case, user


def test_public_page_shows_the_facts_without_personal_data(client, signed):
    letter, case, _ = signed
    page = client.get(reverse("letter-verify", args=[letter.verify_code])).content.decode()
    assert letter.number in page and "SAH" in page and letter.sha256 in page
    assert "R*** S***" in page and "Rekomendasi" in page
    assert case.subject_nik not in page and case.subject_name not in page


def test_public_code_form_redirects_and_unknown_code_is_404(client, signed):
    letter, _, _ = signed
    home = reverse("letter-verify-home")
    found = client.get(home, {"kode": letter.verify_code.lower()})
    assert found.status_code == 302 and letter.verify_code in found["Location"]
    missing = client.get(home, {"kode": "XXXX-XXXX-XXXX"})
    assert missing.status_code == 404 and "tidak ditemukan" in missing.content.decode()
    assert client.get(reverse("letter-verify", args=["ABCD"])).status_code == 404


def test_a_draft_has_no_public_page(client, walk):
    from layan.catalogue.schema import StepKind

    case, _ = walk("bone", until=StepKind.SIGN, name="Draf")
    letter = Letter.objects.get(case=case)
    assert client.get(reverse("letter-verify", args=[letter.verify_code])).status_code == 404


def test_upload_on_the_public_page(client, signed):
    letter, _, _ = signed
    url = reverse("letter-verify", args=[letter.verify_code])
    pdf = letter_current_pdf(letter)
    good = client.post(url, {"berkas": SimpleUploadedFile("s.pdf", pdf, "application/pdf")})
    assert "Berkas ASLI" in good.content.decode()
    bad = client.post(url, {"berkas": SimpleUploadedFile("s.pdf", pdf[:-200], "application/pdf")})
    assert "TIDAK SAH" in bad.content.decode()
    none = client.post(url, {})
    assert none.status_code == 422 and "Pilih berkas PDF" in none.content.decode()


@pytest.mark.parametrize("page", ["home", "letter"])
def test_a_broken_multipart_upload_on_the_page_is_400(client, request, page):
    # No boundary: Django cannot read the form; the page says so in Indonesian, no 500.
    if page == "letter":
        letter = request.getfixturevalue("signed")[0]
        url = reverse("letter-verify", args=[letter.verify_code])
    else:
        url = reverse("letter-verify-home")
    response = client.generic("POST", url, b"--b\r\n", content_type="multipart/form-data")
    assert response.status_code == 400 and "Permintaan tidak sah" in response.content.decode()


def test_a_revoked_letter_says_so_publicly(client, signed):
    letter, _, user = signed
    client.force_login(user)
    response = client.post(reverse("letter-revoke", args=["bone", letter.pk]),
                           {"reason": "Diterbitkan untuk NIK yang salah"})  # fmt: skip
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.state == LetterState.REVOKED
    client.logout()
    page = client.get(reverse("letter-verify", args=[letter.verify_code])).content.decode()
    assert "DICABUT" in page and "Diterbitkan untuk NIK yang salah" in page


def test_revoke_without_a_reason_changes_nothing(client, signed):
    letter, _, user = signed
    client.force_login(user)
    client.post(reverse("letter-revoke", args=["bone", letter.pk]), {"reason": ""})
    letter.refresh_from_db()
    assert letter.state == LetterState.ISSUED


def test_only_a_kadin_may_revoke_on_the_page(client, signed, make_user):
    letter, _, _ = signed
    client.force_login(make_user("petugas.bone", bone=["petugas"]))
    response = client.post(reverse("letter-revoke", args=["bone", letter.pk]), {"reason": "x"})
    assert response.status_code == 403


def test_staff_download_is_logged_and_scoped(client, signed, make_user):
    letter, _, user = signed
    url = reverse("letter-pdf", args=["bone", letter.pk])
    assert client.get(url).status_code == 302  # anonymous: sign in first
    client.force_login(make_user("petugas.bima", bima=["petugas"]))
    assert client.get(url).status_code == 404
    client.force_login(user)
    response = client.get(url)
    assert response.content == letter_current_pdf(letter)
    assert LetterEvent.objects.filter(letter=letter, action="unduh").count() == 1


def test_case_page_shows_the_letter_panel(client, signed):
    letter, case, user = signed
    client.force_login(user)
    page = client.get(reverse("case-detail", args=["bone", case.pk])).content.decode()
    assert letter.number in page and reverse("letter-pdf", args=["bone", letter.pk]) in page
    assert "Cabut surat ini" in page  # the user is a kadin too


def test_sign_form_asks_for_the_password(client, walk):
    from layan.catalogue.schema import StepKind

    case, user = walk("bone", until=StepKind.SIGN, name="Form")
    client.force_login(user)
    url = reverse("case-act", args=["bone", case.pk])
    page = client.get(reverse("case-detail", args=["bone", case.pk])).content.decode()
    assert 'name="password"' in page
    wrong = client.post(url, {"step": "ttd_kadin", "outcome": "setuju", "password": "x"})
    assert wrong.status_code == 422 and "Kata sandi salah" in wrong.content.decode()
    right = client.post(url, {"step": "ttd_kadin", "outcome": "setuju", "password": PASSWORD})
    assert right.status_code == 302
    assert Letter.objects.get(case=case).state == LetterState.ISSUED


def test_archive_lists_issued_letters_of_the_office_only(client, signed, make_user, walk):
    letter, _, user = signed
    other, _ = walk("bima", name="Lain")
    client.force_login(user)
    page = client.get(reverse("letter-archive", args=["bone"]), {"nomor": "460/1"}).content
    assert letter.number in page.decode()
    assert Letter.objects.get(case=other).number not in page.decode().replace(letter.number, "")
    assert client.get(reverse("letter-archive", args=["bima"])).status_code == 404
