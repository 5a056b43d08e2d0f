"""Pengisian data: the officer fills the fields the definition names (Banyuasin's survey).

A photo or file field is an attachment of the case, uploaded on its own (page
or `POST /api/v1/cases/{id}/attachments` with `requirement` = the field's key);
the step checks it is there and may name it by id.
"""

import math
from datetime import date
from typing import Annotated, Any, Literal

from django.http import QueryDict
from pydantic import AfterValidator, Field, JsonValue, StringConstraints, WithJsonSchema

from layan.cases.models import Case, StepRecord
from layan.cases.steps.base import Act, CaseError, Kind, StepEffect
from layan.catalogue.schema import FormField, ServiceDoc, Step, StepKind
from layan.core.uploads import SCAN_TYPES

ATTACHED_TYPES = ("photo", "file")
# The types the schema names for a field (a photo is a picture; a file any scan).
ATTACHMENT_CONTENT: dict[str, list[JsonValue]] = {
    "photo": [t for t in SCAN_TYPES if t.startswith("image/")],
    "file": list(SCAN_TYPES),
}

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]


def _whole_if_whole(value: float) -> float | int:
    # "12" typed on the page is 12, not 12.0, in the record.
    return int(value) if value.is_integer() else value


Number = Annotated[
    float,
    Field(allow_inf_nan=False),
    AfterValidator(_whole_if_whole),
    WithJsonSchema({"type": "number"}),
]


def _value_type(field: FormField) -> Any:
    if field.type == "number":
        return Number
    if field.type == "date":
        return date
    if field.type == "boolean":
        return bool
    if field.type == "choice" and field.choices:
        return Literal[tuple(field.choices)]
    return Text


def is_attachment(field: FormField) -> bool:
    return field.type in ATTACHED_TYPES


class Form(Kind):
    kind = StepKind.FORM
    label = "Pengisian data"
    takes = frozenset({"fields"})
    done_label = "Diisi"
    button_label = "Simpan isian"
    template = "cases/steps/form.html"

    def definition_problems(self, doc: ServiceDoc, step: Step) -> list[tuple[str, str]]:
        return [] if step.fields else [("fields", "langkah form harus punya isian (fields)")]

    def input_fields(self, doc: ServiceDoc, step: Step) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        for field in step.fields:
            if is_attachment(field):
                fields[field.key] = (int | None, self._attachment_info(field))
            elif field.required:
                fields[field.key] = (_value_type(field), Field(title=field.label))
            else:
                fields[field.key] = (_value_type(field) | None, Field(None, title=field.label))
        return fields

    def _attachment_info(self, field: FormField) -> Any:
        return Field(
            None,
            title=field.label,
            description=(
                f"Lampiran: unggah dulu ke POST /api/v1/cases/{{id}}/attachments dengan "
                f"requirement='{field.key}'; di sini boleh disebut id lampirannya."
            ),
            json_schema_extra={
                "x-attachment": {
                    "requirement": field.key,
                    "required": field.required,
                    "content_types": ATTACHMENT_CONTENT[field.type],
                }
            },
        )

    def input_prepare(self, step: Step, raw: dict[str, Any]) -> dict[str, Any]:
        # The first API took the values wrapped as {"fields": {...}}; it still may.
        wrapped = raw.get("fields")
        if set(raw) == {"fields"} and isinstance(wrapped, dict):
            return wrapped
        return raw

    def data_from_post(self, doc: ServiceDoc, step: Step, post: QueryDict) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for field in step.fields:
            name = f"field_{field.key}"
            if is_attachment(field):
                continue  # uploaded in the attachments section
            if field.type == "boolean":
                values[field.key] = post.get(name) == "on"
            elif text := str(post.get(name, "")).strip():
                values[field.key] = text
        return values

    def perform(self, act: Act) -> StepEffect:
        attached: dict[str, list[int]] = {}
        for pk, requirement in act.case.attachments.values_list("pk", "requirement"):
            attached.setdefault(requirement, []).append(pk)
        values, files = {}, {}
        for field in act.step.fields:
            value = act.data.get(field.key)
            if not is_attachment(field):
                if value is not None:
                    values[field.key] = value.isoformat() if isinstance(value, date) else value
                continue
            if value is not None and value not in attached.get(field.key, []):
                raise CaseError(f"{field.label}: lampiran {value} tidak ada pada permohonan ini.",
                                field=f"data.{field.key}")  # fmt: skip
            if field.required and not attached.get(field.key):
                raise CaseError(f"{field.label} belum dilampirkan.", field=f"data.{field.key}")
            if attached.get(field.key):
                files[field.key] = attached[field.key]
        return StepEffect(data={"fields": values, **({"attachments": files} if files else {})})

    def summary(self, doc: ServiceDoc, record: StepRecord) -> str:
        step = doc.step_map.get(record.step)
        labels = {f.key: f.label for f in step.fields} if step else {}
        values = (record.data or {}).get("fields", {})
        return "; ".join(f"{labels.get(k, k)}: {_shown(v)}" for k, v in values.items())

    def form_context(
        self, doc: ServiceDoc, step: Step, case: Case, posted: QueryDict | None, errors: dict
    ) -> dict[str, Any]:
        attached = set(case.attachments.values_list("requirement", flat=True))
        return {"fields": [_field_shown(f, posted, attached, errors) for f in step.fields]}


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, float) and math.isfinite(value):
        return f"{value:g}"
    return str(value)


def _field_shown(field: FormField, posted: QueryDict | None, attached: set, errors: dict) -> dict:
    name = f"field_{field.key}"
    return {
        "key": field.key,
        "name": name,
        "label": field.label,
        "type": field.type,
        "required": field.required,
        "choices": field.choices,
        "value": posted.get(name, "") if posted else "",
        "attached": field.key in attached,
        "error": errors.get(field.key, ""),
    }
