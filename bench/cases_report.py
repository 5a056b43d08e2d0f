"""The cases section of docs/performance.md from one run of bench.cases.

Only the text between BEGIN and END is bench.cases' own (`bench.sections` puts it
in place; the rest of the file stays as it is).
"""

from collections.abc import Iterable

BEGIN = "<!-- cases:begin -->"
END = "<!-- cases:end -->"
NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
ORDER = (
    "queue_mine",
    "queue_all",
    "queue_search",
    "queue_finished",
    "queue_finished_search",
    "api_list",
    "api_read",
)
QUERY_ROWS = {
    "queue_mine": "work queue, Langkah saya (50 rows)",
    "queue_all": "work queue, ?tab=semua (50 rows)",
    "queue_search": "work queue, ?tab=semua, searched by name (50 rows)",
    "queue_finished": "work queue, ?tab=selesai (50 rows)",
    "queue_finished_search": "work queue, ?tab=selesai, searched by name (50 rows)",
    "api_list": "API case list (limit=50)",
    "api_read": "API case read, an open case",
    "api_read_ended": "API case read, an ended case",
}


def _table(header: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    header = list(header)
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _met(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


def _loads(loads) -> str:
    return ", ".join(f"{x:.2f}" for x in loads) if loads else "-"


def _path(result: dict, key: str) -> str:
    if key == "api_read":
        return "`GET /api/v1/cases/{id}`"
    return f"`GET {result['queries'][key]['path']}`"


def _header(results: dict) -> list[str]:
    machine = results["machine"]
    settings = results["settings"]
    cpus = machine["cpus"] or 0
    lines = [
        f"## Work queue and case API at {results['cases']:,} cases",
        "",
        "Written by `make bench-cases` (`bench/cases.py`), which rewrites only this section.",
        "Figures, not assertions: no test times anything.",
        "",
        f"- Date: {results['date']} (whole run {results.get('total_seconds', 0) / 60:.1f} min)",
        f"- Machine: {machine['cpus']} CPUs ({machine['cpu_model']}), "
        f"{machine['memory_gib']} GiB RAM; Python {machine['python']}, "
        f"SQLite {machine['sqlite']}, PostgreSQL {machine['postgresql'] or '(skipped)'}",
        f"- Load average at start / end: {_loads(machine.get('load_start'))} / "
        f"{_loads(machine.get('load_end'))}",
        f"- Cases: {results['cases']:,} over the five seed offices (equally busy) and their "
        f"services; {settings['open_share']:.0%} open, {settings['waiting_share']:.0%} of "
        "those paused; 2-8 step records each",
        f"- Load: gunicorn `layan.wsgi:application --workers {settings['workers']}` on "
        f"loopback, wrk with {settings['connections']} connections and "
        f"{settings['threads']} threads, {settings['seconds']} s per URL after "
        f"{settings['warmup_seconds']} s of warm-up, one URL at a time. **Server and load "
        "generator share the machine's CPUs.**",
    ]
    peak = max(
        [s["load"] for s in results.get("steps", [])]
        + [w["load_end"] for db in results["databases"].values() for w in db["wrk"].values()],
        default=0.0,
    )
    if cpus and peak > cpus + 1:
        lines += [
            "",
            f"> **Provisional:** the 1-minute load average reached {peak:.1f} on {cpus} CPUs "
            "during this run, with wrk and gunicorn using about 2 of them: other work "
            "competed for the CPUs, so latencies are longer and noisier than on an idle "
            "machine.",
        ]
    return lines


def _targets(results: dict) -> list[str]:
    target = results["settings"]["target_p95_ms"]
    lines = ["", "### Target: p95 < 100 ms", ""]
    for kind, result in results["databases"].items():
        for key in ORDER:
            figures = result["wrk"][key]
            lines.append(
                f"- {NAMES[kind]}, {figures['label']}: p95 {figures['p95_ms']:.1f} ms — "
                f"{_met(figures['p95_ms'] < target)}"
            )
    return lines


def _under_load(results: dict) -> list[str]:
    rows = []
    for kind, result in results["databases"].items():
        for key in ORDER:
            f = result["wrk"][key]
            rows.append(
                [
                    f"{f['label']}<br>{_path(result, key)}",
                    NAMES[kind],
                    f"{f['rps']:,.1f}",
                    f"{f['p50_ms']:.1f}",
                    f"{f['p95_ms']:.1f}",
                    f"{f['p99_ms']:.1f}",
                    f"{f['requests']:,}",
                    f"{f['non_2xx']} / {f['errors']}",
                    f"{f['bytes_per_request']:,}",
                ]
            )
    first = next(iter(results["databases"].values()))["targets"]
    return [
        "",
        "### Under load",
        "",
        f"Office `{first['office']}` ({first['office_cases']:,} cases, "
        f"{first['office_open']:,} open), the office with the busiest queue; signed in as "
        f"`{first['username']}` (role {first['role']}, {first['mine_open']:,} open cases at "
        "its steps). The pages by session cookie (signed in through the login form), the "
        f"API by bearer token of the same officer. Case reads cycle over {first['read_ids']:,} "
        "random ids of the office's cases. Every URL was checked before and after the load: "
        "200, and 50 rows on the queue pages and the list.",
        "",
        _table(
            [
                "URL",
                "database",
                "requests/s",
                "p50 ms",
                "p95 ms",
                "p99 ms",
                "requests",
                "non-2xx / errors",
                "bytes",
            ],
            rows,
        ),
    ]


def _queries(results: dict) -> list[str]:
    kinds = list(results["databases"])
    rows = []
    for key, label in QUERY_ROWS.items():
        rows.append(
            [label]
            + [
                f"{results['databases'][k]['queries'][key]['warm']} "
                f"({results['databases'][k]['queries'][key]['cold']} cold)"
                for k in kinds
            ]
        )
    lines = [
        "",
        "### SQL queries per request",
        "",
        "Counted in-process (Django's test `Client`, `CaptureQueriesContext`) on the loaded "
        "database: the second request to each URL, as a warm worker serves it (in brackets "
        "the first, which also fills the process's caches). Session, user and token reads "
        "included.",
        "",
        _table(["request"] + [NAMES[k] for k in kinds], rows),
    ]
    repeated = []
    first = results["databases"][kinds[0]]["queries"]
    for key, label in QUERY_ROWS.items():
        for shape in first[key]["repeated"]:
            repeated.append(
                [label, str(shape["count"]), f"`{shape['sql']}`", f"`{shape['caller']}`"]
            )
    if repeated:
        lines += [
            "",
            f"Queries sent 3 times or more in one request ({NAMES[kinds[0]]}; literals "
            "replaced by `?`), with the Layan functions that sent them, innermost first: "
            "per-row queries (N+1) show here.",
            "",
            _table(["request", "times", "query", "sent by"], repeated),
        ]
    else:
        lines += ["", "No query is sent 3 times or more in one request (no N+1)."]
    return lines


def _load(results: dict) -> list[str]:
    rows = []
    for kind, result in results["databases"].items():
        load = result["load"]
        states = ", ".join(f"{state} {n:,}" for state, n in sorted(load["states"].items()))
        rows.append(
            [
                NAMES[kind],
                f"{load['cases']:,}",
                f"{load['records']:,}",
                f"{load['referrals']:,}",
                f"{load['seconds']:.1f}",
                f"{load['generate_seconds']:.1f}",
                f"{load['cases'] / load['seconds']:,.0f}",
                f"{result['seed_seconds']:.1f}",
                states,
                f"{load['overdue']:,}",
            ]
        )
    return [
        "",
        "### Loading the cases",
        "",
        "`bulk_create` of `Case`, `StepRecord` and `Referral` rows in batches of 2,000 "
        "cases, one transaction each, after the seed offices, services, cuti bersama days "
        "and one account per role per office. Each case follows a random path through its "
        "service's steps (the usual outcome 85% of the time), so states, steps, roles, "
        "records and referrals are what the engine would have written; deadlines and "
        "working minutes come from the office's calendar. Most seed steps state no standard "
        "time: open cases on such steps get 1 working day, so every running case has a "
        "step deadline. Seconds include generating the rows in Python (its share in its own "
        "column). PostgreSQL is `ANALYZE`d after the load, as autovacuum would soon do; "
        "SQLite is not (Layan never runs ANALYZE).",
        "",
        _table(
            [
                "database",
                "cases",
                "step records",
                "referrals",
                "load s",
                "of which generating s",
                "cases/s",
                "seed + staff s",
                "states",
                "overdue",
            ],
            rows,
        ),
    ]


def _steps(results: dict) -> list[str]:
    rows = [[s["title"], f"{s['seconds']:.1f}", f"{s['load']:.2f}"] for s in results["steps"]]
    return [
        "",
        "### Run log",
        "",
        _table(["step", "seconds", "load average"], rows),
    ]


def _reproduce() -> list[str]:
    return [
        "",
        "### How to reproduce",
        "",
        "```sh",
        "make bench-cases                   # 100,000 cases, SQLite and PostgreSQL",
        "BENCH_CASES=20000 make bench-cases",
        ".venv/bin/python -m bench.cases --cases 5000 --skip-postgres --seconds 5  # quick look",
        "```",
        "",
        "PostgreSQL is reached at `BENCH_PG_URL` (default `postgresql://postgres@127.0.0.1:5432`);",
        "the run creates and finally drops the database `layan_bench_cases` only. The SQLite",
        "database lives in `var/bench/cases-sqlite/` during the run (`--keep-work` keeps it);",
        "figures go to `var/bench/cases-results.json` too. Needs `wrk` (Debian's package).",
    ]


def render(results: dict) -> str:
    """The section, markers included."""
    lines = [
        BEGIN,
        *_header(results),
        *_targets(results),
        *_under_load(results),
        *_queries(results),
        *_load(results),
        *_steps(results),
        *_reproduce(),
        END,
    ]
    return "\n".join(lines) + "\n"
