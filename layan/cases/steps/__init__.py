"""Step kinds: one module each, registered with the catalogue when the cases app loads.

`kind_of(step.kind)` is how the engine, the pages, the API and the SOP table
reach a kind. The letters app registers draft_letter, approve and sign from its
own package (`layan/letters/steps.py`).
"""

from typing import cast

from layan.cases.steps.base import Kind
from layan.cases.steps.checklist import Checklist
from layan.cases.steps.disposition import Disposition
from layan.cases.steps.end import End
from layan.cases.steps.form import Form
from layan.cases.steps.handover import Handover
from layan.cases.steps.intake import Intake
from layan.cases.steps.refer import Refer
from layan.cases.steps.registry_check import RegistryCheck
from layan.catalogue import kinds
from layan.catalogue.schema import StepKind

CASE_KINDS: tuple[type[Kind], ...] = (
    Intake, Checklist, RegistryCheck, Form, Disposition, Refer, Handover, End,
)  # fmt: skip


def kinds_register(*classes: type[Kind]) -> None:
    for cls in classes:
        kinds.kind_register(cls())


def kind_of(kind: StepKind | str) -> Kind:
    return cast(Kind, kinds.kind_of(kind))
