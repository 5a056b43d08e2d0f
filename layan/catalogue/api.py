"""Public API of the catalogue: offices and their services, with SOP steps, actors and outcomes."""

from django.http import HttpRequest
from ninja import Router, Schema

from layan.catalogue.schema import ServiceDoc, Step
from layan.catalogue.selectors import services_published, version_doc
from layan.offices.selectors import office_get_public, offices_public

# Public like the service standards pages: no token needed.
router = Router(auth=None)

# The one outcome of a step that simply continues (`next`), as a case step is acted on.
NEXT_OUTCOME = "lanjut"


class OfficeOut(Schema):
    slug: str
    name: str
    region_code: str
    time_zone: str


class ActorOut(Schema):
    key: str
    label: str
    role: str


class StepOut(Schema):
    key: str
    kind: str
    actor: str
    role: str
    outcomes: list[str]
    next: str | None
    end: str | None


class ServiceOut(Schema):
    code: str
    name: str
    version: int
    time_standard: str | None
    actors: list[ActorOut]
    steps: list[StepOut]


def _outcomes(step: Step) -> list[str]:
    if step.outcomes:
        return list(step.outcomes)
    return [NEXT_OUTCOME] if step.next else []


def _service_out(doc: ServiceDoc, version: int) -> ServiceOut:
    return ServiceOut(
        code=doc.code,
        name=doc.name,
        version=version,
        time_standard=str(doc.time_standard) if doc.time_standard else None,
        actors=[ActorOut(key=k, label=a.label, role=a.role) for k, a in doc.actors.items()],
        steps=[
            StepOut(
                key=s.key,
                kind=s.kind.value,
                actor=s.actor,
                role=doc.staff_role(s),
                outcomes=_outcomes(s),
                next=s.next,
                end=s.end.value if s.end else None,
            )
            for s in doc.steps
        ],
    )


@router.get("/offices", response=list[OfficeOut], summary="Daftar kantor")
def offices(request: HttpRequest):
    """Every office, by name."""
    return offices_public()


@router.get(
    "/offices/{office}/services", response=list[ServiceOut], summary="Layanan sebuah kantor"
)
def office_services(request: HttpRequest, office: str):
    """The office's published services with their current SOP: actors, steps, outcomes."""
    found = office_get_public(slug=office)
    versions = (service.current_version for service in services_published(office=found))
    return [_service_out(version_doc(v), v.number) for v in versions if v is not None]
