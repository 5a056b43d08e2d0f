"""Importing one register export as a new snapshot: streamed, validated, atomic.

The rows go into the snapshot's own table in chunks (each chunk one short
transaction, so lookups and their logs are never blocked for long), while the
snapshot stays `importing` and therefore invisible. Only when every row is in
and indexed does one transaction make it `active` and the previous one
`superseded`. A crash or kill leaves an `importing` snapshot whose process is
gone: the next import marks it failed and drops its table.
"""

import gc
import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from layan.registry import pipeline, rules, storage
from layan.registry.converting import extra_headers
from layan.registry.layouts import Layout, LayoutError, layout_for
from layan.registry.models import Rejection, Snapshot, SnapshotState, Source, period_validator
from layan.registry.rules import RowRejection
from layan.registry.scope import region_prefix
from layan.registry.selectors import active_cache_clear
from layan.registry.signals import snapshot_activated
from layan.registry.tables import PartMisaligned, file_fingerprint, table_open

logger = logging.getLogger("layan.registry")
CHUNK_ROWS = pipeline.CHUNK_ROWS
SYSTEM_FAILURE = (
    "Impor terhenti karena kesalahan sistem; berkas tidak rusak karenanya. "
    "Coba lagi, atau hubungi pengelola aplikasi bila terulang."
)
# A running import updates its heartbeat every chunk; one silent this long is dead.
STALE_AFTER = timedelta(minutes=10)
# Below this many rows read the rejection rate is not judged yet.
EARLY_JUDGE_ROWS = 10_000


class RegistryImportError(Exception):
    """An import that cannot go on; the message says why, in Bahasa Indonesia."""

    snapshot: Snapshot | None = None


class AlreadyImported(RegistryImportError):
    def __init__(self, snapshot: Snapshot):
        self.snapshot = snapshot
        super().__init__(
            f"Berkas ini sudah diimpor sebagai salinan #{snapshot.pk} "
            f"({snapshot.data_label}, {snapshot.get_state_display().lower()}); tidak diimpor lagi."
        )


@dataclass
class Progress:
    rows_read: int
    rows_rejected: int
    bytes_read: int
    bytes_total: int


ProgressCallback = Callable[[Progress], None]


def _worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _process_gone(worker: str) -> bool:
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def stale_imports_clean() -> list[int]:
    """Fail and drop snapshots left `importing` by a process that died."""
    cleaned = []
    limit = timezone.now() - STALE_AFTER
    for snapshot in Snapshot.objects.filter(state=SnapshotState.IMPORTING):
        beat = snapshot.heartbeat_at or snapshot.started_at
        if beat < limit or _process_gone(snapshot.worker):
            snapshot_fail(snapshot, "Impor terhenti di tengah jalan (proses berhenti).")
            cleaned.append(snapshot.pk)
    return cleaned


def snapshot_fail(snapshot: Snapshot, message: str) -> None:
    """Mark a snapshot failed and drop its rows; its previous snapshot stays active.

    Nothing of it is imported, whatever was written before it failed: its count says
    so, and the rows read and rejected stay for the report.
    """
    storage.table_drop(snapshot.table_name)
    snapshot.state = SnapshotState.FAILED
    snapshot.error = message
    snapshot.rows_imported = 0
    snapshot.finished_at = timezone.now()
    snapshot.save(update_fields=["state", "error", "rows_imported", "finished_at"])


def _rejection_limit() -> float:
    return float(getattr(settings, "REGISTRY_MAX_REJECTED", 0.05))


def _check_arguments(source: str, period: str, region: str) -> None:
    try:
        region_prefix(region)
    except ValueError as exc:
        raise RegistryImportError(str(exc)) from None
    if source not in Source.values:
        raise RegistryImportError(f"Sumber '{source}' tidak dikenal; pilih dtks atau dtsen.")
    try:
        period_validator(period)
    except Exception:
        raise RegistryImportError(
            f"Periode '{period}' tidak sah; tulis YYYY-MM, mis. 2026-09."
        ) from None


def _snapshot_start(*, source, period, path, fingerprint, layout, headers, office, user, region):
    try:
        with transaction.atomic():
            return Snapshot.objects.create(
                source=source,
                period=period,
                region_code=region,
                office=office,
                imported_by=user,
                file_name=path.name,
                file_sha256=fingerprint.sha256,
                file_size=fingerprint.size,
                layout=layout.name,
                extra_columns=extra_headers(layout, headers),
                heartbeat_at=timezone.now(),
                worker=_worker_id(),
            )
    except IntegrityError:
        running = Snapshot.objects.filter(
            file_sha256=fingerprint.sha256, source=source, state=SnapshotState.IMPORTING
        ).first()
        raise RegistryImportError(
            f"Berkas ini sedang diimpor (salinan #{running.pk if running else '?'})."
        ) from None


def registry_import(
    *,
    path: Path,
    source: str,
    period: str,
    layout: Layout | None = None,
    region: str = "",
    office=None,
    user=None,
    progress: ProgressCallback | None = None,
    chunk_rows: int = CHUNK_ROWS,
    parallel: bool | None = None,
) -> Snapshot:
    """Import one export file as a new snapshot and make it active when complete."""
    _check_arguments(source, period, region)
    fingerprint = file_fingerprint(path)
    done = Snapshot.objects.filter(
        source=source,
        file_sha256=fingerprint.sha256,
        state__in=[SnapshotState.ACTIVE, SnapshotState.SUPERSEDED],
    ).first()
    if done:
        raise AlreadyImported(done)
    stale_imports_clean()
    headers = _headers_of(path, fingerprint.encoding)
    layout = layout_for(headers, layout)
    snapshot = _snapshot_start(
        source=source, period=period, path=path, fingerprint=fingerprint,
        layout=layout, headers=headers, office=office, user=user, region=region,
    )  # fmt: skip
    reader = pipeline.Source(
        path, fingerprint.encoding, layout, region, chunk_rows,
        as_copy=connection.vendor == "postgresql",
    )  # fmt: skip
    try:
        regencies = _load(snapshot, reader, progress, parallel)
        _finish(snapshot, region, regencies)
    except BaseException as exc:
        # KeyboardInterrupt included: whatever stops us, nothing half-written stays.
        if isinstance(exc, RegistryImportError | LayoutError):
            reason = str(exc)
        else:  # the cause is for whoever runs the server; the page says what happened
            logger.error("Impor salinan #%s gagal: %r", snapshot.pk, exc)
            reason = SYSTEM_FAILURE
        snapshot_fail(snapshot, reason)
        if isinstance(exc, RegistryImportError):
            exc.snapshot = snapshot  # so the caller can show the rejection report
        raise
    return snapshot


def _headers_of(path: Path, encoding: str) -> list[str]:
    table = table_open(path, encoding)
    try:
        return table.headers
    finally:
        table.close()


def _load(snapshot, source: pipeline.Source, progress, parallel: bool | None) -> set[str]:
    """Write every chunk; the regency codes of the rows written."""
    # Rows are tuples of strings and ints, which form no reference cycles: the cyclic
    # garbage collector would only rescan millions of them for nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        snapshot.table_name = storage.table_name(snapshot.pk)
        snapshot.save(update_fields=["table_name"])
        storage.table_create(snapshot.table_name)
        try:
            return _chunks_write(snapshot, pipeline.chunks(source, parallel=parallel), progress)
        except PartMisaligned:
            # A stray quote misled the cutting of the file into parts: start again,
            # reading it in one piece.
            _restart(snapshot)
            return _chunks_write(snapshot, pipeline.chunks_read(source), progress)
    finally:
        if collecting:
            gc.enable()


def _restart(snapshot: Snapshot) -> None:
    """Forget every row and rejection written so far (the snapshot is still invisible)."""
    storage.table_create(snapshot.table_name)
    snapshot.rejections.all().delete()
    snapshot.rows_read = snapshot.rows_imported = snapshot.rows_rejected = 0
    snapshot.save(update_fields=["rows_read", "rows_imported", "rows_rejected"])


def _chunks_write(snapshot, chunks, progress) -> set[str]:
    size = snapshot.file_size
    regencies: set[str] = set()
    for chunk in chunks:
        _chunk_write(snapshot, chunk)
        regencies |= chunk.regencies
        if progress:
            progress(Progress(snapshot.rows_read, snapshot.rows_rejected, chunk.bytes_read, size))
        if snapshot.rows_read >= EARLY_JUDGE_ROWS:
            _judge_rejections(snapshot)
    return regencies


def _chunk_write(snapshot, chunk: pipeline.Chunk) -> None:
    with transaction.atomic():
        storage.rows_insert(snapshot.table_name, chunk.rows, copy=chunk.copy)
        _rejections_add(snapshot, chunk.rejected)
        snapshot.rows_read += chunk.count + len(chunk.rejected)
        snapshot.rows_imported += chunk.count
        snapshot.rows_rejected += len(chunk.rejected)
        snapshot.heartbeat_at = timezone.now()
        snapshot.save(update_fields=["rows_read", "rows_imported", "rows_rejected", "heartbeat_at"])


def _rejections_add(snapshot, rejected: list[RowRejection]) -> None:
    Rejection.objects.bulk_create(
        Rejection(snapshot=snapshot, line=r.line, column=r.column, value=r.value[:200],
                  reason=r.reason)
        for r in rejected
    )  # fmt: skip


def _judge_rejections(snapshot: Snapshot) -> None:
    limit = _rejection_limit()
    if snapshot.rows_read and snapshot.rows_rejected / snapshot.rows_read > limit:
        raise RegistryImportError(
            f"{snapshot.rows_rejected} dari {snapshot.rows_read} baris ditolak "
            f"({snapshot.rows_rejected / snapshot.rows_read:.1%}), melebihi batas {limit:.0%}; "
            "seluruh berkas tidak diimpor. Periksa laporan baris yang ditolak."
        )


def _finish(snapshot: Snapshot, region: str, regencies: set[str]) -> None:
    _judge_rejections(snapshot)
    if snapshot.rows_imported == 0:
        raise RegistryImportError("Tidak ada baris yang dapat diimpor.")
    duplicates = storage.indexes_build(snapshot.table_name)
    if duplicates:
        _rejections_add(snapshot, [
            rules.DUPLICATE_NIK.rejection(d.line, "nik", str(d.nik), first_line=d.first_line)
            for d in duplicates
        ])  # fmt: skip
        snapshot.rows_imported -= len(duplicates)
        snapshot.rows_rejected += len(duplicates)
    _judge_rejections(snapshot)
    if not region and duplicates:
        # A removed duplicate may have been the only row of its regency: read them again.
        regencies = set(storage.area_codes(snapshot.table_name))
    snapshot.region_code = region or _region_of(sorted(regencies))
    _activate(snapshot)


def _region_of(regencies: list[str]) -> str:
    """'73.08' for one regency, '73' for one province, '' for several provinces."""
    if len(regencies) == 1:
        return f"{regencies[0][:2]}.{regencies[0][2:4]}"
    provinces = {code[:2] for code in regencies}
    return provinces.pop() if len(provinces) == 1 else ""


def _activate(snapshot: Snapshot) -> None:
    """Make the snapshot its region's active one, unless a newer period already is."""
    with transaction.atomic():
        current = (
            Snapshot.objects.select_for_update()
            .filter(region_code=snapshot.region_code, state=SnapshotState.ACTIVE)
            .first()
        )
        newest = current is None or current.period <= snapshot.period
        if current and newest:
            current.state = SnapshotState.SUPERSEDED
            current.save(update_fields=["state"])
        snapshot.state = SnapshotState.ACTIVE if newest else SnapshotState.SUPERSEDED
        active_cache_clear()
        if newest:
            transaction.on_commit(
                lambda: snapshot_activated.send(sender=Snapshot, snapshot=snapshot)
            )
        snapshot.finished_at = timezone.now()
        snapshot.save(
            update_fields=[
                "state", "finished_at", "region_code", "rows_imported", "rows_rejected",
            ]
        )  # fmt: skip
