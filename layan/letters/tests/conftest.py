"""Letters reuse the case fixtures: seed offices with a register, staff in every role."""

import pytest

from layan.cases import testing
from layan.cases.services import Applicant, Subject, case_create
from layan.cases.tests.conftest import all_roles_user, clock, office_register  # noqa: F401
from layan.catalogue.schema import StepKind


@pytest.fixture
def walk(office_register, all_roles_user):  # noqa: F811
    """walk(slug, until=kind): a case of the office's letter service walked up to a step kind.

    Returns (case, user); the user holds every role, the NIK is registered
    (or not, with registered=False).
    """
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
            # A batch letter gathers several proposals; the register holds one NIK.
            duplicate_reason="Uji: beberapa permohonan untuk orang yang sama",
        )  # fmt: skip
        return testing.walk(case, user=user, to=until), user

    return run


def case_doc_of(service):
    from layan.catalogue.selectors import version_doc

    return version_doc(service.current_version)
