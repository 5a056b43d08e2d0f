"""A real import process killed midway leaves the old snapshot active and nothing half-visible.

The import runs as `layan import-registry` in a subprocess against a database
of its own (a SQLite file, or a fresh PostgreSQL database when the suite runs
on PostgreSQL), is SIGKILLed once it has committed rows, and is then checked
from outside and re-run.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings

from layan.registry.tests.factories import people, write_dtks

CHECK = """
import json
from layan.registry.models import Snapshot
from layan.offices.models import Office
from layan.registry.selectors import snapshot_active_for
from layan.registry import storage
from django.db import connection
office = Office(slug="x", region_code="73.08")
active = snapshot_active_for(office)
print(json.dumps({
    "states": {str(s.pk): s.state for s in Snapshot.objects.order_by("pk")},
    "active": active.pk if active else None,
    "active_rows": storage.people_count(active.table_name) if active else 0,
    "tables": sorted(t for t in connection.introspection.table_names()
                     if t.startswith("registry_people_")),
}))
"""


@pytest.fixture
def external_env(tmp_path):
    """Environment for `layan` subprocesses with a database of their own, migrated."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["LAYAN_VAR_DIR"] = str(tmp_path / "var")
    url = os.environ.get("DATABASE_URL", "")
    drop = None
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        import psycopg

        name = f"layan_kill_{uuid.uuid4().hex[:8]}"
        server = url.rsplit("/", 1)[0]
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        env["DATABASE_URL"] = f"{server}/{name}"

        def drop():
            with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    _layan(env, "migrate", "--noinput", "-v0")
    yield env
    if drop:
        drop()


def _layan(env, *args, check=True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "layan.cli", *args],
        env=env, capture_output=True, text=True, timeout=300, check=check,
    )  # fmt: skip


def _state(env) -> dict:
    return json.loads(_layan(env, "shell", "-c", CHECK).stdout.strip().splitlines()[-1])


def _importing_rows(env) -> int:
    sql = "SELECT COALESCE(MAX(rows_imported), 0) FROM registry_snapshot WHERE state = 'importing'"
    if "DATABASE_URL" in env:
        import psycopg

        with psycopg.connect(env["DATABASE_URL"]) as conn:
            row = conn.execute(sql).fetchone()
    else:
        path = os.path.join(env["LAYAN_VAR_DIR"], "layan.sqlite3")
        with sqlite3.connect(path, timeout=5) as conn:
            row = conn.execute(sql).fetchone()
    assert row is not None  # an aggregate answers one row
    return row[0]


def _children_of(pid: int) -> list[int]:
    """Processes whose parent is `pid` (read from /proc, Linux)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue  # ended meanwhile
            if ppid == pid:
                found.append(int(entry))
    return found


def _running(pid: int) -> bool:
    """Whether `pid` still runs (a zombie waiting for its reaper does not)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_killed_import_leaves_old_snapshot_active(external_env, tmp_path):
    env = external_env
    old = write_dtks(tmp_path / "old.csv", people(40))
    _layan(env, "import-registry", str(old), "--source", "dtks", "--period", "2026-06",
           "--no-progress")  # fmt: skip
    big = write_dtks(tmp_path / "big.csv", people(150_000, start=1000))

    process = subprocess.Popen(
        [sys.executable, "-m", "layan.cli", "import-registry", str(big), "--source", "dtks",
         "--period", "2026-09", "--no-progress"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while _importing_rows(env) == 0:
        assert process.poll() is None, "the import finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    children = _children_of(process.pid)
    assert children  # the validator processes of the import
    process.send_signal(signal.SIGKILL)
    process.wait()
    # They die with it: none is left waiting on a pipe nobody reads.
    deadline = time.monotonic() + 15
    while (alive := [pid for pid in children if _running(pid)]) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert alive == []

    state = _state(env)
    assert state["states"] == {"1": "active", "2": "importing"}
    assert state["active"] == 1
    assert state["active_rows"] == 40  # lookups still answer from the old snapshot

    # Running the import again cleans the dead one up and completes.
    again = _layan(env, "import-registry", str(big), "--source", "dtks", "--period", "2026-09",
                   "--no-progress")  # fmt: skip
    assert "150,000 diimpor" in again.stdout
    state = _state(env)
    assert state["states"] == {"1": "superseded", "2": "failed", "3": "active"}
    assert state["active_rows"] == 150_000
    assert state["tables"] == ["registry_people_1", "registry_people_3"]
