"""Penyerahan: the product (a letter, aid) is handed to the applicant or sent on."""

from layan.cases.steps.base import Kind
from layan.catalogue.schema import StepKind


class Handover(Kind):
    kind = StepKind.HANDOVER
    label = "Penyerahan"
    done_label = "Diserahkan"
    button_label = "Serahkan kepada pemohon"
