"""Walking cases through their steps, for the tests, the benchmarks and the sample letters.

The data of each step is filled from the step's own `input_schema`, the JSON
Schema the API publishes, so the same filler serves a client that knows only the
API (`data_from_schema`) and an in-process walk (`walk`).
"""

import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from layan.cases.models import Case, StepRecord
from layan.cases.services import attachment_add, case_act, case_doc
from layan.cases.steps import kind_of
from layan.catalogue.schema import Step, StepKind

PASSWORD = "rahasia-panjang-123"  # the test users' password, which confirms parafs too
REASON = "Alasan uji: berkas perlu diperbaiki"


@dataclass(frozen=True)
class Filled:
    """A step's data, and the attachments (requirement keys) it needs uploaded first."""

    data: dict[str, Any]
    attachments: list[tuple[str, list[str]]]  # (requirement, accepted content types)


def _value(name: str, prop: dict[str, Any], *, refusing: bool, values: dict[str, Any]) -> Any:
    if name in values:
        return values[name]
    if prop.get("format") == "password":
        return PASSWORD
    # An optional field is `anyOf: [its schema, null]`: fill it as its own schema says.
    options = [option for option in prop.get("anyOf", []) if option.get("type") != "null"]
    if options:
        prop = {**prop, **options[0]}
    kind = prop.get("type", "string")
    if kind == "array":
        # Every paper for the outcome that goes on; none for the one that turns it down.
        return [] if refusing else list(prop.get("items", {}).get("enum", []))
    if "enum" in prop:
        return prop["enum"][0]
    if kind in ("number", "integer"):
        return 1
    if kind == "boolean":
        return True
    if prop.get("format") == "date":
        return "2026-01-05"
    return (prop.get("examples") or ["Isian uji"])[0]


def data_from_schema(
    schema: dict[str, Any], *, needs_reason: bool, values: dict[str, Any] | None = None
) -> Filled:
    """The `data` a careful officer would give a step, read off its JSON Schema.

    `needs_reason`: the chosen outcome sends the case back or turns it down (the
    listing's `reason_required`), so a reason is given and no paper is ticked.
    `values` overrides the filler for named fields.
    """
    values = values or {}
    data: dict[str, Any] = {}
    attachments = []
    for name, prop in schema.get("properties", {}).items():
        if "x-attachment" in prop:
            needed = prop["x-attachment"]
            attachments.append((needed["requirement"], needed["content_types"]))
            continue
        if name == "reason":
            if needs_reason:
                data[name] = REASON
            continue
        data[name] = _value(name, prop, refusing=needs_reason, values=values)
    return Filled(data=data, attachments=attachments)


def scan_png() -> bytes:
    """A real PNG (1x1, white), accepted as a scan."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    body = chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


def _attach(case: Case, user: Any, requirement: str) -> None:
    upload = SimpleUploadedFile(f"{requirement}.png", scan_png(), content_type="image/png")
    attachment_add(case_id=case.pk, user=user, requirement=requirement, upload=upload)


Stop = Callable[[Step], bool]


def _stop_at(to: str | StepKind | Stop | None) -> Stop:
    if to is None:
        return lambda step: False
    if callable(to):
        return to
    if isinstance(to, StepKind):
        return lambda step: step.kind == to
    return lambda step: step.key == to


def walk(
    case: Case,
    *,
    user: Any = None,
    staff: dict[str, Any] | None = None,
    to: str | StepKind | Stop | None = None,
    outcomes: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
) -> Case:
    """Act on each current step until the case ends or stands at `to` (a key, kind or test).

    Each step is done by `user`, or by `staff[role]` for the step's role, with the
    outcome in `outcomes` (by step key; else the first the officer may choose) and
    data from the step's input schema. Returns the case as it now stands.
    """
    stop = _stop_at(to)
    doc = case_doc(case)
    while case.is_open:
        step = doc.step_map[case.current_step]
        if stop(step):
            break
        actor = user if user is not None else (staff or {})[doc.staff_role(step)]
        step_act(case, user=actor, outcome=(outcomes or {}).get(step.key), values=values)
        case.refresh_from_db()
    return case


def step_act(
    case: Case, *, user: Any, outcome: str | None = None, values: dict[str, Any] | None = None
) -> StepRecord:
    """Do the case's current step with `outcome` (else the first the officer may choose),
    its data filled from the step's input schema and its attachments uploaded first."""
    doc = case_doc(case)
    step = doc.step_map[case.current_step]
    kind = kind_of(step.kind)
    choosable = kind.choosable(step)
    outcome = outcome or (choosable[0] if choosable else None)
    filled = data_from_schema(
        kind.input_schema(doc, step),
        needs_reason=bool(outcome and kind.reason_needed(step, outcome)),
        values=values,
    )
    for requirement, _types in filled.attachments:
        _attach(case, user, requirement)
    return case_act(case_id=case.pk, user=user, step=step.key,
                    outcome=outcome if choosable else None, data=filled.data)  # fmt: skip
