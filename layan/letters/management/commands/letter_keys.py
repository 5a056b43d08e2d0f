"""`layan letter-keys`: make the offices' roots and signers' keys, or import a PKCS#12."""

from getpass import getpass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from layan.letters.keys import (
    SigningKeyError,
    fingerprint,
    signer_key_import_pkcs12,
    signer_keys_ensure,
)
from layan.offices.models import Office


class Command(BaseCommand):
    help = (
        "Buat sertifikat induk kantor dan kunci penanda tangan (bila belum ada), atau "
        "pasang PKCS#12 seorang penanda tangan (--pkcs12 FILE --office SLUG --user NAMA)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--office", help="slug kantor (default: semua kantor)")
        parser.add_argument("--pkcs12", type=Path, help="berkas .p12/.pfx dari penyelenggara")
        parser.add_argument("--user", help="nama pengguna pemilik PKCS#12")

    def handle(self, *args, office=None, pkcs12=None, user=None, **options):
        offices = Office.objects.filter(slug=office) if office else Office.objects.all()
        if office and not offices.exists():
            raise CommandError(f"Kantor '{office}' tidak ada.")
        if pkcs12:
            self._import(offices.first() if office else None, pkcs12, user)
            return
        for each in offices:
            keys = signer_keys_ensure(each)
            root = fingerprint(each.authority.certificate)
            self.stdout.write(f"{each.slug}: sertifikat induk SHA-256 {root}; {len(keys)} kunci")

    def _import(self, office, path: Path, username: str | None) -> None:
        if office is None or not username:
            raise CommandError("--pkcs12 memerlukan --office dan --user.")
        holder = get_user_model().objects.filter(username=username).first()
        if holder is None:
            raise CommandError(f"Pengguna '{username}' tidak ada.")
        if not path.is_file():
            raise CommandError(f"Berkas {path} tidak ada.")
        try:
            key = signer_key_import_pkcs12(office=office, user=holder, data=path.read_bytes(),
                                           password=getpass("Kata sandi PKCS#12: "))  # fmt: skip
        except SigningKeyError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Kunci {holder} di {office.slug} dipasang (SHA-256 "
                          f"{fingerprint(key.certificate)}).")  # fmt: skip
