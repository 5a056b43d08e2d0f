from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A person who signs in: office staff or a system administrator."""

    # Demo accounts are made only by `layan demo` and can sign in only in demo mode.
    is_demo = models.BooleanField("akun demo", default=False)
    full_name = models.CharField("nama lengkap", max_length=200, blank=True)
    nip = models.CharField("NIP", max_length=30, blank=True)

    class Meta:
        verbose_name = "pengguna"
        verbose_name_plural = "pengguna"

    def __str__(self) -> str:
        return self.full_name or self.username


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
