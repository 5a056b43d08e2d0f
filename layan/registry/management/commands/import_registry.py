from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from layan.registry.importing import RegistryImportError, registry_import
from layan.registry.layouts import ColumnsMissing, LayoutError, layout_from_file
from layan.registry.models import Source

SHOWN_REJECTIONS = 20


class Command(BaseCommand):
    help = "Import a DTKS/DTSEN export (CSV or XLSX) as a new register snapshot."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--source", required=True, choices=Source.values)
        parser.add_argument("--period", required=True, help="YYYY-MM, e.g. 2026-09")
        parser.add_argument("--mapping", type=Path, help="JSON mapping for another layout")
        parser.add_argument(
            "--region", default="", help="expected region, e.g. 73.08; rows outside are rejected"
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, file: Path, source, period, mapping, region, no_progress, **opts):
        if not file.is_file():
            raise CommandError(f"{file}: berkas tidak ada")
        console = Console(stderr=True, quiet=no_progress)
        try:
            layout = layout_from_file(mapping) if mapping else None
            with Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                DownloadColumn(),
                TextColumn("{task.fields[rows]:,} baris, {task.fields[rejected]:,} ditolak"),
                TimeRemainingColumn(),
                console=console,
            ) as bar:
                task = bar.add_task(file.name, total=file.stat().st_size, rows=0, rejected=0)

                def show(p):
                    bar.update(
                        task, completed=p.bytes_read, rows=p.rows_read, rejected=p.rows_rejected
                    )

                snapshot = registry_import(
                    path=file, source=source, period=period, layout=layout,
                    region=region, progress=show,
                )  # fmt: skip
                bar.update(task, completed=file.stat().st_size)
        except (RegistryImportError, LayoutError) as exc:
            failed = getattr(exc, "snapshot", None)
            if failed is not None:
                self._rejections_show(failed)
            # The pages offer a mapping file in their form; here it is an option.
            hint = isinstance(exc, ColumnsMissing) and not mapping
            raise CommandError(
                f"{exc}{' Tata letak lain: --mapping pemetaan.json.' if hint else ''}"
            ) from exc
        self.stdout.write(
            f"Snapshot #{snapshot.pk} {snapshot} — {snapshot.get_state_display().lower()}: "
            f"{snapshot.rows_read:,} baris dibaca, {snapshot.rows_imported:,} diimpor, "
            f"{snapshot.rows_rejected:,} ditolak"
        )
        self._rejections_show(snapshot)

    def _rejections_show(self, snapshot) -> None:
        for rejection in snapshot.rejections.order_by("line")[:SHOWN_REJECTIONS]:
            self.stdout.write(
                f"  baris {rejection.line}, kolom {rejection.column or '-'} "
                f"({rejection.value!r}): {rejection.reason}"
            )
        if snapshot.rows_rejected > SHOWN_REJECTIONS:
            self.stdout.write("  … laporan lengkap: halaman register kantor (unduh CSV)")
