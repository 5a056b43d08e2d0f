"""The letter kinds of step: draft_letter drafts, approve initials (paraf), sign signs.

Registered with the case engine when the letters app loads. Each runs inside
`case_act`'s transaction; the record keeps the letter, never the password that
confirmed a paraf or signature.
"""

from typing import Any

from django.http import QueryDict
from pydantic import Field, SecretStr

from layan.cases.models import StepRecord
from layan.cases.steps import kind_of
from layan.cases.steps.base import Act, Kind, StepEffect
from layan.catalogue.schema import ServiceDoc, Step, StepKind
from layan.letters import services
from layan.letters.models import Letter, LetterState
from layan.letters.selectors import letter_of_case

AGREE, RETURN = "setuju", "kembalikan"


def _kept(letter: Letter) -> dict[str, Any]:
    return {"letter": letter.pk, "letter_state": letter.state, "number": letter.number}


def _password(what: str) -> dict[str, Any]:
    info = Field(
        default=SecretStr(""),
        title="Kata sandi",
        description=f"Kata sandi Anda sendiri, konfirmasi {what} elektronik; tidak disimpan.",
    )
    return {"password": (SecretStr, info)}


def _revealed(data: dict[str, Any]) -> dict[str, Any]:
    """The data with the password as text, for the letter services that check it."""
    secret = data.get("password")
    return {**data, "password": secret.get_secret_value() if secret else ""}


def _password_from_post(post: QueryDict) -> dict[str, Any]:
    return {"password": post.get("password", "")}


def _summary(record: StepRecord) -> str:
    data = record.data or {}
    if data.get("number"):
        return f"Surat nomor {data['number']}"
    if data.get("bersama"):
        return f"Bersama permohonan {data['bersama']} (surat kolektif)"
    return ""


class DraftLetter(Kind):
    kind = StepKind.DRAFT_LETTER
    label = "Pembuatan surat"
    takes = frozenset({"letter", "paraf"})
    done_label = "Surat dibuat"
    button_label = "Kirim draf"
    template = "letters/steps/password.html"

    def button_text(self, step: Step, doc: ServiceDoc | None = None) -> str:
        """'Kirim draf ke Kepala Bidang untuk paraf': whom the draft goes to, and for what."""
        following = doc.step_map.get(step.next or "") if doc else None
        if following is None:
            return self.button_label
        assert doc is not None
        what = "paraf" if kind_of(following.kind).adds_paraf(following) else "tanda tangan"
        send = f"{self.button_label} ke {doc.actors[following.actor].label} untuk {what}"
        return f"Paraf dan {send[0].lower()}{send[1:]}" if step.paraf else send

    def definition_problems(self, doc: ServiceDoc, step: Step) -> list[tuple[str, str]]:
        if not step.letter:
            return [("letter", "langkah draft_letter harus menyebut templat surat (letter)")]
        if step.letter not in {t.code for t in doc.letters}:
            return [("letter", f"templat surat '{step.letter}' tidak ada di daftar letters")]
        return []

    def adds_paraf(self, step: Step) -> bool:
        return step.paraf

    def input_fields(self, doc: ServiceDoc, step: Step) -> dict[str, Any]:
        # The drafter initials at once where the SOP says so (Banyuasin's supervisor).
        return _password("paraf") if step.paraf else {}

    def data_from_post(self, doc: ServiceDoc, step: Step, post: QueryDict) -> dict[str, Any]:
        return _password_from_post(post) if step.paraf else {}

    def perform(self, act: Act) -> StepEffect:
        letter, companions = services.letter_draft(
            case=act.case, doc=act.doc, step=act.step, user=act.user, data=_revealed(act.data)
        )
        return StepEffect(data=_kept(letter), companions=companions)

    def summary(self, doc: ServiceDoc, record: StepRecord) -> str:
        return _summary(record)

    def form_context(self, doc, step, case, posted, errors) -> dict[str, Any]:
        # The draft the officer made to read before sending (the letters panel makes it).
        letter = letter_of_case(case)
        prepared = letter if letter is not None and letter.state == LetterState.DRAFT else None
        return {"password_for": "paraf" if step.paraf else "", "draft": prepared}


class _Decision(Kind):
    """Agree and add one's mark to the draft, or send it back with a reason."""

    outcome_labels = {AGREE: "Setuju", RETURN: "Dikembalikan"}
    choice_labels = {RETURN: "Kembalikan"}
    note_label = "Catatan (wajib bila dikembalikan)"
    template = "letters/steps/password.html"
    what = ""

    def needs_reason(self, outcome: str) -> bool:
        return outcome != AGREE  # any other outcome sends the draft back

    def input_fields(self, doc: ServiceDoc, step: Step) -> dict[str, Any]:
        return _password(self.what)

    def data_from_post(self, doc: ServiceDoc, step: Step, post: QueryDict) -> dict[str, Any]:
        return _password_from_post(post)

    def agree(self, act: Act) -> tuple[Letter, list]:
        raise NotImplementedError

    def perform(self, act: Act) -> StepEffect:
        if act.outcome == AGREE:
            letter, companions = self.agree(act)
        else:
            letter, companions = services.letter_return(case=act.case, user=act.user,
                                                        note=act.note)  # fmt: skip
        return StepEffect(data=_kept(letter), companions=companions)

    def summary(self, doc: ServiceDoc, record: StepRecord) -> str:
        return _summary(record)

    def form_context(self, doc, step, case, posted, errors) -> dict[str, Any]:
        return {"password_for": self.what}


class Approve(_Decision):
    kind = StepKind.APPROVE
    label = "Paraf"
    what = "paraf"

    def adds_paraf(self, step: Step) -> bool:
        return True

    def agree(self, act: Act) -> tuple[Letter, list]:
        return services.letter_paraf(case=act.case, doc=act.doc, step=act.step, user=act.user,
                                     data=_revealed(act.data))  # fmt: skip


class Sign(_Decision):
    kind = StepKind.SIGN
    label = "Tanda tangan"
    what = "tanda tangan"

    def agree(self, act: Act) -> tuple[Letter, list]:
        return services.letter_sign(case=act.case, doc=act.doc, step=act.step, user=act.user,
                                    data=_revealed(act.data))  # fmt: skip


LETTER_KINDS = (DraftLetter, Approve, Sign)
