"""Reading and validating an export in chunks, in this process or in child processes.

Validation is the costly half of an import, so a large file is validated by
child processes while this process writes to the database. Each child parses
the whole file (the cheap half, in C) but validates only its share of the
chunks (every n-th); this process takes the chunks back in file order. The
children touch no database; bounded queues keep memory flat.
"""

import multiprocessing
import os
import queue
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from layan.registry.converting import converter_build
from layan.registry.layouts import Layout
from layan.registry.tables import table_open

# Files smaller than this are read in-process: a second process costs more than it saves.
PARALLEL_FROM_BYTES = 8_000_000
QUEUE_CHUNKS = 4
# Rows per chunk: per transaction of the writer, per hand-over from a child.
CHUNK_ROWS = 20_000
CHILD_WAIT_SECONDS = 600


@dataclass
class Chunk:
    rows: list[tuple]
    rejected: list[tuple]
    bytes_read: int
    # For PostgreSQL: the rows already in COPY text format (then `rows` is empty).
    copy: bytes | None = None
    count: int = -1
    # Regency codes (4 digits) of the stored rows: the snapshot's region, without a scan.
    regencies: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        if self.count < 0:
            self.count = len(self.rows)


@dataclass(frozen=True)
class Source:
    """What a reader needs to produce chunks; picklable, for the child processes."""

    path: Path
    encoding: str
    layout: Layout
    region: str
    chunk_rows: int
    # Produce PostgreSQL COPY text instead of tuples (formatting done by the readers).
    as_copy: bool = False


def chunks_read(source: Source, share: int = 0, shares: int = 1) -> Iterator[Chunk]:
    """Converted rows and rejections of a file, a chunk at a time.

    With `shares` > 1 only chunks number share, share + shares, … are validated
    and yielded; the others are read past.
    """
    table = table_open(source.path, source.encoding)
    try:
        regencies: set[str] = set()
        convert = converter_build(
            source.layout, table.headers, region=source.region, as_copy=source.as_copy,
            regencies=regencies,
        )  # fmt: skip
        size = source.chunk_rows
        mine = share == 0
        rows: list = []
        rejected: list[tuple] = []
        count = number = 0
        for line, values in table.rows():
            if mine:
                result = convert(line, values)
                if len(result) == 4:
                    rejected.append(result)
                else:
                    rows.append(result)
            count += 1
            if count == size:
                if mine:
                    yield _chunk(source, rows, rejected, table.position(), regencies)
                    rows, rejected = [], []
                    regencies.clear()
                count = 0
                number += 1
                mine = number % shares == share
        if mine:
            yield _chunk(source, rows, rejected, table.size, regencies)
    finally:
        table.close()


def _chunk(source: Source, rows: list, rejected: list[tuple], position: int, regencies) -> Chunk:
    if source.as_copy:  # rows are COPY lines already
        return Chunk([], rejected, position, copy="".join(rows).encode(), count=len(rows),
                     regencies=set(regencies))  # fmt: skip
    return Chunk(rows, rejected, position, regencies=set(regencies))


def _produce(source: Source, share: int, shares: int, out: multiprocessing.Queue) -> None:
    """Child process: read, validate its share, hand chunks over; errors travel as messages."""
    import gc

    gc.disable()  # tuples of strings and ints: nothing for the cycle collector to find
    parent = os.getppid()
    try:
        for chunk in chunks_read(source, share, shares):
            _hand_over(out, chunk, parent)
    except ParentGone:
        return
    except BaseException as exc:  # anything, so the parent never waits forever
        out.put(RuntimeError(f"Pembacaan berkas gagal: {exc!r}"))
        return
    _hand_over(out, None, parent)


class ParentGone(Exception):
    """The importing process died (e.g. killed): its children stop too."""


def _hand_over(out: multiprocessing.Queue, item, parent: int) -> None:
    while True:
        try:
            out.put(item, timeout=1)
            return
        except queue.Full:
            if os.getppid() != parent:
                raise ParentGone from None


def chunks_parallel(source: Source, shares: int = 2) -> Iterator[Chunk]:
    """Like chunks_read, validated by `shares` child processes, in file order."""
    context = multiprocessing.get_context("spawn")
    queues = [context.Queue(maxsize=QUEUE_CHUNKS) for _ in range(shares)]
    children = [
        context.Process(target=_produce, args=(source, k, shares, queues[k]), daemon=True)
        for k in range(shares)
    ]
    for child in children:
        child.start()
    try:
        # Chunk n comes from child n % shares; a child's None means it has no more.
        finished = 0
        turn = 0
        while finished < shares:
            item = _next_from(queues[turn % shares])
            turn += 1
            if item is None:
                finished += 1
                continue
            yield item
    finally:
        for child in children:
            if child.is_alive():
                child.terminate()
            child.join(timeout=10)
        for out in queues:
            out.close()


def _next_from(out: multiprocessing.Queue) -> Chunk | None:
    try:
        item = out.get(timeout=CHILD_WAIT_SECONDS)
    except queue.Empty:
        raise RuntimeError("Proses pembaca berkas tidak menjawab.") from None
    if isinstance(item, Exception):
        raise item
    return item


def chunks(source: Source, *, parallel: bool | None = None) -> Iterator[Chunk]:
    """Chunks of a file, validated by child processes when the file is large enough."""
    cores = os.cpu_count() or 1
    if parallel is None:
        parallel = cores > 1 and source.path.stat().st_size >= PARALLEL_FROM_BYTES
    return chunks_parallel(source, shares=max(cores, 2)) if parallel else chunks_read(source)
