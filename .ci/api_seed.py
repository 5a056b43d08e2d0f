"""Give schemathesis real records to reach: a case walked to its signed letter, one open case.

Usage: api_seed.py BASE_URL DEMO_LOG PASSWORD > extra.toml

Works through the API alone, as the demo's Bone officers: reads the service listing,
registers two cases for a NIK the demo printed as registered, walks the first to its
end with each step's data filled from its input_schema (layan.cases.testing, the
filler the API-client test uses), and prints schemathesis dictionaries of the case
ids, tracking codes and letter ids for the operations' path parameters.
"""

import json
import os
import re
import sys
import urllib.request

OFFICE, SERVICE = "bone", "rekomendasi-kip"


def call(base: str, method: str, path: str, token: str = "", body: dict | None = None) -> dict:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, headers=headers, method=method)
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def main() -> None:
    base, demo_log, password = sys.argv[1:4]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "layan.settings")
    import django

    django.setup()
    from layan.cases.testing import data_from_schema

    with open(demo_log, encoding="utf-8") as log:
        printed = log.read()
    nik = re.search(rf"^\s+{OFFICE}:.*?terdaftar (\d{{16}})", printed, re.M)
    if nik is None:
        raise SystemExit(f"no registered NIK of {OFFICE} in the demo's output")
    tokens: dict[str, str] = {}

    def token(role: str) -> str:
        if role not in tokens:
            answer = call(base, "POST", "/api/v1/auth/token", body={
                "username": f"{OFFICE}.{role}", "password": password})  # fmt: skip
            tokens[role] = answer["token"]
        return tokens[role]

    service = next(s for s in call(base, "GET", f"/api/v1/offices/{OFFICE}/services")
                   if s["code"] == SERVICE)  # fmt: skip
    steps = {step["key"]: step for step in service["steps"]}
    body = {"office": OFFICE, "service": SERVICE,
            "applicant": {"nik": nik[1], "name": "Pemohon Uji API"}}  # fmt: skip
    walked = call(base, "POST", "/api/v1/cases", token("petugas"), body)
    # The same person again, on purpose: the intake asks why (its duplicate rule).
    again = {**body, "duplicate_reason": "Uji API: permohonan kedua yang tetap terbuka"}
    still_open = call(base, "POST", "/api/v1/cases", token("petugas"), again)
    letters = set()
    while walked["state"] == "berjalan":
        step = steps[walked["step"]["key"]]
        outcome = step["choosable"][0] if step["choosable"] else None
        filled = data_from_schema(step["input_schema"], needs_reason=False,
                                  values={"password": password})  # fmt: skip
        act = {"step": step["key"], "data": filled.data}
        if outcome and len(step["choosable"]) > 1:
            act["outcome"] = outcome
        walked = call(base, "POST", f"/api/v1/cases/{walked['id']}/act", token(step["role"]), act)
        letters |= {r["data"]["letter"] for r in walked["history"] if "letter" in r["data"]}
    cases = [walked, still_open]
    print(f"[dictionaries.cases]\nvalues = {json.dumps([c['id'] for c in cases])}")
    print(f"[dictionaries.codes]\nvalues = {json.dumps([c['tracking_code'] for c in cases])}")
    print(f"[dictionaries.letters]\nvalues = {json.dumps(sorted(letters))}")


if __name__ == "__main__":
    main()
