"""Penerimaan: the front office receives the application; done by registering the case."""

from layan.cases.steps.base import Kind
from layan.catalogue.schema import StepKind


class Intake(Kind):
    kind = StepKind.INTAKE
    label = "Penerimaan"
    done_label = "Diterima"
    button_label = "Terima permohonan"
    done_at_registration = True
    # Mataram's complaint intake names the complaint's fields; registering does not ask
    # them yet (the complaints issue will), so they are allowed and not read.
    takes = frozenset({"fields"})
