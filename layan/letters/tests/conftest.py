"""Letters reuse the case fixtures: seed offices with a register, staff in every role."""

import pytest

from layan.cases.services import Applicant, Subject, case_act, case_create
from layan.cases.tests.conftest import all_roles_user, clock, office_register  # noqa: F401
from layan.cases.tests.test_every_path import _step_data
from layan.catalogue.schema import StepKind

PASSWORD = "rahasia-panjang-123"


@pytest.fixture
def walk(office_register, all_roles_user):  # noqa: F811
    """walk(slug, until=kind): a case of the office's letter service walked up to a step kind.

    Returns (case, user); the user holds every role, the NIK is registered
    (or not, with registered=False).
    """
    from layan.cases.services import case_doc
    from layan.offices.models import Office

    users = {}

    def run(slug: str, *, until: StepKind | None = None, registered: bool = True, name="Budi"):
        office = Office.objects.get(slug=slug)
        user = users.get(slug) or all_roles_user(slug)
        users[slug] = user
        service = next(
            s
            for s in office.services.all()
            if any(step.kind == StepKind.DRAFT_LETTER for step in case_doc_of(s).steps)
        )
        nik = office_register[slug]["registered" if registered else "unknown"]
        case = case_create(
            office=office, service_code=service.code, user=user,
            applicant=Applicant(name=f"{name} Orang Tua", nik=nik, address="Jl. Mawar 1"),
            subject=Subject(name=f"{name} Santoso", nik=nik, relation="anak",
                            data={"sekolah": "SD Negeri 1"}),
        )  # fmt: skip
        doc = case_doc(case)
        while case.is_open:
            step = doc.step_map[case.current_step]
            if until is not None and step.kind == until:
                break
            case_act(case_id=case.pk, user=user, step=step.key, **step_input(case, doc, step))
            case.refresh_from_db()
        return case, user

    return run


def case_doc_of(service):
    from layan.catalogue.selectors import version_doc

    return version_doc(service.current_version)


# The outcome that carries a case on towards its letter; the others have one way on.
HAPPY_OUTCOMES = {
    StepKind.CHECKLIST: "lengkap",
    StepKind.APPROVE: "setuju",
    StepKind.SIGN: "setuju",
}


def step_input(case, doc, step) -> dict:
    """The happy outcome and data of a step, as an officer would give them."""
    if step.kind == StepKind.REGISTRY_CHECK:  # the system decides
        return {}
    outcome = HAPPY_OUTCOMES.get(step.kind)
    # _step_data reads the outcome of a checklist only, which always has one here.
    return {"outcome": outcome, "data": _step_data(case, doc, step, outcome or "")}
