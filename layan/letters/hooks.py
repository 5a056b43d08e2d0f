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


# What agreeing does at each kind; any other outcome sends the draft back.
ON_AGREE = {StepKind.APPROVE: services.letter_paraf, StepKind.SIGN: services.letter_sign}


def on_decision(*, case, doc, step, user, outcome, note, data) -> StepEffect:
    if outcome == AGREE:
        letter, companions = ON_AGREE[step.kind](case=case, doc=doc, step=step, user=user,
                                                 data=data)  # fmt: skip
    else:
        letter, companions = services.letter_return(case=case, user=user, note=note)
    return StepEffect(data=_kept(letter), companions=companions)


def connect() -> None:
    step_hook_register(StepKind.DRAFT_LETTER, on_draft)
    for kind in ON_AGREE:
        step_hook_register(kind, on_decision)
