import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from layan.catalogue.models import Service, ServiceVersion
from layan.offices.models import Office
from layan.registry.models import Snapshot

# Tracking codes are read aloud over the counter and the phone: no 0/O, 1/I/L,
# 2/Z, 5/S, 8/B, U/V pairs. 24 symbols, 8 of them: 24**8 ~ 1.1e11, not guessable.
TRACKING_ALPHABET = "34679ACDEFGHJKMNPQRTWXY"
TRACKING_LENGTH = 8


def tracking_code_new() -> str:
    """A fresh code like 'K7QD-3MXA', grouped in fours for reading aloud."""
    raw = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


class CaseState(models.TextChoices):
    OPEN = "berjalan", "Berjalan"
    WAITING = "menunggu", "Menunggu pemohon/pihak lain"
    DONE = "selesai", "Selesai"
    REJECTED = "ditolak", "Ditolak"
    REFERRED = "dirujuk", "Dirujuk"


OPEN_STATES = [CaseState.OPEN, CaseState.WAITING]
END_STATES = {CaseState.DONE, CaseState.REJECTED, CaseState.REFERRED}


class Case(models.Model):
    """One applicant's request for one service at one office, on the version it started on."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="cases")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="cases")
    version = models.ForeignKey(ServiceVersion, on_delete=models.PROTECT, related_name="cases")
    tracking_code = models.CharField("kode lacak", max_length=9, unique=True)
    state = models.CharField(
        "status", max_length=10, choices=CaseState.choices, default=CaseState.OPEN
    )
    current_step = models.CharField("langkah", max_length=60, blank=True)
    current_role = models.CharField("peran langkah", max_length=20, blank=True)
    step_started_at = models.DateTimeField(null=True, blank=True)
    step_deadline = models.DateTimeField("batas langkah", null=True, blank=True)
    deadline = models.DateTimeField("batas layanan", null=True, blank=True)
    # Bumped by every action: two people acting on the same step cannot both win.
    step_seq = models.PositiveIntegerField(default=0)
    applicant_name = models.CharField("nama pemohon", max_length=200)
    applicant_nik = models.CharField("NIK pemohon", max_length=16)
    applicant_phone = models.CharField("telepon pemohon", max_length=30, blank=True)
    applicant_address = models.CharField("alamat pemohon", max_length=300, blank=True)
    # When a parent or guardian applies for a child, the child is the subject of the letter.
    subject_name = models.CharField("nama yang dimohonkan", max_length=200, blank=True)
    subject_nik = models.CharField("NIK yang dimohonkan", max_length=16, blank=True)
    subject_relation = models.CharField("hubungan pemohon", max_length=50, blank=True)
    subject_data = models.JSONField("data lain", default=dict, blank=True)
    requirements_checked = models.JSONField("persyaratan lengkap", default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField("diajukan", auto_now_add=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    pauses = models.JSONField("jeda", default=list, blank=True)
    finished_at = models.DateTimeField("selesai", null=True, blank=True)
    # Set while the case stands at the step it was sent back to (kembalikan, a second try
    # at a checklist), cleared by the next action on it: the queue lists these first.
    returned_at = models.DateTimeField("dikembalikan", null=True, blank=True)
    # The record of the return: its note is the reason, its user who sent it back.
    return_record = models.ForeignKey(
        "StepRecord", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "permohonan"
        verbose_name_plural = "permohonan"
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in CaseState]), name="case_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(state__in=sorted(END_STATES), finished_at__isnull=False)
                | Q(state__in=sorted(OPEN_STATES), finished_at__isnull=True),
                name="case_finished_iff_ended",
            ),
            # Only an open case stands returned: ending it clears the mark.
            models.CheckConstraint(
                condition=Q(returned_at__isnull=True) | Q(finished_at__isnull=True),
                name="case_returned_only_open",
            ),
        ]
        indexes = [
            # Serves the work queue (selectors.queue): an office's open cases at a role,
            # returned ones first (oldest return first), then most urgent first. An ended
            # case has no current role, so the role's rows are the open ones, in the queue's
            # order (PostgreSQL reads it off the index). Not partial: SQLite uses a partial
            # index only when the query repeats its condition as literals, and Django binds
            # them as parameters (docs/design/cases.md).
            models.Index(
                fields=["office", "current_role", "returned_at", "step_deadline", "created_at"],
                name="case_queue",
            ),
            # Serves the office-wide list of open steps (the queue's "semua" tab: an open
            # case is one without finished_at, by the constraint above), then in the queue's
            # order; and the "Selesai" tab: an office's ended cases in a period, newest first.
            models.Index(
                fields=["office", "finished_at", "returned_at", "step_deadline", "created_at"],
                name="case_open_steps",
            ),
            # Serve the queue's search by NIK (exact): the applicant's or the child's. One
            # column each, so "applicant_nik = x OR subject_nik = x" reads both (SQLite's
            # OR-by-union, PostgreSQL's BitmapOr); a NIK has a handful of cases anyway.
            models.Index(fields=["applicant_nik"], name="case_applicant_nik"),
            models.Index(fields=["subject_nik"], name="case_subject_nik"),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} {self.service}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_returned(self) -> bool:
        """Sent back for revision and not acted on since."""
        return self.is_open and self.returned_at is not None

    @property
    def subject_or_applicant_nik(self) -> str:
        return self.subject_nik or self.applicant_nik


class StepRecord(models.Model):
    """One step done on a case: who, in which role, when, with what outcome. Append-only."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="records")
    seq = models.PositiveIntegerField()
    step = models.CharField("langkah", max_length=60)
    kind = models.CharField("jenis", max_length=20)
    role = models.CharField("peran", max_length=20)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True)
    started_at = models.DateTimeField("mulai")
    finished_at = models.DateTimeField("selesai", auto_now_add=True)
    outcome = models.CharField("hasil", max_length=40, blank=True)
    note = models.TextField("catatan", blank=True)
    data = models.JSONField("data", default=dict, blank=True)
    working_minutes = models.PositiveIntegerField("menit kerja", null=True, blank=True)

    class Meta:
        ordering = ["case", "seq"]
        verbose_name = "riwayat langkah"
        verbose_name_plural = "riwayat langkah"
        constraints = [
            # The same action cannot be recorded twice: the loser of a race gets an error.
            models.UniqueConstraint(fields=["case", "seq"], name="step_record_unique_seq")
        ]

    def __str__(self) -> str:
        return f"{self.case.tracking_code} #{self.seq} {self.step} {self.outcome}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("Riwayat langkah tidak boleh diubah.")
        super().save(*args, **kwargs)


class Attachment(models.Model):
    """A scan of a requirement or a form's photo, its type checked from its content."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    requirement = models.CharField("persyaratan", max_length=60)
    file = models.FileField(upload_to="cases/%Y/%m/", max_length=300)
    original_name = models.CharField(max_length=300)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "requirement", "uploaded_at"]
        verbose_name = "lampiran"
        verbose_name_plural = "lampiran"

    def __str__(self) -> str:
        return f"{self.requirement}: {self.original_name}"


class Referral(models.Model):
    """A case ended by referring the person on (e.g. to the village enumerator for DTSEN)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="referral")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="referrals")
    to = models.CharField("dirujuk ke", max_length=200)
    nik = models.CharField("NIK", max_length=16)
    reason = models.CharField("alasan", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    fulfilled_at = models.DateTimeField("terdaftar pada", null=True, blank=True)
    fulfilled_snapshot = models.ForeignKey(
        Snapshot, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "rujukan"
        verbose_name_plural = "rujukan"
        indexes = [
            # Serves the referral loop: the office's referrals still waiting for the register.
            models.Index(fields=["office", "fulfilled_at"], name="referral_open"),
        ]

    def __str__(self) -> str:
        return f"{self.case.tracking_code} → {self.to}"
