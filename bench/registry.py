"""`make bench`: the register import, lookups and lookup API, against the raw tools.

    .venv/bin/python -m bench.registry [--rows N] [--skip-postgres] [--out docs/performance.md]

In one run: generate (or reuse) a synthetic DTKS export of N rows; load it with
the raw bulk path of SQLite (executemany, one transaction) and of PostgreSQL
(COPY), indexes after the load; import it with Layan on both (all validation
on) in subprocesses, timing only `registry_import`, with their peak memory, and
again on SQLite at a smaller size (small_rows) to show memory stays flat; time 100,000 lookups by
NIK and by KK through `registry_lookup` (20% misses); load the lookup API and a
bare Django view with the same gunicorn and the same load. Figures and ratios go
to docs/performance.md (overwritten) and to stdout. Work files: var/bench/.
"""

import argparse
import json
import os
import platform
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "layan.settings")

from bench import api_load, data, rawdb, report  # noqa: E402 (settings module first)

DEFAULT_ROWS = 1_000_000
PG_RAW_DB, PG_LAYAN_DB = "layan_bench_raw", "layan_bench"
console = Console(stderr=True, highlight=False)


@dataclass
class Options:
    rows: int
    out: Path
    pg_url: str | None  # None: PostgreSQL skipped
    lookups: int
    work: Path
    keep_work: bool
    import_rounds: int = 3
    load: api_load.LoadSettings = field(default_factory=api_load.LoadSettings)


# Every step's wall-clock seconds and the machine's load when it ended, for the report.
STEPS: list[dict] = []


@contextmanager
def step(title: str) -> Iterator[None]:
    """Print a step as it starts and ends, with its wall-clock seconds; log it in STEPS."""
    console.print(f"[bold cyan]▶[/] {title} …")
    start = time.perf_counter()
    yield
    seconds = time.perf_counter() - start
    load = os.getloadavg()[0]
    STEPS.append({"title": title, "seconds": seconds, "load": load})
    console.print(f"[green]✓[/] {title}: {seconds:.2f} s (load average {load:.2f})")


def machine_info(pg_url: str | None) -> dict:
    """What the figures were measured on."""
    uname = subprocess.run(["uname", "-a"], capture_output=True, text=True).stdout.strip()
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        line.split()[1]
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_gib": round(int(memory) / 2**20, 1),
        "uname": uname,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": rawdb.pg_version(pg_url) if pg_url else None,
        "load_start": os.getloadavg(),
        "speed": machine_speed(pg_url),
    }


def machine_speed(pg_url: str | None) -> dict:
    """Two fixed yardsticks, so that runs on other days can be compared: a shared
    virtual machine's speed varies (the same raw COPY took 3.6 s one day, 8.3 s the next).
    The best of 5 of a pure-Python loop, and the median round trip of a prepared
    `SELECT 1` to PostgreSQL."""
    loops = []
    for _ in range(5):
        start = time.perf_counter()
        sum(i * i for i in range(2_000_000))
        loops.append(time.perf_counter() - start)
    speed = {"python_loop_ms": min(loops) * 1000}
    if pg_url:
        speed["pg_select1_us"] = rawdb.pg_round_trip_us(pg_url)
    return speed


def layan_env(db_url: str, var_dir: Path) -> dict:
    """Environment of a Layan process on the given database; plain HTTP for loopback."""
    return {
        **os.environ,
        "DATABASE_URL": db_url,
        "LAYAN_VAR_DIR": str(var_dir),
        "LAYAN_HTTPS": "0",
        "DJANGO_SETTINGS_MODULE": "layan.settings",
    }


def sqlite_fresh(var_dir: Path) -> tuple[str, dict]:
    """An empty LAYAN_VAR_DIR with a migrated SQLite database; its URL and environment."""
    shutil.rmtree(var_dir, ignore_errors=True)
    (var_dir / "static").mkdir(parents=True)  # WhiteNoise warns about a missing STATIC_ROOT
    url = f"sqlite:///{var_dir / 'layan.sqlite3'}"
    env = layan_env(url, var_dir)
    migrate(env)
    return url, env


def pg_fresh(pg_url: str, var_dir: Path) -> tuple[str, dict]:
    """A new, migrated database PG_LAYAN_DB; its URL and environment."""
    (var_dir / "static").mkdir(parents=True, exist_ok=True)
    url = rawdb.pg_database_fresh(pg_url, PG_LAYAN_DB)
    env = layan_env(url, var_dir)
    migrate(env)
    return url, env


def migrate(env: dict) -> None:
    command = [sys.executable, "-m", "layan.cli", "migrate", "--noinput", "-v", "0"]
    subprocess.run(command, env=env, cwd=ROOT, check=True)


def layan_import(env: dict, csv_path: Path, result: Path, lookups: Path | None = None) -> dict:
    """bench.import_one in a subprocess; its JSON result."""
    command = [
        sys.executable, "-m", "bench.import_one", "--db-url", env["DATABASE_URL"],
        "--file", str(csv_path), "--result", str(result),
    ]  # fmt: skip
    if lookups:
        command += ["--lookups", str(lookups)]
    result.unlink(missing_ok=True)
    subprocess.run(command, env=env, cwd=ROOT, check=True)
    return json.loads(result.read_text())


def file_facts(path: Path, rows: int, generated_s: float | None) -> dict:
    return {"path": str(path), "rows": rows, "bytes": path.stat().st_size, "seconds": generated_s}


def imports_in_turn(
    rounds: int, raw_load: Callable[[], dict], layan_load: Callable[[bool], dict]
) -> tuple[dict, dict]:
    """The raw load and Layan's import in turn, `rounds` times; each one's median round.

    In turn, so that a neighbour's burst on a shared machine, or a one-off cost of
    a first load (PostgreSQL creating its WAL files), falls on both. Layan's last
    round also runs the lookups (layan_load(True)); its database stays for the API.
    """
    raws, layans = [], []
    for number in range(rounds):
        raws.append(raw_load())
        layans.append(layan_load(number == rounds - 1))
    raw = sorted(raws, key=lambda r: r["load_s"] + r["index_s"])[rounds // 2]
    imported = sorted((done["import"] for done in layans), key=lambda i: i["seconds"])
    return (
        {**raw, "rounds_s": [r["load_s"] + r["index_s"] for r in raws]},
        {
            **layans[-1],
            "import": imported[rounds // 2],
            "rounds_s": [done["import"]["seconds"] for done in layans],
        },
    )


def csv_step(rows: int, work: Path) -> dict:
    """The export of `rows` people, generated unless a previous run left it."""
    reused = (work / f"dtks-{rows}.csv").exists()
    start = time.perf_counter()
    path = data.csv_ensure(rows, work)
    seconds = None if reused else time.perf_counter() - start
    facts = file_facts(path, rows, seconds)
    how = "reused" if reused else f"generated in {seconds:.1f} s"
    console.print(f"  {path.name}: {facts['bytes'] / 1e6:.1f} MB, {how}")
    return facts


def _print_import(name: str, figures: dict) -> None:
    done = figures["import"]
    console.print(
        f"  {name}: {done['rows_imported']:,} rows in {done['seconds']:.2f} s, "
        f"peak RSS {done['peak_rss_kib'] / 1024:.0f} MiB "
        f"(validator children ≤ {done['children_peak_rss_kib'] / 1024:.0f} MiB)"
    )
    for by, lookup in figures.get("lookups", {}).items():
        if by != "token":
            ms = lookup["ms"]
            console.print(
                f"  lookup by {by}: median {ms['median']:.3f} ms, p99 {ms['p99']:.3f} ms, "
                f"found {lookup['found_share']:.1%}"
            )


def run_postgres(opts: Options, csv_path: Path, lookups: Path, bodies: Path, results: dict) -> None:
    """Raw COPY, then Layan's import and lookups, each on a database of its own."""
    pg_url = opts.pg_url
    assert pg_url is not None  # called only when PostgreSQL is not skipped
    env: dict = {}

    def raw_load() -> dict:
        url = rawdb.pg_database_fresh(pg_url, PG_RAW_DB)
        figures = asdict(rawdb.postgres_load(csv_path, url))
        rawdb.pg_database_drop(pg_url, PG_RAW_DB)
        return figures

    def layan_load(last: bool) -> dict:
        env.update(pg_fresh(pg_url, opts.work / "pg")[1])
        return layan_import(env, csv_path, opts.work / "pg.json", lookups if last else None)

    rounds = opts.import_rounds
    with step(f"raw PostgreSQL (COPY, indexes) and Layan import in turn, {rounds}x (+ lookups)"):
        results["raw_pg"], results["layan_pg"] = imports_in_turn(rounds, raw_load, layan_load)
    _print_import("PostgreSQL", results["layan_pg"])
    token = results["layan_pg"]["lookups"].pop("token")
    with step("lookup API under load: Layan vs a bare Django view (PostgreSQL)"):
        results["api_pg"] = api_load.api_compare(env, bodies, token, opts.load, opts.work / "pg")
    _print_api("PostgreSQL", results["api_pg"])


def run_sqlite(opts: Options, csv_path: Path, small_path: Path, lookups: Path, results: dict):
    """Raw executemany, then Layan's import and lookups at N and at small_rows(N); the N env."""
    with step(f"Layan import on SQLite at {results['csv_small']['rows']:,} rows"):
        _, small_env = sqlite_fresh(opts.work / "sqlite-small")
        results["layan_sqlite_small"] = layan_import(
            small_env, small_path, opts.work / "small.json"
        )
    _print_import(f"SQLite {results['csv_small']['rows']:,}", results["layan_sqlite_small"])
    env: dict = {}

    def raw_load() -> dict:
        raw_db = opts.work / "raw.sqlite3"
        figures = asdict(rawdb.sqlite_load(csv_path, raw_db))
        for leftover in opts.work.glob("raw.sqlite3*"):
            leftover.unlink()
        return figures

    def layan_load(last: bool) -> dict:
        env.update(sqlite_fresh(opts.work / "sqlite")[1])
        return layan_import(env, csv_path, opts.work / "sqlite.json", lookups if last else None)

    rounds = opts.import_rounds
    with step(f"raw SQLite (executemany, indexes) and Layan import in turn, {rounds}x (+ lookups)"):
        results["raw_sqlite"], results["layan_sqlite"] = imports_in_turn(
            rounds, raw_load, layan_load
        )
    _print_import("SQLite", results["layan_sqlite"])
    return env


def small_rows(rows: int) -> int:
    """The smaller file of the memory comparison: N/10, or N/2 while N/10 is too small.

    A validator child's memory rises until its hand-over queue first fills (it
    then waits for the writer), which takes each of the (at least two) children
    a few more than QUEUE_CHUNKS chunks of its own: below that a file shows the
    queues filling, not memory growing with the file (100,000 rows did, against 1
    million: x1.43, then flat from 1 to 10 million).
    """
    from layan.registry.pipeline import CHUNK_ROWS, QUEUE_CHUNKS

    queues_full = max(os.cpu_count() or 1, 2) * (QUEUE_CHUNKS + 2) * CHUNK_ROWS
    small = rows // 10
    if small < queues_full <= rows // 2:
        small = rows // 2
    return max(1, small)


def run(opts: Options, results: dict) -> None:
    """Every measurement, in order; results fill `results`."""
    opts.work.mkdir(parents=True, exist_ok=True)
    small = small_rows(opts.rows)
    with step(f"synthetic DTKS export, {opts.rows:,} rows (and {small:,})"):
        results["csv"] = csv_step(opts.rows, opts.work)
        results["csv_small"] = csv_step(small, opts.work)
    csv_path, small_path = Path(results["csv"]["path"]), Path(results["csv_small"]["path"])
    with step(f"lookup sample: {opts.lookups:,} NIKs and KKs, 20% absent"):
        sample = data.lookups_sample(csv_path, opts.lookups)
        lookups = sample.save(opts.work / "lookups.json")
        bodies = data.api_bodies_write(sample, opts.work / "api-bodies.txt")
    env = run_sqlite(opts, csv_path, small_path, lookups, results)
    if opts.pg_url:
        run_postgres(opts, csv_path, lookups, bodies, results)
    token = results["layan_sqlite"]["lookups"].pop("token")
    with step("lookup API under load: Layan vs a bare Django view (SQLite)"):
        results["api"] = api_load.api_compare(env, bodies, token, opts.load, opts.work)
    _print_api("SQLite", results["api"])


def _print_api(database: str, api: dict) -> None:
    console.print(
        f"  {database}: Layan {api['layan']['rps']:.0f} req/s, "
        f"bare with the same read {api['bare_read']['rps']:.0f} req/s "
        f"(ratio {api['ratio_read']:.2f}), bare doing no work {api['bare']['rps']:.0f} req/s "
        f"(ratio {api['ratio_noop']:.2f})"
    )


def cleanup(opts: Options) -> None:
    """Drop the bench's PostgreSQL databases (only those) and the bulky work files.

    With --keep-work, Layan's databases (SQLite and PostgreSQL) and their token
    stay for a look afterwards; the raw load's database goes either way.
    """
    if opts.pg_url:
        rawdb.pg_database_drop(opts.pg_url, PG_RAW_DB)
        if not opts.keep_work:
            rawdb.pg_database_drop(opts.pg_url, PG_LAYAN_DB)
    if not opts.keep_work:
        for folder in ("sqlite", "sqlite-small", "pg"):
            shutil.rmtree(opts.work / folder, ignore_errors=True)


def options_parse(argv: list[str] | None) -> Options:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    rows = int(os.environ.get("BENCH_ROWS") or DEFAULT_ROWS)
    parser.add_argument("--rows", type=int, default=rows, help=f"default {rows:,}")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432"),
        help="server URL without a database name",
    )
    parser.add_argument("--lookups", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=10, help="API load duration")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--keep-work", action="store_true", help="keep the bench databases")
    parser.add_argument(
        "--import-rounds", type=int, default=3, help="raw load and Layan import, in turn"
    )
    args = parser.parse_args(argv)
    return Options(
        rows=args.rows,
        out=args.out,
        pg_url=None if args.skip_postgres else args.pg_url.rstrip("/"),
        lookups=args.lookups,
        work=ROOT / "var" / "bench",
        keep_work=args.keep_work,
        import_rounds=max(1, args.import_rounds),
        load=api_load.LoadSettings(connections=args.connections, seconds=args.seconds),
    )


SECTION = re.compile(r"<!-- (\w+):begin -->.*?<!-- \1:end -->\n?", re.DOTALL)


def kept_sections(document: str) -> str:
    """The sections other benchmarks own (`<!-- name:begin -->` … `<!-- name:end -->`).

    This run rewrites the register's part of the document; the cases' and the
    letters' figures, written by their own runs, are carried over as they are.
    """
    return "".join(f"\n{match.group(0).rstrip()}\n" for match in SECTION.finditer(document))


def main(argv: list[str] | None = None) -> None:
    opts = options_parse(argv)
    results: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "rows": opts.rows,
        "machine": machine_info(opts.pg_url),
    }
    started = time.perf_counter()
    try:
        run(opts, results)
    finally:
        cleanup(opts)
    results["machine"]["load_end"] = os.getloadavg()
    results["total_seconds"] = time.perf_counter() - started
    results["steps"] = STEPS
    (opts.work / "results.json").write_text(json.dumps(results, indent=2))
    markdown = report.render(results)
    if opts.out.exists():
        markdown += kept_sections(opts.out.read_text())
    opts.out.parent.mkdir(parents=True, exist_ok=True)
    opts.out.write_text(markdown)
    print(markdown)
    console.print(f"[bold green]written[/] {opts.out}")


if __name__ == "__main__":
    main()
