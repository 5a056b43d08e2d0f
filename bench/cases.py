"""`make bench-cases`: the work queue page and the case API at 100,000 cases.

    .venv/bin/python -m bench.cases [--cases N] [--skip-postgres] [--seconds S]

For SQLite, then PostgreSQL: a fresh, migrated database with the seed offices,
their services and the cuti bersama days, one staff account per role per office,
and N cases bulk-inserted (`bulk_create`, not `case_create`/`case_act`: that would
take hours) over the five offices and their services. Each case follows a random
path of its service's steps, so states, current steps, roles, step records (2-8
per case), referrals and deadlines are what the engine would have written; ~15%
are still open, some of them overdue. The load is timed.

Then the database is served by gunicorn (2 workers) and wrk loads, one after the
other, the work queue page (`/staf/<office>/permohonan/`, "Langkah saya", `?tab=semua`,
the Selesai tab, and a name search in the last two) as a signed-in officer, the case
list and case reads of the API with a bearer token: requests/s, p50/p95/p99, against
the target p95 < 100 ms.
SQL queries per request are counted in-process (test Client and
CaptureQueriesContext), with the code that sends any query repeated per row.

The section between `<!-- cases:begin -->` and `<!-- cases:end -->` of
docs/performance.md is rewritten (added at the end when missing); the rest of the
file is left as it is. Figures also go to var/bench/cases-results.json.

The loading and counting run in a subprocess per database (`--worker`), since a
Django process has one database.
"""

import argparse
import http.client
import http.cookiejar
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import time
import traceback
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "layan.settings")

DEFAULT_CASES = 100_000
PG_DB = "layan_bench_cases"
BENCH_PASSWORD = "bench-Layan-cases-7308"  # throwaway accounts of a throwaway database
TARGET_P95_MS = 100.0
QUEUE_ROWS = 50  # views.QUEUE_PAGE_SIZE: a full first page
READ_SAMPLE = 1_000  # case ids the read load cycles over
OPEN_SHARE = 0.15  # share of cases still open
WAITING_SHARE = 0.10  # share of the open cases paused (menunggu): no deadlines
FIRST_OUTCOME_WEIGHT = 0.85  # lengkap / terdaftar / setuju: the usual outcome
MIN_RECORDS, MAX_RECORDS = 2, 8
# Most seed SOP steps state no standard time, and a step without one has no
# deadline; to put every open case on the deadline path (sorting, "sisa waktu"),
# such steps get one working day here. Steps with a time keep theirs.
DEFAULT_STEP_TIME = (1, "wd")
BATCH_CASES = 2_000
QUEUE_LINE = 'data-label="Kode lacak"'  # once per row of the queue table

LUA_SCRIPT = r"""-- Written by bench/cases.py at run time: GET the paths of a file in turn.
--   wrk -s cases.lua URL -- PATHS_FILE [HEADER_NAME HEADER_VALUE]
local requests = {}
local counter = 1
threads_made = 0
thread_number = 0

function setup(thread)
  thread:set("thread_number", threads_made)
  threads_made = threads_made + 1
end

function init(args)
  local headers = {}
  if args[2] and args[2] ~= "" then
    headers[args[2]] = args[3]
  end
  for line in io.lines(args[1]) do
    if line ~= "" then
      requests[#requests + 1] = wrk.format("GET", line, headers)
    end
  end
  counter = (thread_number * 7919) % #requests + 1
end

function request()
  local current = requests[counter]
  counter = counter % #requests + 1
  return current
end

function done(summary, latency, _)
  local errors = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect_errors": %d, '
      .. '"read_errors": %d, "write_errors": %d, "status_errors": %d, "timeouts": %d, '
      .. '"p50_us": %d, "p75_us": %d, "p90_us": %d, "p95_us": %d, "p99_us": %d, '
      .. '"max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, errors.connect, errors.read,
    errors.write, errors.status, errors.timeout, latency:percentile(50),
    latency:percentile(75), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean
  ))
end
"""

FIRST_NAMES = (
    "Andi", "Muhammad", "Siti", "Nur", "Ahmad", "Dewi", "Rahmat", "Sri", "Agus", "Wahyu",
    "Fitri", "Budi", "Rina", "Ayu", "Hasan", "Ilham", "Putri", "Yusuf", "Aisyah", "Rudi",
)  # fmt: skip
LAST_NAMES = (
    "Saputra", "Hidayat", "Lestari", "Rahman", "Wulandari", "Kurniawan", "Pratama", "Sari",
    "Syahrir", "Nurhayati", "Hasanuddin", "Maharani", "Setiawan", "Anwar", "Ramadhani",
)  # fmt: skip
SEARCH_NAME = "sari"  # part of one surname in 15: a full first page in every tab
STREETS = ("Jl. Merdeka", "Jl. Sudirman", "Jl. Ahmad Yani", "Jl. Pahlawan", "Jl. Kartini")


# =====================================================================================
# Worker: runs in a subprocess with DATABASE_URL set; loads the database and counts
# the SQL queries of each request.
# =====================================================================================


@dataclass
class Plan:
    """One service of one office, as cases of it are made."""

    office: Any
    service: Any
    version: Any
    doc: Any
    calendar: Any
    region_digits: str


@contextmanager
def timestamps_as_given() -> Iterator[None]:
    """Let bulk_create keep the created_at/finished_at given, not `now` (auto_now_add)."""
    from layan.cases.models import Case, Referral, StepRecord

    fields = [
        Case._meta.get_field("created_at"),
        StepRecord._meta.get_field("finished_at"),
        Referral._meta.get_field("created_at"),
    ]
    for item in fields:
        item.auto_now_add = False
    try:
        yield
    finally:
        for item in fields:
            item.auto_now_add = True


def seed_load() -> list:
    """The seed offices, their services and the national cuti bersama days."""
    from django.conf import settings

    from layan.catalogue.services import services_load_path
    from layan.offices.services import cuti_bersama_load, office_load_seed

    offices = [
        office_load_seed(path=path) for path in sorted(settings.OFFICES_SEED_DIR.glob("*.yaml"))
    ]
    services_load_path(settings.SOPS_DIR)
    cuti_bersama_load()
    return offices


def staff_create(offices: list) -> dict[tuple[int, str], Any]:
    """One account per role per office (<office>.<role>), all with one password hash."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from layan.offices.models import Membership, Role

    User = get_user_model()
    password = make_password(BENCH_PASSWORD)  # hashed once, not once per account
    users = User.objects.bulk_create(
        User(
            username=f"{office.slug}.{role.value}",
            full_name=f"{role.label} ({office.short_name or office.name})",
            password=password,
            is_staff=role == Role.ADMIN,
        )
        for office in offices
        for role in Role
    )
    staff = {}
    for user in users:
        slug, role = user.username.split(".")
        office = next(o for o in offices if o.slug == slug)
        staff[office.pk, role] = user
    Membership.objects.bulk_create(
        Membership(user=user, office_id=office_id, role=role)
        for (office_id, role), user in staff.items()
    )
    return staff


def plans_make(offices: list) -> dict[int, list[Plan]]:
    """The published services of each office with their current version and calendar."""
    from layan.catalogue.models import Service
    from layan.catalogue.selectors import version_doc
    from layan.offices.calendar import calendar_for

    plans: dict[int, list[Plan]] = {}
    for office in offices:
        calendar = calendar_for(office)
        for service in Service.objects.filter(office=office, is_published=True):
            version = service.current_version
            if version is None:  # no SOP to walk yet
                continue
            plans.setdefault(office.pk, []).append(
                Plan(
                    office=office,
                    service=service,
                    version=version,
                    doc=version_doc(version),
                    calendar=calendar,
                    region_digits=office.region_code.replace(".", "")[:4],
                )
            )
    return plans


class CaseMaker:
    """Cases, their step records and referrals, as the engine would have left them."""

    def __init__(self, plans: dict[int, list[Plan]], staff: dict, rng: random.Random, now):
        self.plans = [plan for office_plans in plans.values() for plan in office_plans]
        self.by_office = list(plans.values())
        self.staff = staff
        self.rng = rng
        self.now = now
        self.codes: set[str] = set()
        self.states: Counter = Counter()
        self.overdue = 0

    # --- paths through a definition -----------------------------------------------

    def _outcome(self, step) -> str:
        from layan.catalogue import graph

        outcomes = graph.step_outcomes(step)
        if len(outcomes) == 1 or self.rng.random() < FIRST_OUTCOME_WEIGHT:
            return outcomes[0]
        return self.rng.choice(outcomes[1:])

    def _walk(self, doc, length: int | None):
        """(step, outcome) pairs from the first step and where they lead; None if the
        walk does not fit (ends before `length` steps, or runs past MAX_RECORDS)."""
        from layan.catalogue import graph

        step_map = doc.step_map
        step = doc.steps[0]
        path: list[tuple[Any, str]] = []
        while True:
            if length is not None and len(path) == length:
                return path, step.key
            outcome = self._outcome(step)
            path.append((step, outcome))
            target = graph.step_target(step, outcome)
            if graph.is_end(target):
                if length is None and MIN_RECORDS <= len(path) <= MAX_RECORDS:
                    return path, target
                return None
            if len(path) >= MAX_RECORDS:
                return None
            step = step_map[target]

    def _path(self, doc, is_open: bool):
        for _ in range(200):
            length = self.rng.randint(MIN_RECORDS, MAX_RECORDS) if is_open else None
            walked = self._walk(doc, length)
            if walked:
                return walked
        raise RuntimeError(f"no path of {MIN_RECORDS}-{MAX_RECORDS} steps in {doc.code}")

    # --- people ---------------------------------------------------------------------

    def _code(self) -> str:
        from layan.cases.models import tracking_code_new

        while True:
            code = tracking_code_new()
            if code not in self.codes:
                self.codes.add(code)
                return code

    def _nik(self, plan: Plan, female: bool) -> str:
        rng = self.rng
        day = rng.randint(1, 28) + (40 if female else 0)
        born = f"{day:02d}{rng.randint(1, 12):02d}{rng.randint(0, 99):02d}"
        return f"{plan.region_digits}{rng.randint(1, 20):02d}{born}{rng.randint(1, 999):04d}"

    def _name(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    # --- one case -------------------------------------------------------------------

    def _step_minutes(self) -> float:
        # Most steps take an hour or two of wall time, some days; never over 5 days.
        return min(self.rng.lognormvariate(math.log(90), 1.2), 5 * 24 * 60)

    def _record_data(self, plan: Plan, step, outcome: str, nik: str) -> tuple[dict, str]:
        """The record's data and note for its kind, as `case_act` checks and stores them."""
        from layan.catalogue.schema import StepKind

        doc, rng = plan.doc, self.rng
        if step.kind == StepKind.CHECKLIST:
            required = [r.key for r in doc.requirements if not r.optional and not r.registry]
            optional = [r.key for r in doc.requirements if r.optional and not r.registry]
            checked = required + [key for key in optional if rng.random() < 0.5]
            if outcome == "tidak_lengkap" and required:
                missing = [rng.choice(required)]
                checked = [key for key in checked if key not in missing]
                labels = {r.key: r.label for r in doc.requirements}
                note = f"Belum membawa {labels[missing[0]]}."
                return {"checked": checked, "missing": missing}, note
            return {"checked": checked, "missing": []}, ""
        if step.kind == StepKind.REGISTRY_CHECK:
            found = outcome == "terdaftar"
            return {
                "nik": nik, "found": found, "snapshot": None, "source": "dtks",
                "period": "2026-09", "message": "" if found else "NIK tidak ada di register.",
            }, ""  # fmt: skip
        if step.kind == StepKind.DISPOSITION:
            return {"to": "Bidang Perlindungan dan Jaminan Sosial", "route": step.route}, ""
        if step.kind == StepKind.FORM:
            values = {
                "text": "Sesuai hasil kunjungan", "number": 3, "date": "2026-09-01",
                "boolean": True,
            }  # fmt: skip
            fields = {
                f.key: (f.choices[0] if f.choices else values.get(f.type))
                for f in step.fields
                if f.type not in ("photo", "file")
            }
            return {"fields": fields}, ""
        if outcome in ("kembalikan", "tidak_lengkap"):
            return {}, "Perbaiki dan ajukan kembali."
        return {}, ""

    def case(self, plan: Plan, is_open: bool):
        """One Case (unsaved), its StepRecords and its Referral (or None)."""
        from layan.cases.models import Case, CaseState, Referral, StepRecord
        from layan.catalogue.schema import StepKind

        rng, doc, cal = self.rng, plan.doc, plan.calendar
        path, where = self._path(doc, is_open)
        durations = [timedelta(minutes=rng.uniform(1, 10))]  # the intake, at the counter
        durations += [timedelta(minutes=self._step_minutes()) for _ in path[1:]]
        total = sum(durations, timedelta())
        if is_open:
            # How long the current step has waited: mostly a day or less, a few weeks at most.
            waiting = timedelta(hours=min(rng.expovariate(1 / 20), 20 * 24))
            created = self.now - waiting - total
        else:
            created = self.now - total - timedelta(minutes=rng.uniform(10, 730 * 24 * 60))
        female = rng.random() < 0.6
        nik = self._nik(plan, female)
        subject = rng.random() < 0.3
        subject_nik = self._nik(plan, rng.random() < 0.5) if subject else ""
        person_nik = subject_nik or nik
        records, checked = [], []
        started = created
        for seq, ((step, outcome), spent) in enumerate(zip(path, durations, strict=True), 1):
            finished = started + spent
            data, note = self._record_data(plan, step, outcome, person_nik)
            if step.kind == StepKind.CHECKLIST:
                checked = data["checked"]
            role = doc.staff_role(step)
            records.append(
                StepRecord(
                    seq=seq, step=step.key, kind=step.kind.value, role=role,
                    user=self.staff[plan.office.pk, role], started_at=started,
                    finished_at=finished, outcome=outcome, note=note, data=data,
                    working_minutes=cal.working_minutes_between(started, finished, pauses=[]),
                )
            )  # fmt: skip
            started = finished
        duration = doc.time_standard or doc.total_time
        case = Case(
            office=plan.office, service=plan.service, version=plan.version,
            tracking_code=self._code(), step_seq=len(records),
            applicant_name=self._name(), applicant_nik=nik,
            applicant_phone=f"08{rng.randint(1_000_000_000, 9_999_999_999)}",
            applicant_address=f"{rng.choice(STREETS)} No. {rng.randint(1, 200)}",
            subject_name=self._name() if subject else "", subject_nik=subject_nik,
            subject_relation="anak" if subject else "", requirements_checked=checked,
            created_by=self.staff[plan.office.pk, "petugas"], created_at=created,
            deadline=cal.deadline_for(created, duration, pauses=[]) if duration else None,
        )  # fmt: skip
        referral = None
        if is_open:
            step = doc.step_map[where]
            case.current_step = step.key
            case.current_role = doc.staff_role(step)
            case.step_started_at = started
            if rng.random() < WAITING_SHARE:
                # As case_pause leaves it: the clock stopped, no deadlines.
                case.state = CaseState.WAITING
                case.paused_at = started + (self.now - started) / 2
                case.pauses = [
                    {"start": case.paused_at.isoformat(), "reason": "Menunggu berkas pemohon"}
                ]
                case.deadline = None
            else:
                case.state = CaseState.OPEN
                case.step_deadline = cal.deadline_for(
                    started, step.time or DEFAULT_STEP_TIME, pauses=[]
                )
                self.overdue += case.step_deadline < self.now
        else:
            case.state = where
            case.finished_at = started
            case.step_started_at = records[-1].started_at
            if where == CaseState.REFERRED:
                refer = path[-1][0]
                referral = Referral(
                    office=plan.office, to=refer.to, nik=person_nik, created_at=started
                )
        self.states[case.state] += 1
        return case, records, referral

    def cases(self, count: int) -> Iterator[tuple]:
        for _ in range(count):
            office_plans = self.rng.choice(self.by_office)  # offices equally busy
            yield self.case(self.rng.choice(office_plans), self.rng.random() < OPEN_SHARE)


def cases_load(count: int, plans: dict, staff: dict, seed: int) -> dict:
    """Bulk-insert `count` cases in batches; the figures of the load."""
    from django.db import transaction
    from django.utils import timezone

    from layan.cases.models import Case, Referral, StepRecord

    maker = CaseMaker(plans, staff, random.Random(seed), timezone.now())
    made = records_made = referrals_made = 0
    generate_s = 0.0
    start = time.perf_counter()
    rows = maker.cases(count)
    with timestamps_as_given():
        while made < count:
            begun = time.perf_counter()
            batch = [next(rows) for _ in range(min(BATCH_CASES, count - made))]
            generate_s += time.perf_counter() - begun
            with transaction.atomic():
                cases = Case.objects.bulk_create([case for case, _, _ in batch])
                records, referrals = [], []
                for case, case_records, referral in batch:
                    for record in case_records:
                        record.case = case
                    records += case_records
                    if referral is not None:
                        referral.case = case
                        referrals.append(referral)
                StepRecord.objects.bulk_create(records, batch_size=BATCH_CASES)
                Referral.objects.bulk_create(referrals, batch_size=BATCH_CASES)
            made += len(cases)
            records_made += len(records)
            referrals_made += len(referrals)
            if made % 20_000 < BATCH_CASES:
                print(f"  {made:,} cases, {records_made:,} step records", file=sys.stderr)
    return {
        "seconds": time.perf_counter() - start,
        "generate_seconds": generate_s,
        "cases": made,
        "records": records_made,
        "referrals": referrals_made,
        "states": dict(maker.states),
        "overdue": maker.overdue,
    }


def _analyze() -> float:
    """PostgreSQL: ANALYZE, as autovacuum does soon after a bulk load. SQLite: nothing
    (Layan and Django never run ANALYZE there)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - start


def targets_choose(staff: dict, seed: int) -> dict:
    """The busiest queue (office and role with the most open cases), its officer, a token,
    and the ids the read load cycles over."""
    from django.db.models import Count

    from layan.cases.models import OPEN_STATES, Case, CaseState
    from layan.core.api_auth import token_issue
    from layan.offices.models import Office

    busiest = (
        Case.objects.filter(state__in=OPEN_STATES)
        .values("office", "current_role")
        .annotate(n=Count("id"))
        .order_by("-n", "office", "current_role")
        .first()
    )
    if busiest is None or busiest["n"] < QUEUE_ROWS:
        raise SystemExit(
            f"no queue has {QUEUE_ROWS} open cases (busiest: {busiest}); load more cases"
        )
    office = Office.objects.get(pk=busiest["office"])
    user = staff[office.pk, busiest["current_role"]]
    cases = Case.objects.filter(office=office)
    ids = list(cases.values_list("id", flat=True))
    rng = random.Random(seed + 1)
    sample = rng.sample(ids, min(READ_SAMPLE, len(ids)))
    return {
        "office": office.slug,
        "role": busiest["current_role"],
        "username": user.username,
        "token": token_issue(user=user),
        "mine_open": busiest["n"],
        "office_open": cases.filter(state__in=OPEN_STATES).count(),
        "office_cases": len(ids),
        "read_ids": sample,
        "read_open_id": cases.filter(state=CaseState.OPEN).values_list("pk", flat=True)[0],
        "read_ended_id": cases.filter(finished_at__isnull=False).values_list("pk", flat=True)[0],
    }


def urls_of(targets: dict) -> dict[str, dict]:
    """What is loaded: key -> label, paths (cycled over), how it signs in."""
    slug = targets["office"]
    queue = f"/staf/{slug}/permohonan/"
    return {
        "queue_mine": {
            "label": "work queue, Langkah saya",
            "paths": [queue],
            "auth": "session",
        },
        "queue_all": {
            "label": "work queue, ?tab=semua",
            "paths": [f"{queue}?tab=semua"],
            "auth": "session",
        },
        # A name search is a scan of the tab's rows of the office (docs/design/cases.md).
        "queue_search": {
            "label": f"work queue, ?tab=semua&q={SEARCH_NAME}",
            "paths": [f"{queue}?tab=semua&q={SEARCH_NAME}"],
            "auth": "session",
        },
        "queue_finished": {
            "label": "work queue, ?tab=selesai",
            "paths": [f"{queue}?tab=selesai"],
            "auth": "session",
        },
        "queue_finished_search": {
            "label": f"work queue, ?tab=selesai&q={SEARCH_NAME}",
            "paths": [f"{queue}?tab=selesai&q={SEARCH_NAME}"],
            "auth": "session",
        },
        "api_list": {
            "label": "API case list",
            "paths": [f"/api/v1/cases?office={slug}&limit={QUEUE_ROWS}"],
            "auth": "bearer",
        },
        "api_read": {
            "label": "API case read",
            "paths": [f"/api/v1/cases/{pk}" for pk in targets["read_ids"]],
            "auth": "bearer",
        },
    }


def _sql_shape(sql: str) -> str:
    """A query with its literals replaced, so the same query for another row matches."""
    shape = re.sub(r"'(?:[^']|'')*'", "?", sql)
    shape = re.sub(r"\b\d+(?:\.\d+)?\b", "?", shape)
    shape = re.sub(r"\((?:\s*\?\s*,)+\s*\?\s*\)", "(?…)", shape)
    return re.sub(r"\s+", " ", shape).strip()


def _layan_frames() -> str:
    """The innermost Layan functions (up to three) on the stack, innermost first."""
    package = str(ROOT / "layan")
    frames = [
        f"{Path(f.filename).relative_to(ROOT).with_suffix('')}".replace("/", ".")
        + f".{f.name}:{f.lineno}"
        for f in reversed(traceback.extract_stack())
        if f.filename.startswith(package)
    ]
    return " ← ".join(frames[:3])


def queries_count(targets: dict) -> dict:
    """SQL queries of one request to each URL, cold (first) and warm (second), in-process;
    the query shapes sent 3 times or more in the warm request, with who sent them."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    user = get_user_model().objects.get(username=targets["username"])
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    bearer = {"Authorization": f"Bearer {targets['token']}"}
    urls = {key: spec["paths"][0] for key, spec in urls_of(targets).items()}
    urls["api_read"] = f"/api/v1/cases/{targets['read_open_id']}"
    urls["api_read_ended"] = f"/api/v1/cases/{targets['read_ended_id']}"
    counts = {}
    for key, path in urls.items():
        extra = bearer if key.startswith("api_") else {}
        figures: dict[str, Any] = {"path": path}
        for attempt in ("cold", "warm"):
            callers: list[str] = []

            def wrapper(execute, sql, params, many, context, callers=callers):
                callers.append(_layan_frames())
                return execute(sql, params, many, context)

            with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(wrapper):
                response = client.get(path, headers=extra)
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code} in-process")
            figures[attempt] = len(captured.captured_queries)
        shapes = Counter(
            (_sql_shape(q["sql"]), caller)
            for q, caller in zip(captured.captured_queries, callers, strict=True)
        )
        figures["repeated"] = [
            {"count": n, "sql": sql[:160], "caller": caller}
            for (sql, caller), n in shapes.most_common()
            if n >= 3
        ]
        counts[key] = figures
    return counts


def worker(args: argparse.Namespace) -> None:
    """Load the database this process is configured for; write the figures as JSON."""
    import django

    django.setup()
    result: dict[str, Any] = {}
    start = time.perf_counter()
    offices = seed_load()
    staff = staff_create(offices)
    plans = plans_make(offices)
    result["seed_seconds"] = time.perf_counter() - start
    result["services"] = sum(len(p) for p in plans.values())
    result["load"] = cases_load(args.cases, plans, staff, args.seed)
    result["load"]["analyze_seconds"] = _analyze()
    result["targets"] = targets_choose(staff, args.seed)
    result["queries"] = queries_count(result["targets"])
    Path(args.worker).write_text(json.dumps(result, indent=2))


# =====================================================================================
# Orchestrator: databases, the worker, gunicorn, sign-in, probe, wrk, the report.
# =====================================================================================


@dataclass
class Options:
    cases: int
    seed: int
    out: Path
    pg_url: str | None  # None: PostgreSQL skipped
    seconds: int
    warmup_seconds: int
    connections: int
    threads: int
    workers: int
    work: Path
    keep_work: bool


STEPS: list[dict] = []


def _console():
    from rich.console import Console

    return Console(stderr=True, highlight=False)


@contextmanager
def step(title: str) -> Iterator[None]:
    """Print a step as it starts and ends, with its wall-clock seconds; log it in STEPS."""
    console = _console()
    console.print(f"[bold cyan]▶[/] {title} …")
    start = time.perf_counter()
    yield
    seconds = time.perf_counter() - start
    load = os.getloadavg()[0]
    STEPS.append({"title": title, "seconds": seconds, "load": load})
    console.print(f"[green]✓[/] {title}: {seconds:.2f} s (load average {load:.2f})")


def env_for(db_url: str, var_dir: Path) -> dict:
    """Layan's environment on the given database: plain HTTP on loopback, plain static
    storage (no collectstatic manifest needed)."""
    from bench.registry import layan_env

    (var_dir / "static").mkdir(parents=True, exist_ok=True)  # WhiteNoise wants STATIC_ROOT
    return {
        **layan_env(db_url, var_dir),
        "LAYAN_STATIC_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "LAYAN_DEMO": "0",
    }


def database_fresh(kind: str, opts: Options) -> dict:
    """A new, migrated database of `kind`; Layan's environment on it."""
    from bench import rawdb
    from bench.registry import migrate

    var_dir = opts.work / f"cases-{kind}"
    shutil.rmtree(var_dir, ignore_errors=True)
    if kind == "sqlite":
        url = f"sqlite:///{var_dir / 'layan.sqlite3'}"
    else:
        assert opts.pg_url is not None  # PostgreSQL is a kind only when not skipped
        url = rawdb.pg_database_fresh(opts.pg_url, PG_DB)
    env = env_for(url, var_dir)
    migrate(env)
    return env


def worker_run(env: dict, opts: Options, kind: str) -> dict:
    result = opts.work / f"cases-{kind}.json"
    result.unlink(missing_ok=True)
    command = [
        sys.executable, "-m", "bench.cases", "--worker", str(result),
        "--cases", str(opts.cases), "--seed", str(opts.seed),
    ]  # fmt: skip
    subprocess.run(command, env=env, cwd=ROOT, check=True)
    return json.loads(result.read_text())


def session_cookie(port: int, username: str) -> str:
    """Sign in through the login form; the Cookie header of the signed-in browser."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = f"http://127.0.0.1:{port}"
    page = opener.open(f"{base}/masuk/", timeout=30).read().decode()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not match:
        raise RuntimeError("no CSRF token on the login page")
    form = urllib.parse.urlencode(
        {"username": username, "password": BENCH_PASSWORD, "csrfmiddlewaretoken": match[1]}
    ).encode()
    opener.open(f"{base}/masuk/", data=form, timeout=30).read()
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        raise RuntimeError(f"signing in as {username} gave no session cookie")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def _get(port: int, path: str, header: tuple[str, str]) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers=dict([header]))
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def probe(port: int, urls: dict, headers: dict) -> dict:
    """Every URL answers 200 and shows a full page before any load; stop otherwise."""
    facts: dict[str, Any] = {}
    for key, spec in urls.items():
        header = headers[spec["auth"]]
        sizes = []
        for path in spec["paths"][:100]:
            status, body = _get(port, path, header)
            if status != 200:
                raise RuntimeError(f"probe: GET {path} answered {status}: {body[:300]!r}")
            sizes.append(len(body))
            if key.startswith("queue_"):
                rows = body.decode().count(QUEUE_LINE)
                if rows != QUEUE_ROWS:
                    raise RuntimeError(f"probe: {path} shows {rows} rows, not {QUEUE_ROWS}")
                facts.setdefault("rows", {})[key] = rows
            if key == "api_list":
                listed = json.loads(body)
                if len(listed["items"]) != QUEUE_ROWS:
                    raise RuntimeError(f"probe: {path} lists {len(listed['items'])} cases")
                facts["api_list_count"] = listed["count"]
        facts.setdefault("bytes", {})[key] = sum(sizes) // len(sizes)
    return facts


def wrk_run(port: int, spec: dict, header: tuple[str, str], opts: Options, seconds: int):
    paths = opts.work / "cases-paths.txt"
    paths.write_text("\n".join(spec["paths"]) + "\n")
    lua = opts.work / "cases.lua"
    lua.write_text(LUA_SCRIPT)
    command = [
        "wrk", "-t", str(opts.threads), "-c", str(opts.connections), "-d", f"{seconds}s",
        "--latency", "-s", str(lua), f"http://127.0.0.1:{port}/", "--", str(paths), *header,
    ]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(x for x in output.splitlines() if x.startswith("BENCH_JSON "))
    figures = json.loads(line.removeprefix("BENCH_JSON "))
    return {
        "requests": figures["requests"],
        "rps": figures["requests"] / (figures["duration_us"] / 1e6),
        **{f"p{q}_ms": figures[f"p{q}_us"] / 1e3 for q in (50, 75, 90, 95, 99)},
        "max_ms": figures["max_us"] / 1e3,
        "mean_ms": figures["mean_us"] / 1e3,
        "errors": sum(figures[k] for k in ("connect_errors", "read_errors", "write_errors"))
        + figures["timeouts"],
        "non_2xx": figures["status_errors"],
        "bytes_per_request": figures["bytes"] // max(1, figures["requests"]),
        "load_end": os.getloadavg()[0],
    }


def serve_and_load(env: dict, worker_result: dict, opts: Options, kind: str) -> dict:
    """gunicorn on the database; sign in, probe, then wrk on each URL in turn."""
    from bench.api_load import gunicorn_serving

    targets = worker_result["targets"]
    urls = urls_of(targets)
    log = opts.work / f"cases-gunicorn-{kind}.log"
    with gunicorn_serving("layan.wsgi:application", env, opts.workers, log) as port:
        headers = {
            "session": ("Cookie", session_cookie(port, targets["username"])),
            "bearer": ("Authorization", f"Bearer {targets['token']}"),
        }
        facts = probe(port, urls, headers)
        load = {}
        for key, spec in urls.items():
            header = headers[spec["auth"]]
            wrk_run(port, spec, header, opts, opts.warmup_seconds)
            load[key] = wrk_run(port, spec, header, opts, opts.seconds)
            load[key]["label"] = spec["label"]
            _console().print(
                f"  {spec['label']}: {load[key]['rps']:.1f} req/s, "
                f"p50 {load[key]['p50_ms']:.1f} ms, p95 {load[key]['p95_ms']:.1f} ms, "
                f"p99 {load[key]['p99_ms']:.1f} ms"
            )
        probe(port, urls, headers)  # still signed in, still full pages after the load
    return {"probe": facts, "wrk": load}


def run_database(kind: str, opts: Options) -> dict:
    name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[kind]
    with step(f"{name}: fresh database, migrated"):
        env = database_fresh(kind, opts)
    with step(f"{name}: seed, staff and {opts.cases:,} cases bulk-inserted (+ query counts)"):
        result = worker_run(env, opts, kind)
    load = result["load"]
    queries = ", ".join(f"{key} {q['warm']}" for key, q in result["queries"].items())
    _console().print(
        f"  {load['cases']:,} cases, {load['records']:,} step records in "
        f"{load['seconds']:.1f} s ({load['cases'] / load['seconds']:,.0f} cases/s); "
        f"queries per request: {queries}"
    )
    with step(f"{name}: queue page and case API under load (gunicorn + wrk)"):
        result.update(serve_and_load(env, result, opts, kind))
    result["targets"].pop("token")
    result["targets"]["read_ids"] = len(result["targets"]["read_ids"])
    return result


def cleanup(opts: Options) -> None:
    """Drop the bench's PostgreSQL database (only it) and the work folders."""
    from bench import rawdb

    if opts.pg_url:
        rawdb.pg_database_drop(opts.pg_url, PG_DB)
    if not opts.keep_work:
        for kind in ("sqlite", "postgresql"):
            shutil.rmtree(opts.work / f"cases-{kind}", ignore_errors=True)
        for name in ("cases-paths.txt", "cases.lua", "cases-sqlite.json", "cases-postgresql.json"):
            (opts.work / name).unlink(missing_ok=True)


def options_parse(argv: list[str] | None) -> tuple[argparse.Namespace, Options]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cases = int(os.environ.get("BENCH_CASES") or DEFAULT_CASES)
    parser.add_argument("--cases", type=int, default=cases, help=f"default {cases:,}")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--seconds", type=int, default=10, help="load duration per URL")
    parser.add_argument("--warmup-seconds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--seed", type=int, default=7308)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432"),
        help="server URL without a database name",
    )
    parser.add_argument("--keep-work", action="store_true", help="keep the SQLite database")
    parser.add_argument("--worker", help=argparse.SUPPRESS)  # internal: load, count, write JSON
    args = parser.parse_args(argv)
    return args, Options(
        cases=args.cases,
        seed=args.seed,
        out=args.out,
        pg_url=None if args.skip_postgres else args.pg_url.rstrip("/"),
        seconds=args.seconds,
        warmup_seconds=args.warmup_seconds,
        connections=args.connections,
        threads=args.threads,
        workers=args.workers,
        work=ROOT / "var" / "bench",
        keep_work=args.keep_work,
    )


def main(argv: list[str] | None = None) -> None:
    args, opts = options_parse(argv)
    if args.worker:
        worker(args)
        return
    from bench import cases_report, sections
    from bench.registry import machine_info

    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed (apt-get install wrk)")
    opts.work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cases": opts.cases,
        "machine": machine_info(opts.pg_url),
        "settings": {
            "seconds": opts.seconds,
            "warmup_seconds": opts.warmup_seconds,
            "connections": opts.connections,
            "threads": opts.threads,
            "workers": opts.workers,
            "open_share": OPEN_SHARE,
            "waiting_share": WAITING_SHARE,
            "target_p95_ms": TARGET_P95_MS,
        },
        "databases": {},
    }
    started = time.perf_counter()
    try:
        kinds = ["sqlite"] + (["postgresql"] if opts.pg_url else [])
        for kind in kinds:
            results["databases"][kind] = run_database(kind, opts)
    finally:
        cleanup(opts)
    results["machine"]["load_end"] = os.getloadavg()
    results["total_seconds"] = time.perf_counter() - started
    results["steps"] = STEPS
    (opts.work / "cases-results.json").write_text(json.dumps(results, indent=2))
    section = cases_report.render(results)
    sections.section_write(opts.out, section)
    print(section)
    _console().print(f"[bold green]written[/] {opts.out} (section {cases_report.BEGIN})")


if __name__ == "__main__":
    main()
