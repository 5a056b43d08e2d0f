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
