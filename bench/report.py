"""docs/performance.md from one run's results: figures, ratios, targets met or not."""

from collections.abc import Iterable

IMPORT_TARGET = 0.8  # Layan's import speed over the raw bulk path (load + indexes)
LOOKUP_P99_TARGET_MS = 0.5  # in-process NIK lookup, at 10 million rows
LOOKUP_TARGET_ROWS = 10_000_000
API_TARGET = 0.7  # Layan's lookup API requests/s over the bare view's with the same read
FLAT_MEMORY = 1.2  # peak memory at N within 20% of the peak at the smaller size


def _table(header: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    header = list(header)
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _met(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


def _rate(rows: int, seconds: float) -> str:
    return f"{rows / seconds:,.0f}" if seconds else "-"


def _mib(kib: int) -> str:
    return f"{kib / 1024:,.0f} MiB"


def import_ratio(raw: dict, layan: dict) -> float:
    """Layan's import throughput over the raw load-and-index throughput (same rows)."""
    return (raw["load_s"] + raw["index_s"]) / layan["import"]["seconds"]


def _header(results: dict) -> str:
    machine, csv = results["machine"], results["csv"]
    return "\n".join(
        [
            "# Performance of the register import, lookups and lookup API",
            "",
            "Written by `make bench` (`bench/registry.py`); overwritten by every run. Figures",
            "are measured against the raw tools in the same run, on the same rows; no test",
            "asserts a timing.",
            "",
            f"- Date: {results['date']} (whole run {results.get('total_seconds', 0) / 60:.1f} min)",
            f"- Machine: {machine['cpus']} CPUs ({machine['cpu_model']}), "
            f"{machine['memory_gib']} GiB RAM",
            f"- `uname -a`: `{machine['uname']}`",
            f"- Python {machine['python']}, SQLite {machine['sqlite']}, "
            f"PostgreSQL {machine['postgresql'] or '(skipped)'}",
            f"- Load average at start / end: {_loads(machine.get('load_start'))} / "
            f"{_loads(machine.get('load_end'))}",
            _speed(machine.get("speed")),
            f"- Rows: {results['rows']:,} (synthetic DTKS export of region 73.08, "
            f"{csv['bytes'] / 1e6:,.1f} MB, {csv['bytes'] / results['rows']:.0f} bytes/row)",
            contention_note(results),
        ]
    ).rstrip()


def contention_note(results: dict) -> str:
    """A warning when the machine was already busy as the run began, else nothing.

    Only the load at the start tells of other work: the run's own steps keep every
    CPU busy (two validator processes and PostgreSQL's COPY; wrk and the servers),
    so the load during the run passes the CPU count on an idle machine too.
    """
    machine = results["machine"]
    start = machine.get("load_start")
    if not start or start[0] <= machine["cpus"] / 2:
        return ""
    return (
        f"\n> **Provisional:** the 1-minute load average was {start[0]:.1f} on "
        f"{machine['cpus']} CPUs when the run began: other work was using the CPUs, so the "
        "times may be longer and noisier than on an idle machine."
    )


def _loads(values) -> str:
    return ", ".join(f"{v:.2f}" for v in values) if values else "?"


def _import_section(results: dict) -> str:
    rows = results["rows"]
    lines = []
    for name, raw_key, layan_key, tool in (
        ("SQLite", "raw_sqlite", "layan_sqlite", "`executemany`, one transaction"),
        ("PostgreSQL", "raw_pg", "layan_pg", "`COPY … FROM STDIN`"),
    ):
        if raw_key not in results:
            continue
        raw, layan = results[raw_key], results[layan_key]
        seconds = layan["import"]["seconds"]
        ratio = import_ratio(raw, layan)
        lines += [
            [f"raw {name}: {tool}", f"{raw['load_s']:.2f}", _rate(rows, raw["load_s"]), "", ""],
            [
                f"raw {name}: load + indexes on nik, no_kk (baseline)",
                f"{raw['load_s'] + raw['index_s']:.2f}",
                _rate(rows, raw["load_s"] + raw["index_s"]),
                "1.00",
                "",
            ],
            [
                f"Layan import, {name} (all validation, indexes, activation)",
                f"{seconds:.2f}",
                _rate(layan["import"]["rows_imported"], seconds),
                f"{ratio:.2f}",
                f"≥ {IMPORT_TARGET} {_met(ratio >= IMPORT_TARGET)}",
            ],
        ]
    table = _table(["measurement", "seconds", "rows/s", "ratio to baseline", "target"], lines)
    rounds = [
        f"{name}: raw {_seconds(results[raw_key])}; Layan {_seconds(results[layan_key])}"
        for name, raw_key, layan_key in (
            ("SQLite", "raw_sqlite", "layan_sqlite"),
            ("PostgreSQL", "raw_pg", "layan_pg"),
        )
        if raw_key in results
    ]
    return "\n".join(
        [
            "## Import",
            "",
            "Ratio = baseline seconds / Layan seconds (Layan's speed as a share of the raw",
            "bulk path's, both ending with the rows indexed). Layan's time is",
            '`registry_import(path=…, source="dtks", period="2026-09")` alone, in a fresh',
            "process on a freshly migrated database (Django setup excluded). The raw load",
            "and Layan's import run in turn (raw, Layan, raw, …), each on a fresh database;",
            "the table gives each one's median round.",
            "",
            table,
            "",
            f"Seconds of each round: {'; '.join(rounds)}.",
        ]
    )


def _seconds(figures: dict) -> str:
    return " / ".join(f"{seconds:.2f}" for seconds in figures["rounds_s"])


def _speed(speed: dict | None) -> str:
    if not speed:
        return "- Machine speed: not measured"
    line = f"- Machine speed (to compare runs): Python loop {speed['python_loop_ms']:.0f} ms"
    if "pg_select1_us" in speed:
        line += f", PostgreSQL `SELECT 1` round trip {speed['pg_select1_us']:.0f} µs"
    return line + " (lower is faster)"


# The NIK lookup's floors, by their key in the lookup figures.
FLOORS = {"raw_nik": "raw floor", "pgbench_nik": "Layan's statement in pgbench"}
LOOKUP_ROWS = (
    ("nik", "NIK"),
    ("no_kk", "No KK"),
    *((by, f"NIK, {label}") for by, label in FLOORS.items()),
)


def _floors(lookups: dict) -> str:
    """' (raw floor: … ms; Layan's statement in pgbench: … ms)', for what was measured."""
    measured = [(label, lookups[by]) for by, label in FLOORS.items() if by in lookups]
    parts = [f"{label}: {figures['ms']['p99']:.3f} ms" for label, figures in measured]
    return f" ({'; '.join(parts)})" if parts else ""


def _lookup_section(results: dict) -> str:
    rows = results["rows"]
    lines = []
    for name, key in (("SQLite", "layan_sqlite"), ("PostgreSQL", "layan_pg")):
        for by, label in LOOKUP_ROWS:
            figures = results.get(key, {}).get("lookups", {}).get(by)
            if not figures:
                continue
            ms = figures["ms"]
            target = ""
            if by == "nik":
                ok = ms["p99"] < LOOKUP_P99_TARGET_MS
                at = "" if rows >= LOOKUP_TARGET_ROWS else f" at {rows:,} rows"
                target = f"p99 < {LOOKUP_P99_TARGET_MS} ms: {_met(ok)}{at}"
            lines.append(
                [
                    f"{name}, by {label}",
                    f"{ms['median']:.3f}",
                    f"{ms['p95']:.3f}",
                    f"{ms['p99']:.3f}",
                    f"{ms['max']:.2f}",
                    f"{figures['found_share']:.1%}",
                    target,
                ]
            )
    table = _table(["lookup", "median ms", "p95 ms", "p99 ms", "max ms", "found", "target"], lines)
    count = next(
        (
            f["lookups"]["nik"]["count"]
            for f in (results.get("layan_sqlite"), results.get("layan_pg"))
            if f and "lookups" in f
        ),
        0,
    )
    caveat = (
        ""
        if rows >= LOOKUP_TARGET_ROWS
        else f"The target is stated at {LOOKUP_TARGET_ROWS:,} rows; this run has {rows:,} "
        "(`BENCH_ROWS=10000000 make bench` measures it there)."
    )
    return "\n".join(
        [
            "## In-process lookups",
            "",
            f"{count:,} calls of `registry_lookup(office=…, user=…, nik=…)` and as many by",
            "`no_kk`, each timed alone (`perf_counter_ns`), after 1,000 untimed warm-up calls;",
            "20% of the numbers are valid but absent from the register. Every call does what",
            "the service does: the staff check, the active snapshot, the person and household",
            "reads, and the `LookupLog` row written in its own transaction (on PostgreSQL all",
            "of it one prepared statement, whose commit does not wait for the WAL flush unless",
            "`LAYAN_LOOKUP_LOG_DURABLE=1`). The raw floor is the same household read and a",
            "log-row INSERT on the bare driver (`sqlite3`, `psycopg`, a connection of its own,",
            "committed the same way), with no token, staff check or office scope: what the",
            "database itself takes for the question and its log. On PostgreSQL, the last row",
            "is the very statement Layan sends, prepared, run by PostgreSQL's own C client",
            "(`pgbench`, one connection, the same sample drawn at random): the database and",
            "the machine without Python, Django or psycopg (bench/pgbench_floor.py).",
            caveat,
            "",
            table,
        ]
    )


API_DATABASES = (("SQLite", "api"), ("PostgreSQL", "api_pg"))
API_COLUMNS = [
    "server", "requests/s", "p50 ms", "p99 ms", "requests", "non-2xx / errors", "answer bytes",
    "requests/s of each round",
]  # fmt: skip


def _api_rows(api: dict) -> list[list[str]]:
    lines = []
    for name, key in (
        ("Layan `POST /api/v1/registry/lookup`", "layan"),
        ("bare Django view, the same read (yardstick)", "bare_read"),
        ("bare Django view, no work", "bare"),
    ):
        figures = api[key]
        lines.append(
            [
                name,
                f"{figures['rps']:,.0f}",
                f"{figures['p50_ms']:.1f}",
                f"{figures['p99_ms']:.1f}",
                f"{figures['requests']:,}",
                f"{figures.get('non_2xx', 0)} / {figures.get('errors', 0)}",
                f"{figures['probe']['mean_bytes']:,}",
                " / ".join(f"{rps:,.0f}" for rps in figures.get("rounds_rps", [])),
            ]
        )
    return lines


def _api_section(results: dict) -> str:
    api = results["api"]
    load = api["settings"]
    parts = [
        "## Lookup API under load",
        "",
        f"All served by `python -m gunicorn APP --workers {load['workers']}` on loopback,",
        "side by side, and loaded in turn (Layan, then each bare view, Layan, …), "
        f"{load.get('rounds', 1)} rounds each; the",
        "table gives each one's median round, the ratios are of those medians. Load by",
        f"{api['tool']}: {load['connections']} connections, {load['threads']} "
        f"threads, {load['seconds']} s after a {load['warmup_seconds']} s warm-up, JSON bodies",
        "cycling over sampled NIKs (20% absent), Layan with a bearer token, on the",
        "database of the import above (SQLite, then PostgreSQL). The two bare views",
        "(`bench/bare_wsgi.py`) run with Layan's own settings (apps, middleware, database",
        "connection). The yardstick answers the same question the bare way: it reads the",
        "body, reads the NIK's household from the active snapshot's table with one",
        "statement through Django's cursor, and answers the rows as JSON; no token, no",
        "office scope, no log. Layan does that and also checks the token and the staff",
        "membership and commits the lookup's log row before it answers. The other bare",
        "view does no work at all (it answers JSON of the mean size of Layan's answers):",
        "its ratio shows what the whole lookup costs, the database's work included.",
        "**The machine's cores are shared by the load generator, the server and",
        "PostgreSQL**, so all figures are lower than on a separate client; the ratios are",
        "what counts.",
    ]
    for database, key in API_DATABASES:
        if key not in results:
            continue
        api_db = results[key]
        parts += [
            "",
            f"### On {database}",
            "",
            _table(API_COLUMNS, _api_rows(api_db)),
            "",
            f"Ratio Layan / bare view with the same read on {database}: "
            f"**{api_db['ratio_read']:.2f}** "
            f"(target ≥ {API_TARGET}: {_met(api_db['ratio_read'] >= API_TARGET)}); "
            f"Layan / bare view doing no work: {api_db['ratio_noop']:.2f}.",
        ]
    return "\n".join(parts)


def _memory_rows(results: dict) -> list[list[str]]:
    lines = []
    for name, figures, rows in (
        (
            "SQLite, smaller file",
            results["layan_sqlite_small"]["import"],
            results["csv_small"]["rows"],
        ),
        ("SQLite, N", results["layan_sqlite"]["import"], results["rows"]),
        ("PostgreSQL, N", results.get("layan_pg", {}).get("import"), results["rows"]),
    ):
        if figures:
            lines.append(
                [
                    name,
                    f"{rows:,}",
                    f"{figures['seconds']:.2f}",
                    _mib(figures["rss_before_kib"]),
                    _mib(figures["peak_rss_kib"]),
                    _mib(figures["peak_rss_kib"] - figures["rss_before_kib"]),
                    _mib(figures["children_peak_rss_kib"]),
                ]
            )
    return lines


def memory_verdict(big: dict, small: dict) -> tuple[bool | None, str]:
    """Whether peak memory stayed flat from the smaller file to N rows, and the growth in words."""
    growth = big["peak_rss_kib"] / small["peak_rss_kib"]
    if not small["children_peak_rss_kib"]:
        return None, (
            f"importer peak x{growth:.2f}; not comparable: the smaller file is below the size "
            "from which the importer validates in child processes, so it ran in-process"
        )
    children = big["children_peak_rss_kib"] / small["children_peak_rss_kib"]
    flat = growth <= FLAT_MEMORY and children <= FLAT_MEMORY
    return flat, f"importer peak x{growth:.2f}, largest validator child x{children:.2f}"


def _memory_section(results: dict) -> str:
    big, small = results["layan_sqlite"]["import"], results["layan_sqlite_small"]["import"]
    flat, growth = memory_verdict(big, small)
    verdict = "not judged" if flat is None else _met(flat)
    table = _table(
        ["import", "rows", "seconds", "RSS before import", "importer peak RSS",
         "peak - before", "largest validator child peak RSS"],
        _memory_rows(results),
    )  # fmt: skip
    return "\n".join(
        [
            "## Memory",
            "",
            "Peak resident memory (`VmHWM`) of the importing process (Django included), and",
            "the largest peak among its validator child processes",
            "(`getrusage(RUSAGE_CHILDREN).ru_maxrss`: the maximum over the children, not",
            "their sum; the importer starts one per core, at least two). A child holds at",
            "most `pipeline.QUEUE_CHUNKS` chunks of `importing.CHUNK_ROWS` rows waiting for",
            "the writer, so its peak rises until those queues first fill, which a small file",
            "may never do. The smaller file is therefore N/10 rows, or N/2 when N/10 is too",
            "small for the queues to fill (`bench.registry.small_rows`).",
            "",
            table,
            "",
            f"{results['rows'] / results['csv_small']['rows']:.0f} times the rows: {growth}. "
            "Memory stays flat (each within "
            f"{FLAT_MEMORY:.1f}x): {verdict}.",
        ]
    )


def _steps_section(results: dict) -> str:
    rows = [
        [entry["title"], f"{entry['seconds']:.1f}", f"{entry['load']:.2f}"]
        for entry in results.get("steps", [])
    ]
    return "\n".join(
        [
            "## Run log",
            "",
            "Wall-clock seconds of each step of the run (subprocess start, migrations and",
            "lookups included) and the 1-minute load average when it ended: a load above",
            "the number of CPUs means other work competed for them.",
            "",
            _table(["step", "seconds", "load average"], rows),
        ]
    )


def _summary(results: dict) -> str:
    rows = results["rows"]
    items = []
    for name, raw_key, layan_key in (
        ("SQLite", "raw_sqlite", "layan_sqlite"),
        ("PostgreSQL", "raw_pg", "layan_pg"),
    ):
        if raw_key in results:
            ratio = import_ratio(results[raw_key], results[layan_key])
            items.append(
                f"- Import on {name} ≥ {IMPORT_TARGET}x raw load + indexes: "
                f"{ratio:.2f}x — {_met(ratio >= IMPORT_TARGET)}"
            )
    for name, key in (("SQLite", "layan_sqlite"), ("PostgreSQL", "layan_pg")):
        nik = results.get(key, {}).get("lookups", {}).get("nik")
        if nik:
            p99 = nik["ms"]["p99"]
            at = "" if rows >= LOOKUP_TARGET_ROWS else f" (at {rows:,} rows, not 10 million)"
            floor = _floors(results[key]["lookups"])
            items.append(
                f"- NIK lookup p99 < {LOOKUP_P99_TARGET_MS} ms on {name}: {p99:.3f} ms — "
                f"{_met(p99 < LOOKUP_P99_TARGET_MS)}{at}{floor}"
            )
    flat, growth = memory_verdict(
        results["layan_sqlite"]["import"], results["layan_sqlite_small"]["import"]
    )
    verdict = "not judged" if flat is None else _met(flat)
    items.append(
        f"- Memory flat from {results['csv_small']['rows']:,} to {results['rows']:,} rows: "
        f"{growth} — {verdict}"
    )
    for database, key in API_DATABASES:
        if key in results:
            ratio = results[key]["ratio_read"]
            items.append(
                f"- Lookup API ≥ {API_TARGET}x a bare view with the same read on {database}: "
                f"{ratio:.2f}x — {_met(ratio >= API_TARGET)} (against a view doing no work: "
                f"{results[key]['ratio_noop']:.2f}x)"
            )
    return "\n".join(["## Targets", "", *items])


def _reproduce() -> str:
    return "\n".join(
        [
            "## How to reproduce",
            "",
            "```sh",
            "make bench                          # 1,000,000 rows (make bench-registry: the same)",
            "BENCH_ROWS=10000000 make bench      # 10 million rows",
            ".venv/bin/python -m bench.registry --rows 100000 --skip-postgres  # quick look",
            "```",
            "",
            "PostgreSQL is reached at `BENCH_PG_URL` (default",
            "`postgresql://postgres@127.0.0.1:5432`); the run creates and finally drops the",
            "databases `layan_bench_raw` and `layan_bench` only. Work files (the exports, kept",
            "for the next run of the same size) are under `var/bench/`. The API load uses",
            "Debian's `wrk` (installed with apt-get when missing and run as root), else",
            "`bench/load.py`.",
        ]
    )


def render(results: dict) -> str:
    """The whole document."""
    sections = [
        _header(results),
        _summary(results),
        _import_section(results),
        _lookup_section(results),
        _api_section(results),
        _memory_section(results),
        _steps_section(results),
        _reproduce(),
    ]
    return "\n\n".join(sections) + "\n"


def main() -> None:
    """Render a saved run again: `python -m bench.report [RESULTS_JSON] [OUT_MD]`."""
    import json
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else root / "var/bench/results.json"
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else root / "docs/performance.md"
    out.write_text(render(json.loads(source.read_text())))
    print(f"written {out}")


if __name__ == "__main__":
    main()
