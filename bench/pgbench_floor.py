"""Layan's own PostgreSQL lookup statement, run by PostgreSQL's C client (pgbench).

The floor of a NIK lookup on this machine without Python: the very statement
`registry_lookup` sends (staff check, log row, household read), prepared, on one
connection, its parameters written into the text. What is left between this and
Layan's figure is Python, Django and psycopg; what is in it, the database and the
machine (its round trips, its scheduling).
"""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

SAMPLE_TABLE = "bench_lookup_sample"


def pgbench_path() -> str | None:
    """pgbench: on PATH (Debian's wrapper), else the newest under /usr/lib/postgresql; or None."""
    found = shutil.which("pgbench")
    if found:
        return found
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pgbench"))
    return str(versions[-1]) if versions else None


def statement_script(office, user, snapshot, durable: bool, count: int) -> str:
    """A pgbench script: draw one of `count` sample NIKs, run the lookup statement for it."""
    from layan.registry.services import _one_statement_sql

    nik = f"(SELECT nik FROM {SAMPLE_TABLE} WHERE i = :i)"
    literals = {
        "office": str(office.pk),
        "user": str(user.pk),
        "nik": nik,
        "no_kk": "NULL",
        "area": "'" + office.region_code.replace(".", "") + "%'",
        "nik_text": f"{nik}::text",
        "kk_text": "''",
        "snapshot": str(snapshot.pk),
        "case_ref": "''",
        "channel": "'pgbench'",
        "at": "now()",
        "token": "NULL",
        "demo_ok": "false",
    }
    sql = _one_statement_sql(snapshot.table_name, durable, "nik") % literals
    return f"\\set i random(1, {count})\n{sql};\n"


def pgbench_lookups_timed(office, user, values: list[str], warmup: int) -> dict | None:
    """Run the lookup statement once per value (drawn at random) in pgbench; None without it."""
    from django.conf import settings
    from django.db import connection

    from bench.import_one import percentiles_ms
    from layan.registry.selectors import snapshot_active_for

    pgbench = pgbench_path()
    if pgbench is None or connection.vendor != "postgresql":
        return None
    snapshot = snapshot_active_for(office)
    if snapshot is None:
        raise SystemExit(f"{office.slug}: no active snapshot to look up in")
    durable = settings.REGISTRY_LOOKUP_LOG_DURABLE
    script = statement_script(office, user, snapshot, durable, len(values))
    try:  # the sample table goes however this ends
        found_share = _sample_store(values, snapshot.table_name)
        with tempfile.TemporaryDirectory() as work:
            script_path = Path(work, "lookup.sql")
            script_path.write_text(script)
            _pgbench(pgbench, script_path, warmup, None)
            log_prefix = Path(work, "log")
            _pgbench(pgbench, script_path, len(values), log_prefix)
            durations_ns = [
                int(line.split()[2]) * 1000
                for log in Path(work).glob("log*")
                for line in log.read_text().splitlines()
            ]
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {SAMPLE_TABLE}")
    return {
        "count": len(durations_ns),
        "found_share": found_share,
        "warmup": warmup,
        "ms": percentiles_ms(durations_ns),
    }


def _sample_store(values: list[str], people_table: str) -> float:
    """The sample NIKs in a table pgbench can draw from (i = 1…n); the share registered."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {SAMPLE_TABLE}")
        cursor.execute(f"CREATE TABLE {SAMPLE_TABLE} (i integer PRIMARY KEY, nik bigint)")
        with cursor.copy(f"COPY {SAMPLE_TABLE} (i, nik) FROM STDIN") as copy:
            for i, nik in enumerate(values, start=1):
                copy.write_row((i, int(nik)))
        cursor.execute(f"ANALYZE {SAMPLE_TABLE}")
        cursor.execute(
            f"SELECT count(*) FROM {SAMPLE_TABLE} s "
            f"WHERE EXISTS (SELECT 1 FROM {connection.ops.quote_name(people_table)} p "
            "WHERE p.nik = s.nik)"
        )
        registered = cursor.fetchone()[0]
    return registered / len(values) if values else 0.0


def _pgbench(pgbench: str, script: Path, transactions: int, log_prefix: Path | None) -> None:
    """pgbench on Layan's database: one client, prepared statements, `transactions` runs."""
    from django.db import connection

    params = connection.get_connection_params()
    command = [
        pgbench, "--no-vacuum", "--protocol=prepared", "--client=1",
        f"--transactions={transactions}", f"--file={script}",
        f"--host={params.get('host') or '/var/run/postgresql'}",
        f"--port={params.get('port') or 5432}", f"--username={params.get('user') or 'postgres'}",
    ]  # fmt: skip
    if log_prefix is not None:
        command += ["--log", f"--log-prefix={log_prefix}"]
    env = {**os.environ}
    if params.get("password"):
        env["PGPASSWORD"] = str(params["password"])
    command.append(params["dbname"])
    subprocess.run(command, env=env, check=True, capture_output=True)
