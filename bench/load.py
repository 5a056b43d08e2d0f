"""A small HTTP/1.1 load generator on asyncio sockets, used only when wrk is missing.

`connections` clients each send the lookup bodies in turn, one request at a time,
over a kept-alive connection (reopened when the server closes it), for `seconds`.
It runs in one Python process, so it is slower than wrk and takes more of the CPU
it shares with the server: compare its figures only with its own.
"""

import asyncio
import math
import time
from pathlib import Path


def _requests(host: str, port: int, path: str, bodies: Path, token: str) -> list[bytes]:
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    made = []
    for line in bodies.read_text().splitlines():
        body = line.encode()
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
            f"{auth}Content-Length: {len(body)}\r\n\r\n"
        )
        made.append(head.encode() + body)
    return made


async def _response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one response; (status, whether the server closes the connection)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip().lower()
    closes = headers.get("connection") == "close"
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding") == "chunked":
        while size := int((await reader.readuntil(b"\r\n")).strip().split(b";")[0], 16):
            await reader.readexactly(size + 2)
        await reader.readuntil(b"\r\n")
    else:
        await reader.read()
        closes = True
    return status, closes


async def _client(host, port, requests, start, deadline, latencies, counts) -> None:
    index = start
    reader = writer = None
    while time.perf_counter() < deadline:
        if reader is None or writer is None:
            try:
                reader, writer = await asyncio.open_connection(host, port)
            except OSError:
                counts["errors"] += 1
                await asyncio.sleep(0.01)
                continue
        began = time.perf_counter_ns()
        try:
            writer.write(requests[index % len(requests)])
            status, closes = await _response(reader)
        except (OSError, asyncio.IncompleteReadError):
            counts["errors"] += 1
            writer.close()
            writer = None
            continue
        latencies.append(time.perf_counter_ns() - began)
        counts["non_2xx"] += not 200 <= status < 300
        index += 1
        if closes:
            writer.close()
            writer = None
    if writer is not None:
        writer.close()


def _quantile_ms(ordered: list[int], q: float) -> float:
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)] / 1e6 if ordered else 0.0


async def _run(host, port, requests, connections, seconds) -> dict:
    latencies: list[int] = []
    counts = {"errors": 0, "non_2xx": 0}
    began = time.perf_counter()
    deadline = began + seconds
    step = max(1, len(requests) // max(1, connections))
    await asyncio.gather(
        *(
            _client(host, port, requests, k * step, deadline, latencies, counts)
            for k in range(connections)
        )
    )
    elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "tool": "bench/load.py",
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": _quantile_ms(latencies, 0.5),
        "p99_ms": _quantile_ms(latencies, 0.99),
        **counts,
    }


def load_run(
    host: str, port: int, path: str, bodies: Path, token: str, connections: int, seconds: int
) -> dict:
    """Load http://host:port/path with the bodies for `seconds`; requests/s and latency."""
    requests = _requests(host, port, path, bodies, token)
    return asyncio.run(_run(host, port, requests, connections, seconds))
