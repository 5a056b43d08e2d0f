"""Reading and validating an export in chunks, in this process or in child processes.

Parsing and validation are the costly half of an import, so a large file is
cut into parts (runs of whole rows, tables.Part) and child processes each parse
and validate every n-th part, while this process writes to the database and
takes the parts back in file order. The children touch no database; bounded
queues keep memory flat.
"""

import ctypes
import multiprocessing
import os
import queue
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from layan.registry.converting import Converter, converter_build
from layan.registry.layouts import Layout
from layan.registry.rules import RowRejection
from layan.registry.tables import CsvTable, Part, PartMisaligned, Table, parts_ahead, table_open

if TYPE_CHECKING:
    from layan.registry.columnar import ColumnarConverter

# Files smaller than this are read in-process: a second process costs more than it saves.
PARALLEL_FROM_BYTES = 8_000_000
QUEUE_CHUNKS = 4
# Rows per chunk: per transaction of the writer, per hand-over from a child.
CHUNK_ROWS = 20_000
# A CSV is cut into parts of at most about a chunk (a register export has ~190
# bytes a row), so that a part makes one chunk.
ROW_BYTES = 150
CHILD_WAIT_SECONDS = 600
# A part is read whole by the columnar converter only up to this size (memory stays flat).
COLUMNAR_MAX_BYTES = 4 * CHUNK_ROWS * ROW_BYTES


@dataclass
class Chunk:
    rows: list[tuple]
    rejected: list[RowRejection]
    bytes_read: int
    # For PostgreSQL: the rows already in COPY text format (then `rows` is empty).
    copy: bytes | None = None
    count: int = -1
    # Regency codes (4 digits) of the stored rows: the snapshot's region, without a scan.
    regencies: set[str] = field(default_factory=set)
    # The last chunk of its part: the next chunk comes from the next part's reader.
    part_end: bool = False

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

    @property
    def part_bytes(self) -> int:
        return self.chunk_rows * ROW_BYTES


def chunks_read(
    source: Source, share: int = 0, shares: int = 1, dealt: Iterator[Part] | None = None
) -> Iterator[Chunk]:
    """Converted rows and rejections of a file, a chunk at a time.

    With `shares` > 1 only parts number share, share + shares, … are read: those
    `dealt`, or else those of the file's own cutting. The last chunk of each part
    says so.
    """
    table = table_open(source.path, source.encoding)
    try:
        regencies: set[str] = set()
        convert = converter_build(
            source.layout, table.headers, region=source.region, as_copy=source.as_copy,
            regencies=regencies,
        )  # fmt: skip
        if shares == 1:
            yield from _part_chunks(source, table, None, convert, regencies)
            return
        if dealt is None:
            parts = table.parts(part_bytes=source.part_bytes, part_rows=source.chunk_rows)
            dealt = (part for number, part in enumerate(parts) if number % shares == share)
        columnar = _columnar_for(source, table, convert, regencies)
        for part in dealt:
            if columnar is not None and (chunk := columnar(part)):
                yield chunk
            else:
                yield from _part_chunks(source, table, part, convert, regencies)
    finally:
        table.close()


def _columnar_for(
    source: Source, table: Table, convert: Converter, regencies: set[str]
) -> Callable[[Part], Chunk | None] | None:
    """The columnar road for the parts of this file (_part_columnar), when it can read them.

    For COPY text (PostgreSQL) from a CSV; SQLite's executemany wants a tuple a row,
    which Arrow would have to hand back as Python objects, one by one.
    """
    if not (source.as_copy and isinstance(table, CsvTable)):
        return None
    # Imported here: Arrow is loaded only by the processes that read by columns (a
    # PostgreSQL import's validator children), not by every web worker.
    from layan.registry.columnar import ColumnarConverter

    columnar = ColumnarConverter(
        source.layout, table.headers, delimiter=table.delimiter, encoding=source.encoding,
        region=source.region, convert=convert, regencies=regencies,
    )  # fmt: skip
    if not columnar.usable:
        return None
    return partial(_part_columnar, columnar, table, regencies=regencies)


def _part_columnar(
    columnar: "ColumnarConverter", table: CsvTable, part: Part, regencies: set[str]
) -> Chunk | None:
    """The part as one chunk, validated by columns; None when it must go row by row."""
    if part.end - part.start > COLUMNAR_MAX_BYTES:
        return None  # a part misled by a stray quote: read it through csv, a block at a time
    header = part.start == 0
    done = columnar.part(table.part_data(part), part.lines_before + header + 1, header=header)
    if done is None:
        return None
    copy, count, rejected = done
    chunk = Chunk([], rejected, table.position(), copy=copy, count=count,
                  regencies=set(regencies), part_end=True)  # fmt: skip
    regencies.clear()
    return chunk


def _part_chunks(
    source: Source, table: Table, part: Part | None, convert: Converter, regencies: set[str]
) -> Iterator[Chunk]:
    """The chunks of one part (of the whole file when None); at least one, the last marked."""
    size = source.chunk_rows
    rows: list = []
    rejected: list[RowRejection] = []
    count = 0
    for line, values in table.rows(part):
        result = convert(line, values)
        if isinstance(result, RowRejection):
            rejected.append(result)
        else:
            rows.append(result)
        count += 1
        if count == size:
            yield _chunk(source, rows, rejected, table.position(), regencies)
            rows, rejected = [], []
            regencies.clear()
            count = 0
    last = _chunk(source, rows, rejected, table.position(), regencies)
    regencies.clear()
    last.part_end = True
    yield last


def _chunk(
    source: Source, rows: list, rejected: list[RowRejection], position: int, regencies
) -> Chunk:
    if source.as_copy:  # rows are COPY lines already
        return Chunk([], rejected, position, copy="".join(rows).encode(), count=len(rows),
                     regencies=set(regencies))  # fmt: skip
    return Chunk(rows, rejected, position, regencies=set(regencies))


def _produce(
    source: Source,
    share: int,
    shares: int,
    out: multiprocessing.Queue,
    parent: int,
    dealt: "multiprocessing.Queue | None",
) -> None:
    """Child process: read, validate its share, hand chunks over; errors travel as messages.

    `dealt`: where the importer sends the parts this child reads (None: the child
    cuts the file itself and takes every shares-th part).
    """
    import gc

    _die_with(parent)
    gc.disable()  # tuples of strings and ints: nothing for the cycle collector to find
    try:
        parts = _parts_received(dealt, parent) if dealt is not None else None
        for chunk in chunks_read(source, share, shares, parts):
            _hand_over(out, chunk, parent)
    except ParentGone:
        out.cancel_join_thread()  # what is still unsent has no reader: drop it
        return
    except PartMisaligned as exc:  # the importer reads the file again in one piece
        out.put(exc)
        return
    except BaseException as exc:  # anything, so the parent never waits forever
        out.put(RuntimeError(f"Pembacaan berkas gagal: {exc!r}"))
        return
    _hand_over(out, None, parent)


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _die_with(parent: int) -> None:
    """Have Linux kill this child as soon as the importing process dies, however it dies.

    Left alone, a child whose last chunk waits in a full pipe waits forever: the
    pipe's reading end is open in the child too, so the write never fails, and
    exiting waits for it (and the resource tracker waits for the child). Where
    prctl is missing, _hand_over's check of the parent is what stops the child.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # it died before the request was made
        os._exit(1)


class ParentGone(Exception):
    """The importing process died (e.g. killed): its children stop too."""


def _parts_received(dealt: multiprocessing.Queue, parent: int) -> Iterator[Part]:
    """The parts the importer deals this child, until its None; its error is raised here."""
    while True:
        try:
            part = dealt.get(timeout=1)
        except queue.Empty:
            if os.getppid() != parent:
                raise ParentGone from None
            continue
        if part is None:
            return
        if isinstance(part, Exception):
            raise part
        yield part


def _parts_deal(parts: Iterator[Part], dealt: list[multiprocessing.Queue], stop: threading.Event):
    """Importer's thread: cut the CSV into parts and send part n to child n % shares.

    Every child cut the whole file for itself before: a scan of all its bytes,
    about a tenth of a child's work. Cut once here, in a thread of the process
    that mostly waits for the children, the parts reach them as they are found.
    """
    try:
        for number, part in enumerate(parts):
            if stop.is_set():
                return  # the import ended early: nobody reads these any more
            dealt[number % len(dealt)].put(part)
        ends: list[Exception | None] = [None] * len(dealt)
    except Exception as exc:  # an unreadable file: each child fails the import with it
        ends = [RuntimeError(f"Pembagian berkas gagal: {exc!r}")] * len(dealt)
    for out, end in zip(dealt, ends, strict=True):
        try:
            out.put(end)
        except ValueError:  # closed: the import already ended
            return


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
    # A CSV's parts are cut here and dealt to the children (unbounded queues: a part
    # is a few numbers); a sheet's, by each child from its own reading.
    parts = parts_ahead(source.path, source.part_bytes)
    to_deal = [context.Queue() for _ in range(shares)] if parts is not None else []
    dealt = [to_deal[k] if to_deal else None for k in range(shares)]  # None: cut by the child
    children = [
        context.Process(
            target=_produce,
            args=(source, k, shares, queues[k], os.getpid(), dealt[k]),
            daemon=True,
        )
        for k in range(shares)
    ]
    for child in children:
        child.start()
    stop = threading.Event()
    if parts is not None:
        threading.Thread(target=_parts_deal, args=(parts, to_deal, stop), daemon=True).start()
    try:
        # Part n comes from child n % shares (dealt so, or so taken from each child's
        # own cutting), so the first child with no part n (its None) means there is none.
        number = 0
        while (item := _next_from(queues[number % shares], children[number % shares])) is not None:
            yield item
            number += item.part_end
    finally:
        stop.set()
        for child in children:
            if child.is_alive():
                child.terminate()
            child.join(timeout=10)
        for out in queues:
            out.close()
        for out in to_deal:
            out.cancel_join_thread()  # parts no child will read: drop them
            out.close()


def _next_from(out: multiprocessing.Queue, child) -> Chunk | None:
    """The child's next item; a child that died (killed, out of memory) fails the import at once."""
    waited = 0
    while True:
        try:
            item = out.get(timeout=1)
            break
        except queue.Empty:
            waited += 1
            if not child.is_alive():
                raise RuntimeError(
                    f"Proses pembaca berkas berhenti tiba-tiba (kode keluar {child.exitcode})."
                ) from None
            if waited >= CHILD_WAIT_SECONDS:
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
