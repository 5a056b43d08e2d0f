from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property

from layan.core.local_time import MONTHS
from layan.offices.models import Office

period_validator = RegexValidator(
    r"^(19|20)\d{2}-(0[1-9]|1[0-2])$", "Periode berbentuk YYYY-MM, mis. 2026-09."
)


class Source(models.TextChoices):
    DTKS = "dtks", "DTKS"
    DTSEN = "dtsen", "DTSEN"


class SnapshotState(models.TextChoices):
    IMPORTING = "importing", "Sedang diimpor"
    ACTIVE = "active", "Aktif"
    SUPERSEDED = "superseded", "Digantikan"
    FAILED = "failed", "Gagal"


class Snapshot(models.Model):
    """One imported register export of a region.

    Its people live in a table of their own (`table_name`), written while the
    snapshot is `importing` and read only once it is `active`: a half-written
    import is never visible, and a failed one is dropped as a whole.
    """

    source = models.CharField("sumber", max_length=10, choices=Source.choices)
    period = models.CharField("periode", max_length=7, validators=[period_validator])
    # "73.08" (a regency), "73" (a province) or "" (national); known once read.
    region_code = models.CharField("wilayah", max_length=13, blank=True)
    office = models.ForeignKey(
        Office, on_delete=models.SET_NULL, null=True, blank=True, related_name="snapshots"
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    file_name = models.CharField("nama berkas", max_length=300)
    file_sha256 = models.CharField("SHA-256 berkas", max_length=64)
    file_size = models.BigIntegerField("ukuran berkas", default=0)
    layout = models.CharField("tata letak", max_length=40, blank=True)
    extra_columns = models.JSONField("kolom tambahan", default=list, blank=True)
    rows_read = models.PositiveIntegerField("baris dibaca", default=0)
    rows_imported = models.PositiveIntegerField("baris diimpor", default=0)
    rows_rejected = models.PositiveIntegerField("baris ditolak", default=0)
    state = models.CharField(
        "status", max_length=12, choices=SnapshotState.choices, default=SnapshotState.IMPORTING
    )
    error = models.TextField("pesan kegagalan", blank=True)
    table_name = models.CharField(max_length=63, blank=True)
    started_at = models.DateTimeField("mulai", auto_now_add=True)
    finished_at = models.DateTimeField("selesai", null=True, blank=True)
    # Heartbeat of the importing process, so a killed import can be told from a running one.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = "salinan register"
        verbose_name_plural = "salinan register"
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in SnapshotState]),
                name="snapshot_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(source__in=[s.value for s in Source]), name="snapshot_source_valid"
            ),
            # One active snapshot per region: the lookups' single source of truth.
            models.UniqueConstraint(
                fields=["region_code"],
                condition=Q(state="active"),
                name="snapshot_one_active_per_region",
            ),
            # The same file is imported once per source (serves the re-import check).
            models.UniqueConstraint(
                fields=["source", "file_sha256"],
                condition=Q(state__in=["importing", "active", "superseded"]),
                name="snapshot_file_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.period} ({self.region_code or 'nasional'})"

    @property
    def period_label(self) -> str:
        """'September 2026', as a lookup answer names its data."""
        return period_label(self.period)

    @cached_property
    def data_label(self) -> str:
        """'data DTSEN per September 2026', as a lookup answer names its data.

        Worked out once per instance: lookups share the active snapshot's instance
        (selectors.snapshot_active_for).
        """
        return f"data {self.get_source_display()} per {self.period_label}"


def period_label(period: str) -> str:
    """'2026-09' as 'September 2026'."""
    year, month = period.split("-")
    return f"{MONTHS[int(month) - 1]} {year}"


class Rejection(models.Model):
    """A row of an export that was not imported, with where and why."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="rejections")
    line = models.PositiveIntegerField("baris")
    column = models.CharField("kolom", max_length=100, blank=True)
    value = models.CharField("isi", max_length=200, blank=True)
    reason = models.CharField("alasan", max_length=300)

    class Meta:
        ordering = ["snapshot", "line"]
        verbose_name = "baris ditolak"
        verbose_name_plural = "baris ditolak"
        # Serves the rejection report: one snapshot's rejections in line order.
        indexes = [models.Index(fields=["snapshot", "line"], name="rejection_report")]

    def __str__(self) -> str:
        return f"baris {self.line}: {self.reason}"


# The lookup log's `channel`: the staff page or a program through the API.
CHANNEL_LABELS = {"web": "Halaman staf", "api": "Aplikasi (API)"}


class LookupLog(models.Model):
    """Who looked up which NIK or KK, when, at which office, for which case. Append-only."""

    # Every lookup writes a row, so the log is kept lean: one index besides its key
    # (office, -at: the office's log page, which also serves the office column), and
    # no foreign-key constraints in the database, whose checks (a locking read of the
    # office, the user and the snapshot on every insert) cost PostgreSQL a third of
    # the lookup statement (269 -> 178 µs). The ids written are those of objects
    # just read; offices and users are never deleted while they have a log
    # (PROTECT, enforced by Django), and snapshots are never deleted at all.
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="lookups", db_index=False,
        db_constraint=False,
    )  # fmt: skip
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, db_index=False, db_constraint=False
    )
    nik = models.CharField("NIK", max_length=16, blank=True)
    no_kk = models.CharField("No KK", max_length=16, blank=True)
    snapshot = models.ForeignKey(
        Snapshot, on_delete=models.SET_NULL, null=True, blank=True, db_index=False,
        db_constraint=False,
    )  # fmt: skip
    found = models.BooleanField("ditemukan", default=False)
    case_ref = models.CharField("perkara", max_length=40, blank=True)
    channel = models.CharField("saluran", max_length=10, default="web")
    at = models.DateTimeField("waktu", auto_now_add=True, db_index=False)

    class Meta:
        ordering = ["-at"]
        verbose_name = "log pencarian"
        verbose_name_plural = "log pencarian"
        # Serves the office's lookup log page, newest first.
        indexes = [models.Index(fields=["office", "-at"], name="lookup_log_by_office")]

    def __str__(self) -> str:
        return f"{self.user} {self.nik or self.no_kk} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("Log pencarian tidak boleh diubah.")
        super().save(*args, **kwargs)

    @property
    def channel_label(self) -> str:
        """Where the lookup was made, as the log page names it."""
        return CHANNEL_LABELS.get(self.channel, self.channel)


class UploadState(models.TextChoices):
    QUEUED = "queued", "Menunggu"
    RUNNING = "running", "Sedang diimpor"
    DONE = "done", "Selesai"
    FAILED = "failed", "Gagal"


class Upload(models.Model):
    """A register file uploaded by an office admin, imported in the background."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="uploads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    file = models.FileField(upload_to="registry/uploads/", max_length=300)
    original_name = models.CharField("nama berkas", max_length=300)
    source = models.CharField("sumber", max_length=10, choices=Source.choices)
    period = models.CharField("periode", max_length=7, validators=[period_validator])
    mapping = models.JSONField("pemetaan", null=True, blank=True)
    state = models.CharField(
        "status", max_length=10, choices=UploadState.choices, default=UploadState.QUEUED
    )
    snapshot = models.ForeignKey(Snapshot, on_delete=models.SET_NULL, null=True, blank=True)
    message = models.TextField("pesan", blank=True)
    bytes_total = models.BigIntegerField(default=0)
    bytes_read = models.BigIntegerField(default=0)
    rows_read = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField("diunggah", auto_now_add=True)
    finished_at = models.DateTimeField("selesai", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "unggahan register"
        verbose_name_plural = "unggahan register"
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in UploadState]), name="upload_state_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_state_display()})"

    @property
    def percent(self) -> int:
        if self.state == UploadState.DONE:
            return 100
        return int(100 * self.bytes_read / self.bytes_total) if self.bytes_total else 0
