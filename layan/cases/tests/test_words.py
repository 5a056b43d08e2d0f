"""The pages of a case speak the words people use: full names with NIP, step and
requirement labels, and times in the office's zone with its name. No username and no
internal key appears on the staff pages, the printouts or the public tracking page."""

import re
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from layan.cases.models import Case
from layan.cases.services import (
    Applicant,
    CaseConflict,
    CaseError,
    attachment_add,
    case_act,
    case_create,
)
from layan.cases.services import case_doc as doc_of
from layan.cases.testing import scan_png, step_act, walk
from layan.offices.models import Office, Role

# Usernames no page should print: odd enough never to be part of another word.
STAFF = {
    Role.PETUGAS: ("zq_petugas_7", "Andi Saputra", "199003122015031001"),
    Role.OPERATOR: ("zq_operator_7", "Rini Wulandari", "199207052017032002"),
    Role.KABID: ("zq_kabid_7", "Muhammad Yusuf, S.Sos.", "197805112003121001"),
    Role.KADIN: ("zq_kadin_7", "Drs. Bambang Wijaya", "197008171997031001"),
    Role.SEKRETARIS: ("zq_sekretaris_7", "Dewi Kartika", "198002282006042002"),
    Role.SUPERVISOR: ("zq_supervisor_7", "Hendra Gunawan", ""),
    Role.PEKSOS: ("zq_peksos_7", "Siti Nurhaliza", "198809152012032002"),
}
# Printed as '4 Des 2026 14.05 WITA', never as Django's '04/12/2026 14:05'.
RAW_TIME = re.compile(r"\d{2}/\d{2}/\d{4}|\d{1,2}:\d{2}")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def staff(office_register, make_user):
    people = {}
    for role, (username, name, nip) in STAFF.items():
        user = make_user(username, bone=[role.value])
        user.full_name, user.nip = name, nip
        user.save(update_fields=["full_name", "nip"])
        people[role.value] = user
    return people


class _Text(HTMLParser):
    """The text a reader sees: no tags, no attributes, no scripts or styles."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


# Keys that are not words of the language: a reader would see them only as leaked names.
ABBREVIATED_KEYS = {"kk", "ktp", "dtks", "dtsen", "kabid", "kadin", "peksos"}


def keys_of(case: Case) -> set[str]:
    """The definition's and the roles' internal names that no sentence would contain
    ('terima' or 'periksa' are also plain words, 'cek_dtks' and 'kadin' are not)."""
    doc = doc_of(case)
    keys = {step.key for step in doc.steps} | {r.key for r in doc.requirements}
    keys |= set(doc.actors) | {role.value for role in Role}
    return {key for key in keys if "_" in key or key in ABBREVIATED_KEYS}


def assert_in_peoples_words(text: str, case: Case) -> None:
    for username, _name, _nip in STAFF.values():
        assert username not in text
    found = [
        key for key in keys_of(case) if re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])", text)
    ]
    assert not found, f"internal keys shown: {found}"
    assert not RAW_TIME.search(text), RAW_TIME.search(text)


def _walked_case(office_register, staff) -> Case:
    case = case_create(
        office=Office.objects.get(slug="bone"), service_code="rekomendasi-kip",
        user=staff["petugas"],
        applicant=Applicant(name="Ibu Sari Wulandari", nik=office_register["bone"]["registered"]),
    )  # fmt: skip
    doc = doc_of(case)
    scan = SimpleUploadedFile("kk-sari.png", scan_png(), content_type="image/png")
    attachment_add(case_id=case.pk, user=staff["petugas"], requirement="kk", upload=scan)
    return walk(case, staff=staff, to=lambda step: doc.staff_role(step) == "kadin")


def test_the_staff_pages_of_a_case_name_people_and_steps_as_people_know_them(
    client, office_register, staff
):
    case = _walked_case(office_register, staff)
    assert case.records.count() >= 3 and case.attachments.exists()
    client.force_login(staff["petugas"])
    pages = {
        name: client.get(reverse(name, args=["bone", *args]))
        for name, args in [
            ("case-detail", [case.pk]), ("case-receipt", [case.pk]), ("case-queue", []),
            ("registry-log", []),
        ]
    }  # fmt: skip
    for name, response in pages.items():
        assert response.status_code == 200, name
        assert_in_peoples_words(visible(response.content.decode()), case)
    detail = visible(pages["case-detail"].content.decode())
    assert "Andi Saputra (NIP 19900312 201503 1 001)" in detail  # registered it, acted
    assert "Muhammad Yusuf, S.Sos. (NIP 19780511 200312 1 001)" in detail
    assert "diunggah oleh" in detail
    assert "menurut SOP per" in detail and "versi" not in detail
    assert "WITA" in detail and "sistem" in detail  # the register check is the system's
    receipt = visible(pages["case-receipt"].content.decode())
    assert "oleh Andi Saputra (NIP 19900312 201503 1 001)" in receipt and "WITA" in receipt
    home = visible(client.get(reverse("staff-home")).content.decode())
    assert "Selamat datang, Andi Saputra NIP 19900312 201503 1 001" in home  # NIP below the name


def test_the_referral_slip_and_the_tracking_page_speak_the_same_words(
    client, office_register, staff
):
    case = case_create(
        office=Office.objects.get(slug="bone"), service_code="rekomendasi-kip",
        user=staff["petugas"],
        applicant=Applicant(name="Ibu Sari Wulandari", nik=office_register["bone"]["unknown"]),
    )  # fmt: skip
    case = walk(case, staff=staff)
    assert case.state == "dirujuk"
    client.force_login(staff["petugas"])
    slip = visible(
        client.get(reverse("case-referral-slip", args=["bone", case.pk])).content.decode()
    )
    assert_in_peoples_words(slip, case)
    assert "Andi Saputra (NIP 19900312 201503 1 001)" in slip
    client.logout()
    tracking = visible(
        client.get(reverse("track-case", args=[case.tracking_code])).content.decode()
    )
    assert_in_peoples_words(tracking, case)
    assert "Andi Saputra" not in tracking  # the public page names roles, not people
    assert "WITA" in tracking


def test_a_page_left_open_on_an_old_step_is_told_by_the_steps_labels(office_register, staff):
    case = case_create(
        office=Office.objects.get(slug="bone"), service_code="rekomendasi-kip",
        user=staff["petugas"],
        applicant=Applicant(name="Ibu Sari Wulandari", nik=office_register["bone"]["registered"]),
    )  # fmt: skip
    first = case.current_step
    step_act(case, user=staff["petugas"])
    with pytest.raises(CaseConflict) as refused:
        case_act(case_id=case.pk, user=staff["petugas"], step=first, outcome="lengkap")
    message = str(refused.value)
    assert first not in message and case.current_step not in message
    assert "Langkah Pemeriksaan kelengkapan (Petugas Layanan) bukan langkah saat ini" in message


def test_a_wrong_outcome_and_an_unknown_requirement_are_named_by_labels(office_register, staff):
    case = case_create(
        office=Office.objects.get(slug="bone"), service_code="rekomendasi-kip",
        user=staff["petugas"],
        applicant=Applicant(name="Ibu Sari Wulandari", nik=office_register["bone"]["registered"]),
    )  # fmt: skip
    with pytest.raises(CaseError) as wrong:
        case_act(case_id=case.pk, user=staff["petugas"], step=case.current_step, outcome="xyz")
    assert "'lengkap'" not in str(wrong.value) and "Lengkap" in str(wrong.value)
    upload = SimpleUploadedFile("a.png", scan_png(), content_type="image/png")
    with pytest.raises(CaseError) as unknown:
        attachment_add(case_id=case.pk, user=staff["petugas"], requirement="xyz", upload=upload)
    message = str(unknown.value)
    assert "Kartu Keluarga" in message or "KK" in message
    assert "kartu_pelajar" not in message and " = " not in message


def test_a_step_of_another_role_is_refused_naming_the_role_by_its_label(office_register, staff):
    from django.core.exceptions import PermissionDenied

    case = _walked_case(office_register, staff)  # stands at the head of office's step
    with pytest.raises(PermissionDenied) as refused:
        case_act(case_id=case.pk, user=staff["petugas"], step=case.current_step)
    assert "(peran kepala dinas)" in str(refused.value)
    assert "kadin" not in str(refused.value)


def test_the_api_names_people_for_display_beside_their_account(client, office_register, staff):
    from layan.core.api_auth import token_issue

    case = _walked_case(office_register, staff)
    key = token_issue(user=staff["petugas"])
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    answer = client.get(f"/api/v1/cases/{case.pk}", **bearer).json()
    first = answer["history"][0]
    assert first["user"] == "zq_petugas_7"  # the account, for programs
    assert first["user_name"] == "Andi Saputra (NIP 19900312 201503 1 001)"  # for people
    scans = client.get(f"/api/v1/cases/{case.pk}/attachments", **bearer).json()
    assert scans[0]["uploaded_by"] == "Andi Saputra (NIP 19900312 201503 1 001)"
