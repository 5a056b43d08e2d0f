"""Disposisi: a head passes the request down to the unit or officer who will work on it."""

from typing import Annotated, Any

from django.http import QueryDict
from pydantic import Field, StringConstraints

from layan.cases.models import Case, StepRecord
from layan.cases.steps.base import Act, Kind, StepEffect
from layan.catalogue.schema import ServiceDoc, Step, StepKind

To = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class Disposition(Kind):
    kind = StepKind.DISPOSITION
    label = "Disposisi"
    takes = frozenset({"route"})
    done_label = "Didisposisikan"
    button_label = "Teruskan disposisi"
    template = "cases/steps/disposition.html"

    def definition_problems(self, doc: ServiceDoc, step: Step) -> list[tuple[str, str]]:
        return [
            (f"route[{j}]", f"aktor '{actor}' tidak ada di daftar actors")
            for j, actor in enumerate(step.route)
            if actor not in doc.actors
        ]

    def route_labels(self, doc: ServiceDoc, step: Step) -> list[str]:
        return [doc.actors[key].label for key in step.route if key in doc.actors]

    def input_fields(self, doc: ServiceDoc, step: Step) -> dict[str, Any]:
        route = self.route_labels(doc, step)
        info = Field(
            title="Diteruskan kepada",
            description="Kepada siapa/bidang mana disposisi diberikan",
            examples=route or None,
        )
        return {"to": (To, info)}

    def data_from_post(self, doc: ServiceDoc, step: Step, post: QueryDict) -> dict[str, Any]:
        return {"to": post.get("to", "")}

    def perform(self, act: Act) -> StepEffect:
        return StepEffect(data={"to": act.data["to"], "route": act.step.route})

    def summary(self, doc: ServiceDoc, record: StepRecord) -> str:
        to = (record.data or {}).get("to")
        return f"Diteruskan kepada: {to}" if to else ""

    def form_context(
        self, doc: ServiceDoc, step: Step, case: Case, posted: QueryDict | None, errors: dict
    ) -> dict[str, Any]:
        route = self.route_labels(doc, step)
        default = route[0] if route else ""
        return {"route": route, "to": posted.get("to", "") if posted else default}
