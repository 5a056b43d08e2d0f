"""The signature block as Permendagri 1/2023 Pasal 44 asks: jabatan (Plt./Plh. for an acting
head), the signature, the name with degrees, pangkat/golongan where given, then "NIP. …",
the NIP being the signer's own; and only the person the letter names signs it."""

import subprocess

import pytest

from layan.cases.services import CaseError, case_act
from layan.cases.testing import PASSWORD
from layan.catalogue.schema import LetterTemplate, Signer, StepKind
from layan.core.testing import require_tool
from layan.letters.content import signatory
from layan.letters.models import Letter, LetterState
from layan.letters.services import letter_current_pdf
from layan.offices.models import Acting, Office

pytestmark = pytest.mark.django_db
DEFINITIVE = ("Dr. Hj. Andi Ratna, M.Si.", "197203151998032004")
ACTING = ("Muhammad Yusuf, S.Sos., M.AP.", "198001012005011003")


def _lines(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "surat.pdf"
    path.write_bytes(pdf)
    out = subprocess.run([require_tool("pdftotext"), "-layout", path, "-"], capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    return [" ".join(line.split()) for line in out.splitlines() if line.strip()]


def _head(office: Office, person: tuple[str, str], acting: str) -> None:
    office.head_name, office.head_nip = person
    office.head_acting, office.head_title = acting, ""
    office.save()


def _kadin(make_user, username: str, person: tuple[str, str]):
    user = make_user(username, bone=["kadin"])
    user.full_name, user.nip = person
    user.save()
    return user


def _signed(walk, user, tmp_path, name: str) -> tuple[Letter, list[str]]:
    case, _ = walk("bone", until=StepKind.SIGN, name=name)
    case_act(case_id=case.pk, user=user, step="ttd_kadin", outcome="setuju",
             data={"password": PASSWORD})  # fmt: skip
    letter = Letter.objects.get(case=case)
    return letter, _lines(letter_current_pdf(letter), tmp_path)


def _after(lines: list[str], text: str) -> int:
    """The last line with `text`: the printed block, below the signature's own look."""
    return max(i for i, line in enumerate(lines) if text in line)


def test_a_definitive_head_signs_with_name_and_own_nip(walk, make_user, tmp_path):
    _head(Office.objects.get(slug="bone"), DEFINITIVE, Acting.DEFINITIVE)
    head = _kadin(make_user, "ratna.kadin", DEFINITIVE)
    letter, lines = _signed(walk, head, tmp_path, "Tono")
    text = " ".join(lines)
    assert "Kepala Dinas Sosial Kabupaten Bone," in text and "Plt." not in text
    title = _after(lines, "Kepala Dinas Sosial Kabupaten Bone,")
    name, nip = _after(lines, DEFINITIVE[0]), _after(lines, f"NIP. {DEFINITIVE[1]}")
    assert title < name < nip  # jabatan, then the name, then the NIP under it
    assert letter.signer_name == DEFINITIVE[0] and letter.signer_nip == DEFINITIVE[1]


def test_an_acting_head_signs_as_plt_with_their_own_nip(walk, make_user, tmp_path):
    _head(Office.objects.get(slug="bone"), ACTING, Acting.PLT)
    acting = _kadin(make_user, "yusuf.plt", ACTING)
    letter, lines = _signed(walk, acting, tmp_path, "Tini")
    text = " ".join(lines)
    assert "Plt. Kepala Dinas Sosial Kabupaten Bone," in text
    assert f"NIP. {ACTING[1]}" in text and DEFINITIVE[1] not in text
    assert (
        _after(lines, "Plt. Kepala Dinas")
        < _after(lines, ACTING[0])
        < _after(lines, f"NIP. {ACTING[1]}")
    )
    assert letter.signer_title == "Plt. Kepala Dinas Sosial Kabupaten Bone"
    assert letter.state == LetterState.ISSUED


def test_someone_else_with_the_kadin_role_cannot_sign_a_letter_naming_the_plt(walk, make_user):
    _head(Office.objects.get(slug="bone"), ACTING, Acting.PLT)
    other = _kadin(make_user, "ratna.kadin", DEFINITIVE)
    case, _ = walk("bone", until=StepKind.SIGN, name="Tuti")
    with pytest.raises(CaseError) as refused:
        case_act(case_id=case.pk, user=other, step="ttd_kadin", outcome="setuju",
                 data={"password": PASSWORD})  # fmt: skip
    message = str(refused.value)
    assert ACTING[0] in message and f"NIP. {ACTING[1]}" in message and DEFINITIVE[0] in message
    assert "ttd" not in message and "kadin" not in message  # labels and names, not keys
    letter = Letter.objects.get(case=case)
    assert letter.state == LetterState.DRAFT and not letter.number


def test_a_plh_is_written_plh(seeded):
    office = Office.objects.get(slug="bone")
    _head(office, ACTING, Acting.PLH)
    sign = signatory(office, _doc(), LetterTemplate(code="s", name="S"))
    assert sign.title_lines == ["Plh. Kepala Dinas Sosial Kabupaten Bone,"]
    assert (sign.name, sign.nip) == ACTING


def test_a_head_recorded_without_nip_never_borrows_another_persons(seeded, make_user):
    office = Office.objects.get(slug="bone")
    _head(office, (DEFINITIVE[0], ""), Acting.DEFINITIVE)
    _kadin(make_user, "yusuf.plt", ACTING)  # another kadin-role account, with a NIP
    sign = signatory(office, _doc(), LetterTemplate(code="s", name="S"))
    assert sign.name == DEFINITIVE[0] and sign.nip == ""


def test_the_sops_signer_brings_their_rank(seeded):
    office = Office.objects.get(slug="bone")
    _head(office, ("", ""), Acting.DEFINITIVE)
    signer = Signer(title="Kepala Dinas Sosial Kabupaten Bone", name="Andi, S.Sos",
                    nip="1970", rank="Pembina Utama Muda (IV/c)")  # fmt: skip
    sign = signatory(office, _doc(signer), LetterTemplate(code="s", name="S"))
    assert (sign.name, sign.nip, sign.rank) == ("Andi, S.Sos", "1970", "Pembina Utama Muda (IV/c)")


def _doc(signer=None):
    from types import SimpleNamespace

    return SimpleNamespace(signer=signer)
