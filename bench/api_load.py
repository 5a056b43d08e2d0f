"""The lookup API under concurrent load, against bare Django views served the same way.

All are served by `python -m gunicorn APP --workers 2` on loopback and loaded by
wrk (Debian's package, installed on the fly when missing and we are root) with
bench/lookup.lua, or by bench/load.py when wrk cannot be had. Same bodies, same
connections, same duration, after the same warm-up.
"""

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LUA_SCRIPT = ROOT / "bench" / "lookup.lua"
LOOKUP_PATH = "/api/v1/registry/lookup"
READY_SECONDS = 60


@dataclass
class LoadSettings:
    """How hard and how long: the same for Layan and for the bare view."""

    connections: int = 8
    threads: int = 2
    seconds: int = 10
    warmup_seconds: int = 2
    workers: int = 2
    rounds: int = 3


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_ready(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped (exit {process.returncode}); see {log}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not listen on port {port}; see {log}")


@contextmanager
def gunicorn_serving(app: str, env: dict, workers: int, log: Path) -> Iterator[int]:
    """Serve the WSGI `app` with gunicorn on a free loopback port; yield the port."""
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", app, "--workers", str(workers),
        "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
    ]  # fmt: skip
    with log.open("w") as output:
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=output, stderr=output)
        try:
            _wait_ready(port, process, log)
            yield port
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def probe(port: int, bodies: list[str], token: str, count: int = 200) -> dict:
    """Send `count` requests one by one: statuses, mean answer size, share found."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    statuses: dict[int, int] = {}
    sizes = found = 0
    for body in bodies[:count]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request("POST", LOOKUP_PATH, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        statuses[response.status] = statuses.get(response.status, 0) + 1
        sizes += len(data)
        if response.status == 200:
            found += bool(json.loads(data).get("found"))
    sent = min(count, len(bodies))
    return {"statuses": statuses, "mean_bytes": sizes // sent, "found_share": found / sent}


def wrk_find() -> str | None:
    """wrk's path; when missing and we are root, install Debian's package first."""
    if shutil.which("wrk"):
        return shutil.which("wrk")
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "wrk"]
        if subprocess.run(install, env=env, capture_output=True).returncode != 0:
            subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True)
            subprocess.run(install, env=env, capture_output=True)
    return shutil.which("wrk")


def _wrk_run(wrk: str, port: int, bodies: Path, token: str, load: LoadSettings, seconds: int):
    command = [
        wrk, "-t", str(load.threads), "-c", str(load.connections), "-d", f"{seconds}s",
        "--latency", "-s", str(LUA_SCRIPT), f"http://127.0.0.1:{port}{LOOKUP_PATH}",
        "--", str(bodies), token,
    ]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(x for x in output.splitlines() if x.startswith("BENCH_JSON "))
    figures = json.loads(line.removeprefix("BENCH_JSON "))
    seconds_run = figures["duration_us"] / 1e6
    return {
        "tool": "wrk",
        "requests": figures["requests"],
        "rps": figures["requests"] / seconds_run,
        "p50_ms": figures["p50_us"] / 1e3,
        "p99_ms": figures["p99_us"] / 1e3,
        "errors": sum(figures[k] for k in ("connect_errors", "read_errors", "write_errors"))
        + figures["timeouts"],
        "non_2xx": figures["status_errors"],
        "bytes_per_request": figures["bytes"] // max(1, figures["requests"]),
    }


def _python_run(port: int, bodies: Path, token: str, load: LoadSettings, seconds: int):
    from bench.load import load_run

    return load_run("127.0.0.1", port, LOOKUP_PATH, bodies, token, load.connections, seconds)


def measure(port: int, bodies: Path, token: str, load: LoadSettings, wrk: str | None) -> dict:
    """Warm up, then load the server for load.seconds; requests/s and latency."""
    if wrk:
        _wrk_run(wrk, port, bodies, token, load, load.warmup_seconds)
        return _wrk_run(wrk, port, bodies, token, load, load.seconds)
    _python_run(port, bodies, token, load, load.warmup_seconds)
    return _python_run(port, bodies, token, load, load.seconds)


# The yardsticks: the bare view answering at once, and answering the same question
# the bare way (bench/bare_wsgi.py).
BARE_SERVERS = {"bare": {}, "bare_read": {"BENCH_BARE_READ": "1"}}


def api_compare(layan_env: dict, bodies: Path, token: str, load: LoadSettings, logs: Path):
    """Layan's lookup API and the two bare views, each served and loaded the same way.

    All servers run side by side (those not under load idle) and are loaded in
    turn, load.rounds times each: a neighbour's burst on a shared machine then
    lands on all of them, and the round of median requests/s of each is reported.
    """
    wrk = wrk_find()
    sample = bodies.read_text().splitlines()
    with ExitStack() as servers:
        layan_port = servers.enter_context(
            gunicorn_serving(
                "layan.wsgi:application", layan_env, load.workers, logs / "gunicorn-layan.log"
            )
        )
        layan_probe = probe(layan_port, sample, token)
        if set(layan_probe["statuses"]) != {200}:
            raise RuntimeError(f"Layan's lookup API answered {layan_probe['statuses']}")
        ports, probes = {"layan": layan_port}, {"layan": layan_probe}
        for name, extra in BARE_SERVERS.items():
            env = {**layan_env, **extra, "BENCH_BARE_BYTES": str(layan_probe["mean_bytes"])}
            log = logs / f"gunicorn-{name}.log"
            ports[name] = servers.enter_context(
                gunicorn_serving("bench.bare_wsgi:application", env, load.workers, log)
            )
            probes[name] = probe(ports[name], sample, "")
        rounds: dict[str, list[dict]] = {name: [] for name in ports}
        for _ in range(load.rounds):
            for name, port in ports.items():
                key = token if name == "layan" else ""
                rounds[name].append(measure(port, bodies, key, load, wrk))
    figures = {
        name: {**_median_round(runs), "probe": probes[name], "rounds_rps": [r["rps"] for r in runs]}
        for name, runs in rounds.items()
    }
    layan = figures["layan"]["rps"]
    return {
        **figures,
        "ratio_read": layan / figures["bare_read"]["rps"] if figures["bare_read"]["rps"] else 0.0,
        "ratio_noop": layan / figures["bare"]["rps"] if figures["bare"]["rps"] else 0.0,
        "tool": "wrk" if wrk else "bench/load.py",
        "settings": load.__dict__,
    }


def _median_round(rounds: list[dict]) -> dict:
    return sorted(rounds, key=lambda r: r["rps"])[len(rounds) // 2]
