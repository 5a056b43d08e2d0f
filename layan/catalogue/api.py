"""Public API of the catalogue: offices and their services, with SOP steps, actors and outcomes.

Each service lists what a program needs to run its cases without reading Layan's
code: the requirements a checklist takes (key, label, optional), and for each
step the JSON Schema of the `data` an action on it takes, asked of the step's kind.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from layan.catalogue.graph import step_outcomes, step_target
from layan.catalogue.kinds import kind_of
from layan.catalogue.schema import ServiceDoc, Step
from layan.catalogue.selectors import services_published, version_doc
from layan.core.api_schema import responses
from layan.offices.selectors import office_get_public, offices_public

# Public like the service standards pages: no token needed.
router = Router(auth=None)


class OfficeOut(Schema):
    slug: str
    name: str
    region_code: str
    time_zone: str


class ActorOut(Schema):
    key: str
    label: str
    role: str


class RequirementOut(Schema):
    """A paper of the standard; `registry` ones are checked by the system, never ticked."""

    key: str
    label: str
    optional: bool
    registry: bool


class ServiceStepOut(Schema):
    """One SOP step: who acts (`role`), its outcomes, and the schema of the data it takes.

    `outcomes` are every way on; `choosable` the ones an officer picks (none where the
    system decides); `reason_required` the ones that need `data.reason`: a return
    (where `note` may stand in for it), or an end as ditolak or dirujuk, whose reason
    the applicant reads on the tracking page (a referral after a register check that
    did not find the person takes the register's answer when none is given).
    """

    key: str
    kind: str
    label: str
    text: str
    actor: str
    role: str
    outcomes: list[str]
    outcome_labels: dict[str, str]
    choosable: list[str]
    reason_required: list[str]
    # Where each outcome leads: a step key, or an end state (selesai, ditolak, dirujuk).
    leads_to: dict[str, str]
    next: str | None
    end: str | None
    input_schema: dict[str, Any]


class ServiceOut(Schema):
    code: str
    name: str
    version: int
    time_standard: str | None
    requirements: list[RequirementOut]
    actors: list[ActorOut]
    steps: list[ServiceStepOut]


def _step_out(doc: ServiceDoc, step: Step) -> ServiceStepOut:
    kind = kind_of(step.kind)
    # A step with `end` closes the case: it has no outcome to name, as before.
    outcomes = [] if step.end else step_outcomes(step)
    choosable = kind.choosable(step)
    return ServiceStepOut(
        key=step.key,
        kind=step.kind.value,
        label=kind.label,
        text=step.text,
        actor=step.actor,
        role=doc.staff_role(step),
        outcomes=outcomes,
        outcome_labels={o: kind.outcome_label(o) for o in outcomes},
        choosable=choosable,
        reason_required=[o for o in choosable if kind.reason_needed(step, o)],
        leads_to={o: step_target(step, o) for o in outcomes},
        next=step.next,
        end=step.end.value if step.end else None,
        input_schema=kind.input_schema(doc, step),
    )


def _service_out(doc: ServiceDoc, version: int) -> ServiceOut:
    return ServiceOut(
        code=doc.code,
        name=doc.name,
        version=version,
        time_standard=str(doc.time_standard) if doc.time_standard else None,
        requirements=[
            RequirementOut(key=r.key, label=r.label, optional=r.optional, registry=r.registry)
            for r in doc.requirements
        ],
        actors=[ActorOut(key=k, label=a.label, role=a.role) for k, a in doc.actors.items()],
        steps=[_step_out(doc, s) for s in doc.steps],
    )


@router.get("/offices", response=responses(list[OfficeOut]), summary="Daftar kantor")
def offices(request: HttpRequest):
    """Every office, by name."""
    return offices_public()


@router.get(
    "/offices/{office}/services",
    response=responses(list[ServiceOut], 404),
    summary="Layanan sebuah kantor",
)
def office_services(request: HttpRequest, office: str):
    """The office's published services with their current SOP: actors, steps, outcomes."""
    found = office_get_public(slug=office)
    versions = (service.current_version for service in services_published(office=found))
    return [_service_out(version_doc(v), v.number) for v in versions if v is not None]
