"""One Layan import (and optionally the in-process lookups), in a process of its own.

Run by bench.registry as `python -m bench.import_one --db-url URL --file CSV
--result JSON [--lookups JSON]` with DATABASE_URL and LAYAN_VAR_DIR set and the
database migrated. Only `registry_import` is timed (Django's setup is not); the
lookups, when asked for, run after it against the snapshot it made. The figures
go to the --result file as JSON.

Django is set up inside main(), not at import: the importer's validator children
are spawned and re-import this module.
"""

import argparse
import gc
import json
import math
import os
import resource
import time
from collections.abc import Callable
from pathlib import Path

BENCH_USERNAME = "bench.petugas"
BENCH_PASSWORD = "bench-Layan-7308"  # a throwaway account of a throwaway database
WARMUP_LOOKUPS = 1_000


def status_kib(field: str) -> int:
    """A memory figure of this process from /proc/self/status (VmHWM, VmRSS), in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


def children_peak_kib() -> int:
    """Largest peak RSS among the child processes waited for so far (Linux: KiB)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def import_timed(path: Path) -> dict:
    """Run registry_import on the file; its seconds, counts and memory peaks."""
    from layan.registry.importing import registry_import

    rss_before = status_kib("VmRSS")
    start = time.perf_counter()
    snapshot = registry_import(path=path, source="dtks", period="2026-09")
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "rows_imported": snapshot.rows_imported,
        "rows_rejected": snapshot.rows_rejected,
        "state": snapshot.state,
        "rss_before_kib": rss_before,
        "peak_rss_kib": status_kib("VmHWM"),
        "children_peak_rss_kib": children_peak_kib(),
    }


def staff_ensure():
    """The office of region 73.08 and a petugas of it, created in the bench database."""
    from django.contrib.auth import get_user_model

    from layan.offices.models import Membership, Office

    office, _ = Office.objects.get_or_create(
        slug="bone",
        defaults={
            "name": "Dinas Sosial Kabupaten Bone",
            "government": "Pemerintah Kabupaten Bone",
            "region_code": "73.08",
            "region_name": "Kabupaten Bone",
            "province_name": "Sulawesi Selatan",
            "time_zone": "Asia/Makassar",
        },
    )
    users = get_user_model().objects
    user = users.filter(username=BENCH_USERNAME).first()
    if user is None:
        user = users.create_user(username=BENCH_USERNAME, password=BENCH_PASSWORD)
    Membership.objects.get_or_create(user=user, office=office, defaults={"role": "petugas"})
    return office, user


def percentiles_ms(durations_ns: list[int]) -> dict:
    """Median, p95, p99 and max (nearest rank) of call durations, in milliseconds."""
    ordered = sorted(durations_ns)
    count = len(ordered)

    def rank(q: float) -> float:
        return ordered[max(0, math.ceil(q * count) - 1)] / 1e6

    median = (ordered[(count - 1) // 2] + ordered[count // 2]) / 2e6
    return {"median": median, "p95": rank(0.95), "p99": rank(0.99), "max": ordered[-1] / 1e6}


def lookups_timed(office, user, field: str, values: list[str]) -> dict:
    """Call registry_lookup once per value (by `field`), timing each call on its own."""
    from layan.registry.services import registry_lookup

    def lookup(value: str) -> bool:
        if field == "nik":
            return registry_lookup(office=office, user=user, nik=value).found
        return registry_lookup(office=office, user=user, no_kk=value).found

    return calls_timed(lookup, values)


def calls_timed(lookup: Callable[[str], bool], values: list[str]) -> dict:
    """Call `lookup` (which answers whether it found the value) once per value, each timed."""
    for value in values[:WARMUP_LOOKUPS]:
        lookup(value)
    # As a served worker does after loading (layan/wsgi.py): long-lived objects leave
    # the cyclic collector's view.
    gc.freeze()
    durations: list[int] = []
    found = 0
    clock = time.perf_counter_ns
    for value in values:
        start = clock()
        found += lookup(value)
        durations.append(clock() - start)
    return {
        "count": len(values),
        "found_share": found / len(values) if values else 0.0,
        "warmup": min(WARMUP_LOOKUPS, len(values)),
        "ms": percentiles_ms(durations),
    }


def raw_lookups_timed(office, user, values: list[str]) -> dict:
    """The floor for a NIK lookup: its household read and its log row, on the bare driver.

    A connection of its own (sqlite3 or psycopg, autocommit), outside Django: the
    household read by NIK that Layan's storage runs (prepared on PostgreSQL), then
    one INSERT of a log row, each statement committed the way Layan commits
    (SQLite: WAL with synchronous=NORMAL; PostgreSQL: synchronous_commit as
    LAYAN_LOOKUP_LOG_DURABLE says). No token, no staff check, no office scope.
    """
    from django.conf import settings
    from django.db import connection

    from layan.core.db import _sqlite_named
    from layan.registry.models import LookupLog
    from layan.registry.selectors import snapshot_active_for
    from layan.registry.storage import _household_of_nik_sql

    snapshot = snapshot_active_for(office)
    if snapshot is None:
        raise SystemExit(f"{office.slug}: no active snapshot to look up in")
    read = _household_of_nik_sql(snapshot.table_name)
    insert = (
        f"INSERT INTO {LookupLog._meta.db_table} (office_id, user_id, nik, no_kk, found, "
        "case_ref, channel, at) VALUES (%(office)s, %(user)s, %(text)s, '', %(found)s, '', "
        "'raw', %(at)s)"
    )
    if connection.vendor == "postgresql":
        import psycopg

        pg = psycopg.connect(**connection.get_connection_params(), autocommit=True)
        if not settings.REGISTRY_LOOKUP_LOG_DURABLE:
            pg.execute("SET synchronous_commit = off")
        close = pg.close

        def run(sql: str, params: dict) -> list:
            with pg.cursor() as cursor:
                cursor.execute(sql, params, prepare=True)
                return cursor.fetchall() if cursor.description else []
    else:
        import sqlite3

        lite = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
        lite.execute("PRAGMA journal_mode=WAL")
        lite.execute("PRAGMA synchronous=NORMAL")
        close = lite.close

        def run(sql: str, params: dict) -> list:
            return lite.execute(_sqlite_named(sql, tuple(params)), params).fetchall()

    def lookup(nik: str) -> bool:
        found = bool(run(read, {"nik": int(nik)}))
        at = time.strftime("%Y-%m-%d %H:%M:%S+00:00", time.gmtime())
        row = {"office": office.pk, "user": user.pk, "text": nik, "found": found, "at": at}
        run(insert, row)
        return found

    try:
        return calls_timed(lookup, values)
    finally:
        close()


def lookups_run(path: Path) -> dict:
    """The NIK and KK lookups of the sample file, the raw floors, and a token for the API load."""
    from bench.data import Lookups
    from bench.pgbench_floor import pgbench_lookups_timed
    from layan.core.api_auth import token_issue

    lookups = Lookups.load(path)
    office, user = staff_ensure()
    figures = {
        "nik": lookups_timed(office, user, "nik", lookups.nik),
        "no_kk": lookups_timed(office, user, "no_kk", lookups.no_kk),
        "raw_nik": raw_lookups_timed(office, user, lookups.nik),
        "pgbench_nik": pgbench_lookups_timed(office, user, lookups.nik, WARMUP_LOOKUPS),
        "token": token_issue(user=user),
    }
    return {key: value for key, value in figures.items() if value is not None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db-url", required=True)
    parser.add_argument("--file", type=Path, required=True)
    parser.add_argument("--result", type=Path, required=True)
    parser.add_argument("--lookups", type=Path)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "layan.settings")
    import django

    django.setup()
    result = {"import": import_timed(args.file)}
    if args.lookups:
        result["lookups"] = lookups_run(args.lookups)
    args.result.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
