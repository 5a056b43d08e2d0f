"""The API's document: one error shape at every declared error, unique schema names."""

from collections import defaultdict
from typing import get_args

import pytest
from ninja import NinjaAPI, Router, Schema
from pydantic import BaseModel

from layan.api import api
from layan.core.api_schema import BODY, ErrorOut, responses

DOCUMENT_URL = "/api/v1/openapi.json"


def _models_in(annotation, found: set[type[BaseModel]]) -> None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in found:
            return
        found.add(annotation)
        for field in annotation.model_fields.values():
            _models_in(field.annotation, found)
    for argument in get_args(annotation):
        _models_in(argument, found)


def schema_name_clashes(ninja_api: NinjaAPI, module_prefix: str = "layan.") -> dict[str, list]:
    """Names that two different schema classes of `ninja_api`'s operations share.

    Ninja files each class under its bare name and lets a later one overwrite an
    earlier one, so the document alone cannot show a clash: the classes are compared.
    """
    found: set[type[BaseModel]] = set()
    for router in ninja_api._get_bound_routers():
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in [*operation.models, *operation.response_models.values()]:
                    _models_in(model, found)
    by_name: dict[str, list] = defaultdict(list)
    for model in found:
        if model.__module__.startswith(module_prefix):  # not ninja's generated wrappers
            by_name[model.__name__].append(model)
    return {
        name: sorted(f"{m.__module__}.{m.__qualname__}" for m in models)
        for name, models in by_name.items()
        if len(models) > 1
    }


def _operations(document: dict):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield method, path, operation


@pytest.fixture
def document(client, db) -> dict:
    return client.get(DOCUMENT_URL).json()


def test_responses_gives_the_success_schema_and_the_error_shape_at_each_code():
    class Thing(Schema):
        name: str

    mapping = responses(Thing, 404, *BODY, status=201)
    assert list(mapping) == [201, 400, 404, 413, 422, 500] and mapping[201] is Thing
    assert {mapping[code] for code in (400, 404, 413, 422, 500)} == {ErrorOut}


def test_responses_refuses_a_code_the_api_does_not_answer():
    with pytest.raises(ValueError, match="418"):
        responses(None, 418)


def test_the_clash_finder_sees_two_classes_of_one_name():
    def step_out(field: str) -> type[Schema]:
        return type(
            "StepOut", (Schema,), {"__annotations__": {field: str}, "__module__": "layan.x"}
        )

    class Wrapper(Schema):
        steps: list[step_out("kind")]

    router = Router()
    router.get("/a", response=Wrapper)(lambda request: None)
    router.get("/b", response=list[step_out("key")])(lambda request: None)
    trial = NinjaAPI(urls_namespace="trial-clash")
    trial.add_router("/", router)
    assert set(schema_name_clashes(trial)) == {"StepOut"}


def test_schema_names_are_unique():
    clashes = schema_name_clashes(api)
    assert not clashes, clashes


def test_the_register_person_is_not_the_case_person(document):
    schemas = document["components"]["schemas"]
    person = document["components"]["schemas"]["LookupOut"]["properties"]["person"]
    assert {"$ref": "#/components/schemas/RegisterPersonOut"} in person["anyOf"]
    assert "desil" in schemas["RegisterPersonOut"]["properties"]


def test_every_error_answer_is_documented_in_the_one_shape(document):
    for method, path, operation in _operations(document):
        codes = {int(code) for code in operation["responses"]}
        assert 500 in codes, (method, path)
        if operation.get("security"):
            assert 401 in codes, (method, path)
        if "requestBody" in operation:
            assert set(BODY) <= codes, (method, path)
        for code in codes - {200, 201}:
            content = operation["responses"][str(code)]["content"]["application/json"]
            assert content["schema"] == {"$ref": "#/components/schemas/ErrorOut"}, (method, code)
