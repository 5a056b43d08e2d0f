from zoneinfo import available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

# Paths the site owns at its root; an office slug may not take them.
RESERVED_SLUGS = {
    "admin", "api", "static", "media", "masuk", "keluar", "staf", "kantor", "lacak", "verifikasi",
}  # fmt: skip

region_code_validator = RegexValidator(
    r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$",
    "Kode wilayah Kemendagri berbentuk 73, 73.08, 73.08.01 atau 73.08.01.2001.",
)


def validate_office_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(f"'{value}' dipakai oleh sistem; pilih slug lain.")


def validate_time_zone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(f"Zona waktu '{value}' tidak dikenal.")


class Acting(models.TextChoices):
    """Whether the head of office holds the post in full or as an acting head."""

    DEFINITIVE = "", "Definitif"
    PLT = "Plt.", "Pelaksana Tugas (Plt.)"
    PLH = "Plh.", "Pelaksana Harian (Plh.)"


class Office(models.Model):
    """A Dinas Sosial: the tenant every case, register row and letter belongs to."""

    slug = models.SlugField(unique=True, validators=[validate_office_slug])
    name = models.CharField("nama", max_length=200)
    short_name = models.CharField("nama singkat", max_length=100, blank=True)
    government = models.CharField(
        "pemerintah daerah", max_length=200, help_text="Mis. Pemerintah Kabupaten Bone"
    )
    region_code = models.CharField(
        "kode wilayah Kemendagri", max_length=13, unique=True, validators=[region_code_validator]
    )
    region_name = models.CharField("nama wilayah", max_length=200)
    province_name = models.CharField("provinsi", max_length=100, blank=True)
    address = models.TextField("alamat", blank=True)
    postal_code = models.CharField("kode pos", max_length=5, blank=True)
    phone = models.CharField("telepon", max_length=50, blank=True)
    email = models.CharField("email", max_length=200, blank=True)
    website = models.CharField("situs web", max_length=200, blank=True)
    social_accounts = models.JSONField(
        "akun media sosial",
        default=list,
        blank=True,
        help_text='Daftar {"network": "instagram", "handle": "...", "url": "..."}',
    )
    time_zone = models.CharField(
        "zona waktu", max_length=40, default="Asia/Jakarta", validators=[validate_time_zone]
    )
    letterhead = models.JSONField(
        "kop surat",
        default=dict,
        blank=True,
        help_text='{"lines": ["PEMERINTAH KOTA BIMA", "DINAS SOSIAL"], "address": "..."}',
    )
    logo = models.ImageField("logo", upload_to="logos/", blank=True)
    head_name = models.CharField("nama kepala dinas", max_length=200, blank=True)
    head_nip = models.CharField("NIP kepala dinas", max_length=30, blank=True)
    head_title = models.CharField(
        "jabatan kepala dinas", max_length=200, blank=True, help_text="Mis. Kepala Dinas Sosial"
    )
    head_acting = models.CharField(
        "status jabatan", max_length=4, choices=Acting.choices, blank=True, default=""
    )
    maklumat = models.TextField("maklumat pelayanan", blank=True)
    complaints_note = models.TextField(
        "keterangan pengaduan", blank=True, help_text="Teks pengaduan sebagaimana tertulis."
    )
    counter_location = models.CharField(
        "tempat pelayanan",
        max_length=300,
        blank=True,
        help_text="Di mana pemohon dilayani, sebagaimana kantor menyebutnya, mis. "
        "Loket pelayanan, lantai 1. Kosongkan bila kantor tidak menyebutkannya.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "kantor dinas"
        verbose_name_plural = "kantor dinas"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(head_acting__in=[c.value for c in Acting]),
                name="office_head_acting_valid",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def head_signature_title(self) -> str:
        """The title as a signature block prints it, with Plt./Plh. when acting."""
        title = self.head_title or "Kepala Dinas Sosial"
        return f"{self.head_acting} {title}".strip()


class Unit(models.Model):
    """A bidang, seksi or other organisational unit of an office."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="units")
    name = models.CharField("nama", max_length=200)
    short_name = models.CharField("singkatan", max_length=50, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )

    class Meta:
        ordering = ["office", "name"]
        verbose_name = "bidang/unit"
        verbose_name_plural = "bidang/unit"
        constraints = [
            models.UniqueConstraint(fields=["office", "name"], name="unit_unique_name_per_office")
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    """The roles a person can hold at an office; SOP actors map onto these."""

    PETUGAS = "petugas", "Petugas layanan / front office"
    OPERATOR = "operator", "Operator"
    SUPERVISOR = "supervisor", "Supervisor"
    PEKSOS = "peksos", "Pekerja sosial"
    KABID = "kabid", "Kepala bidang"
    SEKRETARIS = "sekretaris", "Sekretaris"
    KADIN = "kadin", "Kepala dinas"
    ADMIN = "admin", "Admin kantor"


class Membership(models.Model):
    """One role held by one person at one office."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("peran", max_length=20, choices=Role.choices)
    unit = models.ForeignKey(Unit, on_delete=models.SET_NULL, null=True, blank=True)
    position = models.CharField("jabatan", max_length=200, blank=True)
    is_active = models.BooleanField("aktif", default=True)

    class Meta:
        ordering = ["office", "role", "user__username"]
        verbose_name = "keanggotaan staf"
        verbose_name_plural = "keanggotaan staf"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "office", "role"], name="membership_unique_role"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=[c.value for c in Role]), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.office.slug})"

    def clean(self) -> None:
        if self.unit is not None and self.unit.office_id != self.office_id:
            raise ValidationError({"unit": "Bidang ini milik kantor lain."})


class ChannelKind(models.TextChoices):
    """Ways the public can bring a complaint, as the seeds list them."""

    DIRECT = "langsung", "Pengaduan langsung"
    LETTER = "surat", "Surat"
    PHONE = "telepon", "Telepon"
    WHATSAPP = "whatsapp", "WhatsApp/Telegram"
    EMAIL = "email", "Email"
    WEBSITE = "website", "Situs web"
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    LAPOR = "sp4n_lapor", "SP4N-LAPOR"
    SURVEY = "survei", "Survei Kepuasan Masyarakat"
    BOX = "kotak", "Kotak pengaduan/saran"


class ComplaintChannel(models.Model):
    """A channel through which an office takes complaints, suggestions and input."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="channels")
    kind = models.CharField("jenis", max_length=20, choices=ChannelKind.choices)
    label = models.CharField("label", max_length=200)
    value = models.CharField("isi", max_length=300, blank=True)
    url = models.CharField("tautan", max_length=300, blank=True)
    order = models.PositiveSmallIntegerField("urutan", default=0)

    class Meta:
        ordering = ["office", "order", "id"]
        verbose_name = "saluran pengaduan"
        verbose_name_plural = "saluran pengaduan"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=[c.value for c in ChannelKind]),
                name="channel_kind_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.value}"


class ContactOfficer(models.Model):
    """A named officer the public may contact, as the office publishes them."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="officers")
    name = models.CharField("nama", max_length=200)
    duty = models.CharField("tugas", max_length=200, blank=True)
    phone = models.CharField("telepon/WhatsApp", max_length=50, blank=True)
    order = models.PositiveSmallIntegerField("urutan", default=0)

    class Meta:
        ordering = ["office", "order", "id"]
        verbose_name = "petugas kontak"
        verbose_name_plural = "petugas kontak"

    def __str__(self) -> str:
        return self.name


class Weekday(models.IntegerChoices):
    """Days of the week as Python's date.weekday() counts them."""

    SENIN = 0, "Senin"
    SELASA = 1, "Selasa"
    RABU = 2, "Rabu"
    KAMIS = 3, "Kamis"
    JUMAT = 4, "Jumat"
    SABTU = 5, "Sabtu"
    MINGGU = 6, "Minggu"


class WorkingHours(models.Model):
    """An office's own hours on one weekday, replacing the Perpres 21/2023 default week.

    An office with no rows keeps the default week (layan.offices.calendar.DEFAULT_WEEK);
    an office with rows works exactly on the weekdays it has rows for.
    """

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="working_hours")
    weekday = models.PositiveSmallIntegerField("hari", choices=Weekday.choices)
    start = models.TimeField("jam buka")
    end = models.TimeField("jam tutup")
    break_start = models.TimeField("istirahat mulai", null=True, blank=True)
    break_end = models.TimeField("istirahat selesai", null=True, blank=True)

    class Meta:
        ordering = ["office", "weekday"]
        verbose_name = "jam kerja"
        verbose_name_plural = "jam kerja"
        constraints = [
            # Serves calendar_for(): the hours of one office, WHERE office_id = %s.
            models.UniqueConstraint(
                fields=["office", "weekday"], name="working_hours_unique_weekday"
            ),
            models.CheckConstraint(
                condition=models.Q(weekday__in=[c.value for c in Weekday]),
                name="working_hours_weekday_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")),
                name="working_hours_end_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(break_start__isnull=True, break_end__isnull=True)
                | models.Q(
                    break_start__gte=models.F("start"),
                    break_end__gt=models.F("break_start"),
                    break_end__lte=models.F("end"),
                ),
                name="working_hours_break_inside",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H.%M}-{self.end:%H.%M}"

    def clean(self) -> None:
        # A form runs clean() even when a time failed its own field check and is None.
        hours_given = self.start is not None and self.end is not None
        if hours_given and self.end <= self.start:
            raise ValidationError({"end": "Jam tutup harus sesudah jam buka."})
        if (self.break_start is None) != (self.break_end is None):
            raise ValidationError("Isi mulai dan selesai istirahat, atau kosongkan keduanya.")
        if (
            hours_given
            and self.break_start is not None
            and self.break_end is not None
            and not (self.start <= self.break_start < self.break_end <= self.end)
        ):
            raise ValidationError("Istirahat harus berada di dalam jam kerja.")


class CutiBersama(models.Model):
    """A day on which offices close besides the national holidays.

    Without an office it is a national cuti bersama (SKB 3 Menteri) and closes
    every office; with an office it is that region's extra day off.
    """

    date = models.DateField("tanggal")
    name = models.CharField("keterangan", max_length=200)
    decree = models.CharField(
        "dasar penetapan",
        max_length=300,
        blank=True,
        help_text="Mis. SKB Menteri Agama, Menteri Ketenagakerjaan dan Menteri PANRB Nomor …",
    )
    office = models.ForeignKey(
        Office,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="days_off",
        verbose_name="kantor",
        help_text="Kosong: cuti bersama nasional. Diisi: hari libur tambahan kantor ini saja.",
    )

    class Meta:
        ordering = ["date"]
        verbose_name = "cuti bersama"
        verbose_name_plural = "cuti bersama"
        constraints = [
            # One national row per date, and one row per date per office; the two
            # partial indexes serve calendar_for(): WHERE office_id IS NULL OR office_id = %s.
            models.UniqueConstraint(
                fields=["date"],
                condition=models.Q(office__isnull=True),
                name="cuti_bersama_unique_national_date",
            ),
            models.UniqueConstraint(
                fields=["office", "date"],
                condition=models.Q(office__isnull=False),
                name="cuti_bersama_unique_office_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y} {self.name}"
