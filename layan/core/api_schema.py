"""The API's one error shape and the `response=` mapping every operation declares.

Low in the app order (core), so the apps' routers and layan/api.py import it
without a cycle. An operation lists the error codes it can answer, so the
OpenAPI document names every status a client may meet, each in ErrorOut's shape.
"""

from typing import Any

from ninja import Schema


class FieldError(Schema):
    field: str | None
    reason: str


class ErrorOut(Schema):
    """The one error shape of the API."""

    detail: str
    errors: list[FieldError] = []


# What each error code means in this API, for the reader of responses().
ERRORS = {
    400: "the body cannot be read: not JSON, or multipart without a sound boundary",
    401: "no token, an unknown one, or its account may not sign in",
    403: "signed in, but not allowed to do this",
    404: "the record or the office is not there, or not visible to the caller",
    409: "the record changed meanwhile (another officer acted first)",
    413: "the body is over DATA_UPLOAD_MAX_MEMORY_SIZE, or an upload's size over its limit",
    422: "a parameter or a field of the body is not valid",
}
# A body the client sends can fail to parse, be too big, or be invalid.
BODY = (400, 413, 422)
# Every operation can fail on the server; the answer keeps the one shape.
SERVER_ERROR = 500


def responses(success: Any, *errors: int, status: int = 200) -> dict[int, Any]:
    """`response=` for an operation: `success` at `status`, ErrorOut at `errors` and 500.

    `success` is the schema (None for a body that is not JSON, e.g. a PDF);
    `errors` are codes of ERRORS: `responses(CaseOut, 401, 404, *BODY)`.
    """
    unknown = sorted(set(errors) - set(ERRORS))
    if unknown:
        raise ValueError(f"not an error code of this API: {unknown}")
    return {status: success} | dict.fromkeys(sorted({*errors, SERVER_ERROR}), ErrorOut)
