"""Letters: the signed product of a case, its numbering, the keys that sign it, its archive.

A letter is drafted by a case's draft_letter step, initialled (paraf) by each
approve step and signed by the sign step; each of those adds a revision of the
same PDF (the paraf and the signature as PAdES signatures). Revisions are never
changed; the issued letter is the last one, kept with its SHA-256.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from layan.cases.models import Case
from layan.offices.models import Office

# Verification codes are typed from paper as often as scanned: the tracking alphabet.
VERIFY_ALPHABET = "34679ACDEFGHJKMNPQRTWXY"
VERIFY_LENGTH = 12


def verify_code_new() -> str:
    """A code like 'K7QD-3MXA-TW9C' (23**12 ~ 2e16: not guessable, short enough to type)."""
    raw = "".join(secrets.choice(VERIFY_ALPHABET) for _ in range(VERIFY_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, VERIFY_LENGTH, 4))


class OfficeAuthority(models.Model):
    """An office's own root certificate: it certifies the keys of the office's signers."""

    office = models.OneToOneField(Office, on_delete=models.PROTECT, related_name="authority")
    certificate = models.TextField("sertifikat (PEM)")
    key = models.BinaryField("kunci privat (terenkripsi)")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "sertifikat induk kantor"
        verbose_name_plural = "sertifikat induk kantor"

    def __str__(self) -> str:
        return f"Sertifikat induk {self.office}"


class KeySource(models.TextChoices):
    LAYAN = "layan", "Dibuat Layan (sertifikat induk kantor)"
    PKCS12 = "pkcs12", "PKCS#12 dari penyelenggara sertifikat"


class SignerKey(models.Model):
    """The key and certificate one staff member signs and initials with at one office."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="signer_keys")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    source = models.CharField("asal", max_length=10, choices=KeySource.choices)
    certificate = models.TextField("sertifikat (PEM)")
    # The issuing chain up to its root, for a key from a PKCS#12 (PEM, may be empty).
    chain = models.TextField("rantai sertifikat (PEM)", blank=True)
    key = models.BinaryField("kunci privat (terenkripsi)")
    is_active = models.BooleanField("aktif", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "kunci penanda tangan"
        verbose_name_plural = "kunci penanda tangan"
        constraints = [
            # Serves signer_key_for(): the one active key of a user at an office.
            models.UniqueConstraint(
                fields=["office", "user"], condition=Q(is_active=True), name="signer_key_one_active"
            ),
            models.CheckConstraint(
                condition=Q(source__in=[s.value for s in KeySource]), name="signer_key_source_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.office.slug}, {self.get_source_display()})"


class NumberSequence(models.Model):
    """The last number used in one series of an office in one period (year, month or ever)."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    series = models.CharField("seri", max_length=80)
    period = models.CharField("periode", max_length=7, blank=True)
    last = models.PositiveIntegerField("nomor terakhir", default=0)

    class Meta:
        verbose_name = "urutan nomor surat"
        verbose_name_plural = "urutan nomor surat"
        constraints = [
            # Serves number_take(): UPDATE … WHERE office, series, period.
            models.UniqueConstraint(
                fields=["office", "series", "period"], name="number_sequence_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.office.slug} {self.series} {self.period or '-'}: {self.last}"


class LetterState(models.TextChoices):
    DRAFT = "draf", "Draf"
    RETURNED = "dikembalikan", "Dikembalikan untuk diperbaiki"
    # A draft made for the officer to read, replaced by a newer one before it was sent.
    REPLACED = "diganti", "Diganti draf baru"
    ISSUED = "terbit", "Terbit (sah)"
    REVOKED = "dicabut", "Dicabut"


class Letter(models.Model):
    """One letter of an office: drafted for one case, or for a batch of them."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="letters")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="letters")
    # Annotated by hand: django-stubs cannot follow a `through` model named by string.
    cases: "models.ManyToManyField[Case, LetterCase]" = models.ManyToManyField(
        Case, through="LetterCase", related_name="batch_letters"
    )
    template = models.CharField("templat", max_length=80)
    name = models.CharField("jenis surat", max_length=200)
    service_name = models.CharField("layanan", max_length=300)
    state = models.CharField(
        "status", max_length=12, choices=LetterState.choices, default=LetterState.DRAFT
    )
    verify_code = models.CharField("kode verifikasi", max_length=14, unique=True)
    # What the public verification page may show of the person: initials only.
    subject_masked = models.CharField("nama disamarkan", max_length=200)
    series = models.CharField("seri nomor", max_length=80)
    period = models.CharField("periode nomor", max_length=7, blank=True)
    seq = models.PositiveIntegerField("urutan", null=True, blank=True)
    number = models.CharField("nomor", max_length=120, blank=True)
    issued_at = models.DateTimeField("tanggal terbit", null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Who the letter names as its signer (set when drafted): only that person signs it.
    signer_name = models.CharField("penanda tangan", max_length=200, blank=True)
    signer_title = models.CharField("jabatan penanda tangan", max_length=300, blank=True)
    signer_nip = models.CharField("NIP penanda tangan", max_length=30, blank=True)
    sha256 = models.CharField("SHA-256 surat terbit", max_length=64, blank=True)
    # Where the renderer left room: {"signature": box, "stamp": box, "parafs": {label: box}}.
    boxes = models.JSONField(default=dict)
    # SHA-256 of what the draft says (its layout without the verification code): a draft
    # the officer read is sent on only while the case would still draft the same letter.
    content_sha256 = models.CharField("sidik isi draf", max_length=64, blank=True)
    revoked_at = models.DateTimeField("dicabut pada", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoke_reason = models.TextField("alasan pencabutan", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "surat"
        verbose_name_plural = "surat"
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in LetterState]), name="letter_state_valid"
            ),
            # A number exists exactly when the letter was signed (issued, maybe revoked since).
            models.CheckConstraint(
                condition=Q(state__in=["terbit", "dicabut"], seq__isnull=False)
                & ~Q(number="")
                & ~Q(sha256="")
                | Q(state__in=["draf", "dikembalikan", "diganti"], seq__isnull=True, number=""),
                name="letter_number_iff_issued",
            ),
            models.UniqueConstraint(
                fields=["office", "series", "period", "seq"],
                condition=Q(seq__isnull=False),
                name="letter_unique_seq",
            ),
            models.UniqueConstraint(
                fields=["office", "number"], condition=~Q(number=""), name="letter_unique_number"
            ),
        ]
        indexes = [
            # Serves verify by upload: the archived letter with this hash.
            models.Index(fields=["sha256"], name="letter_sha256"),
        ]

    def __str__(self) -> str:
        return self.number or f"Draf {self.name} ({self.case.tracking_code})"

    @property
    def is_issued(self) -> bool:
        return self.state in (LetterState.ISSUED, LetterState.REVOKED)


class LetterCase(models.Model):
    """A case a letter covers: the one it was drafted for, or each case of a batch."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="memberships")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="letter_memberships")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["letter", "order"]
        constraints = [
            models.UniqueConstraint(fields=["letter", "case"], name="letter_case_unique")
        ]

    def __str__(self) -> str:
        return f"{self.letter_id}: {self.case_id}"


class RevisionKind(models.TextChoices):
    DRAFT = "draf", "Draf"
    PARAF = "paraf", "Paraf"
    SIGNATURE = "ttd", "Tanda tangan"


class LetterRevision(models.Model):
    """One state of a letter's PDF: the draft, each paraf, the signature. Never changed."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="revisions")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=6, choices=RevisionKind.choices)
    pdf = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["letter", "seq"]
        verbose_name = "revisi surat"
        verbose_name_plural = "revisi surat"
        constraints = [
            models.UniqueConstraint(fields=["letter", "seq"], name="letter_revision_unique_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.letter} #{self.seq} {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("Revisi surat tidak boleh diubah.")
        super().save(*args, **kwargs)


class LetterEvent(models.Model):
    """Who did what to a letter and when: drafted, initialled, signed, downloaded, revoked."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("tindakan", max_length=20)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField("catatan", blank=True)

    class Meta:
        ordering = ["letter", "at", "id"]
        verbose_name = "riwayat surat"
        verbose_name_plural = "riwayat surat"

    def __str__(self) -> str:
        return f"{self.letter} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("Riwayat surat tidak boleh diubah.")
        super().save(*args, **kwargs)
