"""Every path of every bundled service, every outcome of every decision, run to an end state.

Generated from the definitions themselves: add a service or an outcome and
this test walks it too.
"""

import pytest
from django.conf import settings
from django.core.files.base import ContentFile

from layan.cases import engine
from layan.cases.models import Attachment, Case, CaseState
from layan.cases.services import Applicant, case_act, case_create
from layan.catalogue.parsing import definition_parse
from layan.catalogue.schema import StepKind
from layan.offices.models import Office

DEFINITIONS = {
    f"{path.parent.name}/{path.stem}": definition_parse(path.read_text())[0]
    for path in sorted(settings.SOPS_DIR.rglob("*.yaml"))
}
PATHS = [
    pytest.param(name, index, path, id=f"{name}#{index}")
    for name, doc in DEFINITIONS.items()
    for index, path in enumerate(engine.all_paths(doc))
]


def test_every_decision_outcome_is_on_some_path():
    for name, doc in DEFINITIONS.items():
        taken = {pair for path in engine.all_paths(doc) for pair in path}
        for step in doc.steps:
            for outcome in engine.step_outcomes(step):
                assert (step.key, outcome) in taken, f"{name}: {step.key}->{outcome} never walked"


def _step_data(case: Case, doc, step, outcome: str) -> dict:
    if step.kind == StepKind.CHECKLIST:
        required = [r.key for r in doc.requirements if not r.optional and not r.registry]
        return {"checked": required if outcome == "lengkap" else []}
    if step.kind == StepKind.FORM:
        for field in step.fields:
            if field.type in ("photo", "file"):
                Attachment.objects.create(
                    case=case, requirement=field.key, original_name="foto.jpg",
                    content_type="image/jpeg", size=3, sha256="0" * 64, uploaded_by=case.created_by,
                    file=ContentFile(b"\xff\xd8\xff", name="foto.jpg"),
                )  # fmt: skip
        return {"fields": {f.key: "1" for f in step.fields if f.type not in ("photo", "file")}}
    if step.kind == StepKind.DISPOSITION:
        return {"to": "Bidang yang membidangi"}
    if step.kind in (StepKind.APPROVE, StepKind.SIGN) or step.paraf:
        return {"password": "rahasia-panjang-123"}  # the signer confirms a paraf/signature
    return {}


@pytest.mark.parametrize(("name", "index", "path"), PATHS)
def test_path_runs_to_its_end(name, index, path, office_register, all_roles_user):
    slug = name.split("/")[0]
    doc = DEFINITIONS[name]
    office = Office.objects.get(slug=slug)
    user = all_roles_user(slug)
    registry_outcomes = {o for key, o in path if doc.step_map[key].kind == StepKind.REGISTRY_CHECK}
    assert len(registry_outcomes) <= 1
    nik = office_register[slug][
        "unknown" if "tidak_terdaftar" in registry_outcomes else "registered"
    ]
    case = case_create(
        office=office, service_code=doc.code, user=user,
        applicant=Applicant(name="Pemohon Uji", nik=nik, phone="0812"),
    )  # fmt: skip
    walked = path
    if doc.steps[0].kind == StepKind.INTAKE:  # done by registering the case
        assert case.records.get().step == doc.steps[0].key
        walked = path[1:]
    for key, outcome in walked:
        case.refresh_from_db()
        assert case.current_step == key, f"expected {key}, case is at {case.current_step}"
        step = doc.step_map[key]
        chosen = None if step.kind == StepKind.REGISTRY_CHECK else outcome
        record = case_act(
            case_id=case.pk, user=user, step=key, outcome=chosen, note="alasan uji",
            data=_step_data(case, doc, step, outcome),
        )  # fmt: skip
        assert record.outcome == outcome
    case.refresh_from_db()
    final = engine.step_target(doc.step_map[path[-1][0]], path[-1][1])
    assert case.state == final
    assert case.finished_at is not None
    assert case.records.count() == len(path)
    if final == CaseState.REFERRED:
        assert case.referral.nik == nik
