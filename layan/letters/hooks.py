"""The letter work of a case's steps: draft_letter drafts, approve initials, sign signs.

Connected to the case engine when the app loads; each hook runs inside
`case_act`'s transaction and returns what the step record keeps (never the
password that confirmed a paraf or signature).
"""

from layan.cases.services import StepEffect, step_hook_register
from layan.catalogue.schema import StepKind
from layan.letters import services

AGREE = "setuju"


def _kept(letter) -> dict:
    return {"letter": letter.pk, "letter_state": letter.state, "number": letter.number}


def on_draft(*, case, doc, step, user, outcome, note, data) -> StepEffect:
    letter, companions = services.letter_draft(case=case, doc=doc, step=step, user=user,
                                               data=data)  # fmt: skip
    return StepEffect(data=_kept(letter), companions=companions)


def on_approve(*, case, doc, step, user, outcome, note, data) -> StepEffect:
    if outcome == AGREE:
        letter, companions = services.letter_paraf(case=case, doc=doc, step=step, user=user,
                                                   data=data)  # fmt: skip
    else:
        letter, companions = services.letter_return(case=case, user=user, note=note)
    return StepEffect(data=_kept(letter), companions=companions)


def on_sign(*, case, doc, step, user, outcome, note, data) -> StepEffect:
    if outcome == AGREE:
        letter, companions = services.letter_sign(case=case, doc=doc, step=step, user=user,
                                                  data=data)  # fmt: skip
    else:
        letter, companions = services.letter_return(case=case, user=user, note=note)
    return StepEffect(data=_kept(letter), companions=companions)


def connect() -> None:
    step_hook_register(StepKind.DRAFT_LETTER, on_draft)
    step_hook_register(StepKind.APPROVE, on_approve)
    step_hook_register(StepKind.SIGN, on_sign)
