"""A program that knows only the published API runs every path of every bundled service.

The client below reads nothing of Layan's code: it signs in for a token, reads
the service listing (`GET /api/v1/offices/{office}/services`), works out the
paths from each step's `leads_to`, registers a case, and for each step fills
`data` from the step's `input_schema` (uploading the attachments it names),
acting as an officer of the step's `role`. The filler is the same one the
in-process walk uses (`layan.cases.testing.data_from_schema`): it reads only
the schema.
"""

import pytest
from django.conf import settings

from layan.cases.testing import PASSWORD, data_from_schema, scan_png
from layan.catalogue import graph
from layan.catalogue.selectors import services_published, version_doc
from layan.offices.models import Office

OFFICES = sorted(path.stem for path in settings.OFFICES_SEED_DIR.glob("*.yaml"))
END_STATES = {"selesai", "ditolak", "dirujuk"}
ROLES = ["petugas", "operator", "supervisor", "peksos", "kabid", "sekretaris", "kadin", "admin"]


def paths(service: dict, *, max_visits: int = 2) -> list[list[tuple[str, str | None]]]:
    """Every (step, outcome) path from the first step to an end, loops taken once."""
    steps = {step["key"]: step for step in service["steps"]}
    found: list[list[tuple[str, str | None]]] = []

    def go(key: str, path: list, visits: dict) -> None:
        if visits.get(key, 0) >= max_visits:
            return
        visits = {**visits, key: visits.get(key, 0) + 1}
        step = steps[key]
        if step["end"]:
            found.append([*path, (key, None)])
            return
        for outcome, target in step["leads_to"].items():
            taken = [*path, (key, outcome)]
            if target in END_STATES:
                found.append(taken)
            else:
                go(target, taken, visits)

    go(service["steps"][0]["key"], [], {})
    return found


class Client:
    """Bearer-token calls as one officer, through Django's test client (real HTTP handling)."""

    def __init__(self, http, username: str):
        answer = http.post(
            "/api/v1/auth/token",
            {"username": username, "password": PASSWORD},
            content_type="application/json",
        )
        assert answer.status_code == 201, answer.content
        self.http = http
        self.headers = {"Authorization": f"Bearer {answer.json()['token']}"}

    def get(self, url: str):
        return self.http.get(url, headers=self.headers)

    def post(self, url: str, body: dict):
        return self.http.post(url, body, content_type="application/json", headers=self.headers)

    def upload(self, url: str, requirement: str):
        from django.core.files.uploadedfile import SimpleUploadedFile

        scan = SimpleUploadedFile(f"{requirement}.png", scan_png(), content_type="image/png")
        return self.http.post(url, {"requirement": requirement, "file": scan}, headers=self.headers)


def run_path(officers: dict, service: dict, office: str, nik: str, path: list) -> dict:
    steps = {step["key"]: step for step in service["steps"]}
    first = officers["petugas"]
    created = first.post(
        "/api/v1/cases",
        {
            "office": office,
            "service": service["code"],
            "applicant": {"nik": nik, "name": "Pemohon Klien", "phone": "0812-3456-7802"},
        },
    )
    assert created.status_code == 201, created.content
    case = created.json()
    for key, outcome in path:
        if case["step"]["key"] != key:
            # Only the intake is done without acting: by registering the case.
            assert [record["step"] for record in case["history"]] == [key], (key, case["step"])
            continue
        step = steps[key]
        officer = officers[step["role"]]
        schema = officer.get(f"/api/v1/cases/{case['id']}").json()["step"]["input_schema"]
        assert schema == step["input_schema"]  # the case and the listing say the same
        filled = data_from_schema(schema, needs_reason=outcome in step["reason_required"])
        for requirement, _types in filled.attachments:
            answer = officer.upload(f"/api/v1/cases/{case['id']}/attachments", requirement)
            assert answer.status_code == 201, answer.content
        body = {"step": key, "data": filled.data}
        if outcome in step["choosable"] and len(step["choosable"]) > 1:
            body["outcome"] = outcome
        answer = officer.post(f"/api/v1/cases/{case['id']}/act", body)
        assert answer.status_code == 200, (key, answer.content)
        case = answer.json()
        if outcome is not None:
            assert case["history"][-1]["outcome"] == outcome
    return case


@pytest.mark.parametrize("office", OFFICES)
def test_a_client_of_the_api_alone_runs_every_path(client, office, office_register, make_user):
    for role in ROLES:
        make_user(f"{office}.{role}.klien", **{office: [role]})
    officers = {role: Client(client, f"{office}.{role}.klien") for role in ROLES}
    services = client.get(f"/api/v1/offices/{office}/services").json()
    assert services
    walked = 0
    for service in services:
        for path in paths(service):
            unknown = any(outcome == "tidak_terdaftar" for _, outcome in path)
            nik = office_register[office]["unknown" if unknown else "registered"]
            case = run_path(officers, service, office, nik, path)
            last_key, last_outcome = path[-1]
            last = next(s for s in service["steps"] if s["key"] == last_key)
            expected = last["end"] or last["leads_to"][last_outcome]
            assert case["state"] == expected, (service["code"], path, case["state"])
            walked += 1
    # The client found every path the engine knows of (the test may look inside; the
    # client above does not).
    docs = [
        version_doc(s.current_version)
        for s in services_published(office=Office.objects.get(slug=office))
    ]
    assert walked == sum(len(graph.all_paths(doc)) for doc in docs)
