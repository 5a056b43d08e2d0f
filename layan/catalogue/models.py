from django.db import models

from layan.offices.models import Office


class Service(models.Model):
    """A service an office offers; its content lives in numbered versions."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="services")
    code = models.SlugField("kode", max_length=80)
    name = models.CharField("nama", max_length=300)
    is_published = models.BooleanField("tampil di halaman publik", default=True)
    order = models.PositiveSmallIntegerField("urutan", default=0)

    class Meta:
        ordering = ["office", "order", "name"]
        verbose_name = "layanan"
        verbose_name_plural = "layanan"
        constraints = [
            models.UniqueConstraint(fields=["office", "code"], name="service_unique_code")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def current_version(self) -> "ServiceVersion | None":
        return self.versions.order_by("-number").first()


class ServiceVersion(models.Model):
    """One loaded content of a service definition; never changed once written.

    Cases pin the version they start on, so a newer file does not move them.
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("versi")
    content_hash = models.CharField("SHA-256 isi", max_length=64)
    source_name = models.CharField("berkas sumber", max_length=300, blank=True)
    source_text = models.TextField("teks YAML")
    data = models.JSONField("definisi tervalidasi")
    loaded_at = models.DateTimeField("dimuat", auto_now_add=True)

    class Meta:
        ordering = ["service", "-number"]
        verbose_name = "versi layanan"
        verbose_name_plural = "versi layanan"
        constraints = [
            models.UniqueConstraint(fields=["service", "number"], name="service_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.service} v{self.number}"
