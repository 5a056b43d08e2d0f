"""Every path of every bundled service, every outcome of every decision, run to an end state.

Generated from the definitions themselves: add a service or an outcome and
this test walks it too.
"""

import pytest
from django.conf import settings

from layan.cases.models import CaseState
from layan.cases.services import Applicant, case_create
from layan.cases.steps import kind_of
from layan.cases.testing import step_act
from layan.catalogue import graph
from layan.catalogue.parsing import definition_parse
from layan.catalogue.schema import ServiceDoc
from layan.offices.models import Office


def _parsed(path) -> ServiceDoc:
    doc, problems = definition_parse(path.read_text())
    assert doc is not None, problems  # the bundled definitions are valid
    return doc


DEFINITIONS = {
    f"{path.parent.name}/{path.stem}": _parsed(path)
    for path in sorted(settings.SOPS_DIR.rglob("*.yaml"))
}
PATHS = [
    pytest.param(name, index, path, id=f"{name}#{index}")
    for name, doc in DEFINITIONS.items()
    for index, path in enumerate(graph.all_paths(doc))
]


def test_every_decision_outcome_is_on_some_path():
    for name, doc in DEFINITIONS.items():
        taken = {pair for path in graph.all_paths(doc) for pair in path}
        for step in doc.steps:
            for outcome in graph.step_outcomes(step):
                assert (step.key, outcome) in taken, f"{name}: {step.key}->{outcome} never walked"


@pytest.mark.parametrize(("name", "index", "path"), PATHS)
def test_path_runs_to_its_end(name, index, path, office_register, all_roles_user):
    slug = name.split("/")[0]
    doc = DEFINITIONS[name]
    office = Office.objects.get(slug=slug)
    user = all_roles_user(slug)
    registry_outcomes = {o for key, o in path if kind_of(doc.step_map[key].kind).system_decided}
    assert len(registry_outcomes) <= 1
    nik = office_register[slug][
        "unknown" if "tidak_terdaftar" in registry_outcomes else "registered"
    ]
    case = case_create(
        office=office, service_code=doc.code, user=user,
        applicant=Applicant(name="Pemohon Uji", nik=nik, phone="0812-3456-7803"),
    )  # fmt: skip
    walked = path
    if kind_of(doc.steps[0].kind).done_at_registration:
        assert case.records.get().step == doc.steps[0].key
        walked = path[1:]
    for key, outcome in walked:
        case.refresh_from_db()
        assert case.current_step == key, f"expected {key}, case is at {case.current_step}"
        system_decided = kind_of(doc.step_map[key].kind).system_decided
        record = step_act(case, user=user, outcome=None if system_decided else outcome)
        assert record.outcome == outcome
    case.refresh_from_db()
    final = graph.step_target(doc.step_map[path[-1][0]], path[-1][1])
    assert case.state == final
    assert case.finished_at is not None
    assert case.records.count() == len(path)
    if final == CaseState.REFERRED:
        assert case.referral.nik == nik
