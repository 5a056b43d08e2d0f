from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A person who signs in: office staff or a system administrator."""

    # Demo accounts are made only by `layan demo` and can sign in only in demo mode.
    is_demo = models.BooleanField("akun demo", default=False)
    full_name = models.CharField("nama lengkap", max_length=200, blank=True)
    nip = models.CharField("NIP", max_length=30, blank=True)
    phone = models.CharField("telepon", max_length=20, blank=True)

    class Meta:
        verbose_name = "pengguna"
        verbose_name_plural = "pengguna"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def nip_shown(self) -> str:
        """The NIP grouped as it is printed (birth date, appointment, sex, serial):
        '19870101 201001 1 001'; a NIP not of 18 digits as it was typed."""
        digits = "".join(ch for ch in self.nip if ch.isdigit())
        if len(digits) != 18:
            return self.nip.strip()
        return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"

    @property
    def name_with_nip(self) -> str:
        """How a person is named on pages, step records and printouts:
        'Andi Saputra (NIP 19870101 201001 1 001)', or the name alone without a NIP."""
        nip = self.nip_shown
        return f"{self} (NIP {nip})" if nip else str(self)


class ApiToken(models.Model):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    # Unique, so it is also the index `token_user` looks a presented token up by.
    key_hash = models.CharField("SHA-256 token", max_length=64, unique=True)
    prefix = models.CharField("awalan", max_length=8)
    created_at = models.DateTimeField("dibuat", auto_now_add=True)
    last_used_at = models.DateTimeField("terakhir dipakai", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "token API"
        verbose_name_plural = "token API"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class AuditEvent(models.Model):
    """One change somebody made: who, when, what, and the values before and after. Append-only.

    Written in the same transaction as the change it records, by `layan.core.audit.audit_record`.
    The office is named by a string reference: core sits below offices and imports nothing of it.
    """

    office = models.ForeignKey(
        "offices.Office", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField("waktu", auto_now_add=True)
    # A dotted name of what happened: "case.correct", "membership.grant", ...
    action = models.CharField("tindakan", max_length=60)
    target_type = models.CharField("jenis objek", max_length=60)
    target_id = models.CharField("objek", max_length=60)
    summary = models.CharField("ringkasan", max_length=300, blank=True)
    before = models.JSONField("sebelum", default=dict, blank=True)
    after = models.JSONField("sesudah", default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "catatan perubahan"
        verbose_name_plural = "catatan perubahan"
        indexes = [
            # Serves a record's own history: its corrections, a person's role changes.
            models.Index(fields=["target_type", "target_id", "at"], name="audit_target"),
            models.Index(fields=["office", "at"], name="audit_office"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}:{self.target_id}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("Catatan perubahan tidak boleh diubah.")
        super().save(*args, **kwargs)
