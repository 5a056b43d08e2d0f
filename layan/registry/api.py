"""Register lookups over the API: staff only, scoped to an office they work at, all logged."""

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Router
from ninja.errors import AuthenticationError, HttpError, ValidationError
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import PydanticCustomError, to_json

from layan.core.api_auth import bearer_key, token_claim, token_claim_forget, token_user
from layan.core.api_schema import BODY, responses
from layan.core.nik import kk_problem, nik_problem
from layan.offices.models import Office
from layan.offices.selectors import office_cached, office_ids_cached
from layan.registry.selectors import Person
from layan.registry.services import LookupResult, registry_lookup

router = Router()


# A NIK or a No KK as the document describes it: 16 digits, or nothing.
SIXTEEN_DIGITS = r"^\s*([0-9]{16})?\s*$"


class LookupIn(BaseModel):
    """One lookup: a NIK or a No KK, at an office, optionally for a case."""

    # A plain pydantic model: the operation parses the body itself, and ninja's
    # Schema adds a wrapping validator for reading Django objects it does not need.

    model_config = ConfigDict(extra="forbid")

    # The shape goes into the document only: the validator below gives the reasons.
    nik: str = Field(
        default="",
        description="NIK, 16 digits; empty when asking by No KK",
        json_schema_extra={"pattern": SIXTEEN_DIGITS},
    )
    no_kk: str = Field(
        default="",
        description="No KK, 16 digits; empty when asking by NIK",
        json_schema_extra={"pattern": SIXTEEN_DIGITS},
    )
    office: str = Field(default="", max_length=50)
    case: str = Field(default="", max_length=40)

    @field_validator("nik", "no_kk")
    @classmethod
    def _structure(cls, value: str, info: ValidationInfo) -> str:
        # The reasons registry_lookup's NikError would give, checked here so the error
        # names its field.
        value = value.strip()
        check = nik_problem if info.field_name == "nik" else kk_problem
        if value and (problem := check(value)):
            raise PydanticCustomError("nik_invalid", "{reason}", {"reason": problem})
        return value


class RegisterPersonOut(BaseModel):
    """A person as the register has them (the cases API has its own PersonOut)."""

    nik: str
    no_kk: str
    name: str
    sex: Literal["L", "P"]
    birth_place: str
    birth_date: date | None
    relationship: str
    address: str
    rt: str
    rw: str
    area_code: str
    district_name: str
    village_name: str
    desil: int | None
    presence: str
    programmes: list[str]


class LookupOut(BaseModel):
    """The answer, naming the snapshot it comes from; outside the region reads as not found."""

    # Plain pydantic models, built from a dict: the answer is validated in pydantic's
    # compiled core instead of attribute by attribute through ninja's getter.
    found: bool
    message: str
    source: Literal["dtks", "dtsen"] | None
    period: str | None
    data_as_of: str
    snapshot_id: int | None
    person: RegisterPersonOut | None
    household: list[RegisterPersonOut]


_PERSON_FIELDS = [name for name in RegisterPersonOut.model_fields if name != "programmes"]


def _person(person: Person) -> dict:
    return {**{name: getattr(person, name) for name in _PERSON_FIELDS},
            "programmes": person.programmes}  # fmt: skip


def _answer(result: LookupResult) -> dict:
    snapshot = result.snapshot
    return {
        "found": result.found,
        "message": result.message,
        "source": snapshot.source if snapshot else None,
        "period": snapshot.period if snapshot else None,
        "data_as_of": result.source_label,
        "snapshot_id": snapshot.pk if snapshot else None,
        "person": _person(result.person) if result.person else None,
        "household": [_person(member) for member in result.household],
    }


def _body_errors(errors: Sequence[Mapping[str, Any]]) -> ValidationError:
    # Shaped like ninja's own body errors, so the API's one handler renders them.
    return ValidationError([{**e, "loc": ("body", "payload", *e["loc"])} for e in errors])


def _invalid(reason: str, *fields: str) -> ValidationError:
    return _body_errors([{"loc": (field,), "msg": reason, "type": "lookup"} for field in fields])


def _lookup_office(user, slug: str) -> Office:
    """The office named, or the user's only one; 404 for an office they do not work at.

    Whether the user is staff there is checked again, from the database, by
    registry_lookup itself; this only picks which office the question is for.
    """
    offices = [office_cached(pk) for pk in office_ids_cached(user)]
    if slug:
        for office in offices:
            if office.slug == slug:
                return office
        raise Http404("Kantor tidak ditemukan.")
    if not offices:
        raise PermissionDenied("Anda bukan staf kantor mana pun.")
    if len(offices) > 1:
        slugs = ", ".join(sorted(o.slug for o in offices))
        raise _invalid(f"Anda staf di beberapa kantor; sebutkan salah satu: {slugs}", "office")
    return offices[0]


def _payload(body: bytes) -> LookupIn:
    """The request body as a LookupIn; errors as ninja's own body errors would be."""
    try:
        return LookupIn.model_validate_json(body)
    except PydanticValidationError as exc:
        errors = exc.errors(include_url=False)
        if any(error["type"] == "json_invalid" for error in errors):
            raise HttpError(400, "Cannot parse request body") from None
        raise _body_errors(errors) from None


# The operation reads its token and body itself (see lookup); the document still
# describes both, as ninja would for a `payload: LookupIn` parameter and the API's auth.
_OPENAPI = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": LookupIn.model_json_schema()}},
    },
    "security": [{"ApiBearer": []}],
}


@router.post(
    "/lookup",
    auth=None,
    response=responses(LookupOut, 401, 403, 404, *BODY),
    summary="Cari NIK atau No KK di register",
    openapi_extra=_OPENAPI,
)
def lookup(request: HttpRequest) -> HttpResponse:
    """Look up a NIK (the person and household) or a No KK in the office's register."""
    # The most called endpoint: the token and the body are read here in a few calls
    # instead of through ninja's auth wrapper and parameter resolution, which took
    # 0.57 s of a 5.55 s profile of 2,000 requests (the lookup itself: 2.08 s). The
    # answers and the errors are the same.
    key = bearer_key(request)
    claim = token_claim(key)
    if claim is None:
        raise AuthenticationError()
    try:
        # The token as this process found it valid within the last minute: the
        # lookup's own statement confirms it, saving a read of it on every call.
        return _lookup(request, claim.user, token_id=claim.token_id)
    except (HttpError, ValidationError, PermissionDenied, Http404):
        # Whatever went wrong may be the token itself (deleted, its user blocked):
        # forget it, read it again, and answer with what is true now.
        token_claim_forget(key)
        user = token_user(key)
        if user is None:
            raise AuthenticationError() from None
        return _lookup(request, user, token_id=None)


def _lookup(request: HttpRequest, user, *, token_id: int | None) -> HttpResponse:
    payload = _payload(request.body)
    if bool(payload.nik) == bool(payload.no_kk):
        raise _invalid("isi NIK atau No KK, salah satu saja", "nik", "no_kk")
    office = _lookup_office(user, payload.office)
    result = registry_lookup(
        office=office,
        user=user,
        nik=payload.nik,
        no_kk=payload.no_kk,
        case_ref=payload.case,
        channel="api",
        token_id=token_id,
    )
    # The answer is built here field by field from typed values, so it is already a
    # LookupOut (the tests check it against the schema); serialised by pydantic's
    # compiled encoder, it skips ninja validating and re-encoding it on every call.
    return HttpResponse(to_json(_answer(result)), content_type="application/json")
