"""A scan uploaded for a requirement ticks it at the checklist: the form comes with the
paper ticked and saying "ada lampiran", the API's case read says the same in
`step.data_initial`; the officer may take the tick off, and the scan stays."""

from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from layan.cases.models import Attachment, StepRecord
from layan.cases.services import Applicant, attachment_add, case_create, case_doc
from layan.cases.steps import kind_of
from layan.core.api_auth import token_issue
from layan.core.testing import scan_image, scan_pdf
from layan.offices.models import Office


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def ani(office_register, make_user):
    """Front office at Bone; the KIP recommendation starts at her checklist."""
    return make_user("ani", bone=["petugas"])


@pytest.fixture
def case(office_register, ani):
    return case_create(
        office=Office.objects.get(slug="bone"),
        service_code="rekomendasi-kip",
        user=ani,
        applicant=Applicant(name="Ibu Sari Wulandari", nik=office_register["bone"]["registered"]),
        duplicate_reason="uji: beberapa permohonan untuk orang yang sama",
    )


def url(name: str, *args) -> str:
    return reverse(name, args=["bone", *args])


def upload_page(client, case, requirement: str, name: str, content: bytes):
    file = SimpleUploadedFile(name, content)
    return client.post(
        url("case-attachment-add", case.pk), {"requirement": requirement, "file": file}
    )


class StepForm(HTMLParser):
    """The case page's step form as a browser reads it: what it would send, and the labels."""

    def __init__(self):
        super().__init__()
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self.ticked: list[str] = []
        self.boxes: list[str] = []
        self.text = ""

    def handle_starttag(self, tag, attrs):
        attr = dict(attrs)
        if tag == "form" and (attr.get("action") or "").endswith("/aksi/"):
            self.inside = True
        if not self.inside or tag != "input":
            return
        if attr.get("type") == "checkbox":
            self.boxes.append(attr["value"])
            if "checked" in attr:
                self.ticked.append(attr["value"])
                self.fields.append((attr["name"], attr["value"]))
        elif attr.get("type") == "hidden":
            self.fields.append((attr["name"], attr.get("value") or ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False

    def handle_data(self, data):
        if self.inside:
            self.text += data

    def post(self, client, case, outcome: str, *, untick: tuple[str, ...] = (), reason: str = ""):
        """Press the outcome's button with the boxes as they came, minus `untick`; a reason
        for the applicant is confirmed at once, as the page's second button does."""
        data: dict[str, list[str]] = {"outcome": [outcome]}
        if reason:
            data |= {"reason": [reason], "confirm": ["1"]}
        for name, value in self.fields:
            if not (name == "checked" and value in untick):
                data.setdefault(name, []).append(value)
        return client.post(url("case-act", case.pk), data)


def step_form(client, case) -> StepForm:
    form = StepForm()
    form.feed(client.get(url("case-detail", case.pk)).content.decode())
    assert form.boxes, "the checklist form is not on the page"
    return form


# ---- the page -----------------------------------------------------------------------------


def test_a_scanned_paper_comes_ticked_and_says_so(client, ani, case):
    client.force_login(ani)
    assert step_form(client, case).ticked == []
    assert upload_page(client, case, "kk", "scan kk.pdf", scan_pdf()).status_code == 302
    form = step_form(client, case)
    assert form.boxes == ["kartu_pelajar", "kk", "ktp"]
    assert form.ticked == ["kk"]
    assert form.text.count("ada lampiran") == 1
    assert "Kartu keluarga/ KK ada lampiran" in " ".join(form.text.split())


def test_the_form_posted_as_it_came_carries_the_scanned_tick(client, ani, case):
    client.force_login(ani)
    upload_page(client, case, "kk", "kk.jpg", scan_image("JPEG"))
    upload_page(client, case, "kartu_pelajar", "kartu.png", scan_image("PNG"))
    assert step_form(client, case).post(client, case, "lengkap").status_code == 302
    case.refresh_from_db()
    assert case.current_step == "cek_dtks"
    assert case.requirements_checked == ["kartu_pelajar", "kk"]


def test_the_officer_can_take_a_scanned_tick_off_and_the_scan_stays(client, ani, case):
    client.force_login(ani)
    upload_page(client, case, "kk", "kk.png", scan_image("PNG"))
    form = step_form(client, case)
    response = form.post(client, case, "tidak_lengkap", untick=("kk",), reason="KK tidak terbaca")
    assert response.status_code == 302
    record = StepRecord.objects.get(case=case, step="periksa")
    assert record.data == {
        "checked": [],
        "missing": ["kartu_pelajar", "kk"],
        "reason": "KK tidak terbaca",
    }
    assert Attachment.objects.filter(case=case, requirement="kk").count() == 1
    page = client.get(url("case-detail", case.pk)).content.decode()
    assert "kk.png" in page  # the scan is still listed with the case


def test_lengkap_still_needs_every_required_paper(client, ani, case):
    # A scan of one paper does not make the case complete: the other is still missing.
    client.force_login(ani)
    upload_page(client, case, "kk", "kk.png", scan_image("PNG"))
    response = step_form(client, case).post(client, case, "lengkap")
    assert response.status_code == 422
    assert "Belum lengkap: Kartu Pelajar" in response.content.decode()


def test_a_form_sent_back_keeps_the_ticks_as_sent_not_as_scanned(client, ani, case):
    client.force_login(ani)
    upload_page(client, case, "kk", "kk.png", scan_image("PNG"))
    response = step_form(client, case).post(client, case, "lengkap", untick=("kk",))
    assert response.status_code == 422
    returned = StepForm()
    returned.feed(response.content.decode())
    assert returned.ticked == []
    assert "ada lampiran" in returned.text


def test_a_refused_scan_ticks_nothing(client, ani, case):
    client.force_login(ani)
    response = upload_page(client, case, "kk", "kk.pdf", b"%PDF-1.4\n")
    assert response.status_code == 422
    assert "“kk.pdf” ditolak" in response.content.decode()
    assert step_form(client, case).ticked == []


def test_the_upload_form_states_its_limit_from_the_setting(client, ani, case, settings):
    client.force_login(ani)
    settings.CASE_MAX_ATTACHMENT_BYTES = 5_000_000
    page = client.get(url("case-detail", case.pk)).content.decode()
    assert (
        '<p class="muted field-hint" id="file-hint">PDF, JPEG atau PNG, paling besar 5 MB</p>'
        in page
    )
    assert 'data-max-bytes="5000000"' in page
    settings.CASE_MAX_ATTACHMENT_BYTES = 2_000_000
    assert "paling besar 2 MB" in client.get(url("case-detail", case.pk)).content.decode()


# ---- a later round: the officer's judgement stands, a new scan ticks again ----------------


def test_a_later_round_keeps_the_last_ticks_and_ticks_scans_uploaded_since(ani, case):
    doc = case_doc(case)
    step = doc.step_map["periksa"]
    kind = kind_of(step.kind)
    attachment_add(case_id=case.pk, user=ani, requirement="kk",
                   upload=SimpleUploadedFile("kk.png", scan_image("PNG")))  # fmt: skip
    # A round that judged the KK scan unreadable and ticked only the student card.
    StepRecord.objects.create(
        case=case, seq=case.records.count() + 1, step="periksa", kind=step.kind, role="petugas",
        user=ani, started_at=timezone.now(), outcome="tidak_lengkap",
    )  # fmt: skip
    case.requirements_checked = ["kartu_pelajar"]
    case.save(update_fields=["requirements_checked"])
    assert kind.data_initial(doc, step, case) == {"checked": ["kartu_pelajar"]}
    attachment_add(case_id=case.pk, user=ani, requirement="kk",
                   upload=SimpleUploadedFile("kk baru.pdf", scan_pdf()))  # fmt: skip
    assert kind.data_initial(doc, step, case) == {"checked": ["kartu_pelajar", "kk"]}


# ---- the API ------------------------------------------------------------------------------


def _api(client, user):
    headers = {"Authorization": f"Bearer {token_issue(user=user)}"}

    class Caller:
        def read(self, case):
            return client.get(f"/api/v1/cases/{case.pk}", headers=headers).json()

        def upload(self, case, requirement, name, content):
            file = SimpleUploadedFile(name, content)
            data = {"requirement": requirement, "file": file}
            return client.post(f"/api/v1/cases/{case.pk}/attachments", data, headers=headers)

        def act(self, case, body):
            return client.post(f"/api/v1/cases/{case.pk}/act", body,
                               content_type="application/json", headers=headers)  # fmt: skip

    return Caller()


def test_the_case_read_says_which_papers_come_ticked(client, ani, case):
    api = _api(client, ani)
    before = api.read(case)["step"]
    assert before["data_initial"] == {"checked": []}
    assert api.upload(case, "kk", "kk.pdf", scan_pdf(pages=2)).status_code == 201
    step = api.read(case)["step"]
    assert step["data_initial"] == {"checked": ["kk"]}
    # The schema of the step's data is the version's, the same for every case.
    assert step["input_schema"] == before["input_schema"]


def test_over_the_api_the_tick_is_what_the_client_sends(client, ani, case):
    api = _api(client, ani)
    api.upload(case, "kk", "kk.png", scan_image("PNG"))
    api.upload(case, "kartu_pelajar", "kartu.png", scan_image("PNG"))
    # Nothing sent, nothing ticked: a scan is a suggestion, never a tick by itself.
    answer = api.act(case, {"step": "periksa", "outcome": "lengkap", "data": {}})
    assert answer.status_code == 422
    assert "Belum lengkap" in answer.json()["detail"]
    initial = api.read(case)["step"]["data_initial"]
    body = {"step": "periksa", "outcome": "lengkap", "data": initial}
    assert api.act(case, body).status_code == 200
    case.refresh_from_db()
    assert case.requirements_checked == ["kartu_pelajar", "kk"]


def test_a_refused_scan_over_the_api_names_the_file(client, ani, case):
    api = _api(client, ani)
    polyglot = b"%PDF-MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200
    answer = api.upload(case, "kk", "kk.pdf", polyglot)
    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        {
            "field": "file",
            "reason": "“kk.pdf” ditolak: bukan PDF: sesudah “%PDF-” tidak ada nomor versinya.",
        }
    ]
    assert api.read(case)["step"]["data_initial"] == {"checked": []}
    assert not Attachment.objects.exists()
