"""Labels, never keys: the verification page and its reasons name each signature by its
step and actor as the definition names them, and the signer by full name."""

import pytest

from layan.cases.services import case_act
from layan.cases.testing import PASSWORD
from layan.catalogue.schema import StepKind
from layan.letters.models import Letter
from layan.letters.services import letter_current_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(walk, make_user):
    kadin = make_user("andi.kadin", bone=["kadin"])
    kadin.full_name, kadin.nip = "Andi Kepala, S.Sos", "197001011990031001"
    kadin.save()
    case, _ = walk("bone", until=StepKind.SIGN, name="Siti")
    case_act(case_id=case.pk, user=kadin, step="ttd_kadin", outcome="setuju",
             data={"password": PASSWORD})  # fmt: skip
    return Letter.objects.get(case=case)


def test_verification_page_names_steps_and_signer_not_keys(client, issued):
    pdf = letter_current_pdf(issued)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("surat.pdf", pdf, content_type="application/pdf")
    page = client.post(f"/verifikasi/{issued.verify_code}/", {"berkas": upload})
    html = page.content.decode()
    assert page.status_code == 200 and "Berkas ASLI" in html
    assert "paraf_kabid" not in html and ">ttd<" not in html
    assert "Paraf Kepala Bidang" in html and "Tanda tangan Kepala Dinas" in html
    assert "Andi Kepala, S.Sos" in html


def test_a_changed_file_is_refused_in_words_people_know(client, issued):
    pdf = bytearray(letter_current_pdf(issued))
    index = pdf.index(b"/Rect")  # change a byte the signatures cover
    pdf[index + 1 : index + 2] = b"r"
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("surat.pdf", bytes(pdf), content_type="application/pdf")
    html = client.post("/verifikasi/", {"berkas": upload}).content.decode()
    assert "TIDAK SAH" in html
    assert "paraf_kabid" not in html and "'ttd'" not in html


def test_the_api_gives_each_signature_its_label(client, issued):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("surat.pdf", letter_current_pdf(issued), "application/pdf")
    body = client.post("/api/v1/letters/verify", {"file": upload}).json()
    assert [s["label"] for s in body["signatures"]] == [
        "Paraf Kepala Bidang Perlindungan dan Jaminan Sosial",
        "Tanda tangan Kepala Dinas Sosial",
    ]
    assert body["signatures"][-1]["signer"] == "Andi Kepala, S.Sos"
