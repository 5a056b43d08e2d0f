from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from layan.catalogue.services import DefinitionError
from layan.demo.services import DemoModeRequired, demo_load


class Command(BaseCommand):
    help = "Load the demo: seed offices, their services and demo accounts (LAYAN_DEMO=1 only)."

    def handle(self, *args, **options):
        try:
            summary = demo_load()
        except (DemoModeRequired, DefinitionError) as exc:
            raise CommandError(str(exc)) from exc
        out = self.stdout
        out.write(f"Kantor: {', '.join(o.slug for o in summary.offices)}")
        out.write(f"Layanan: {summary.services_loaded} dimuat, {summary.services_new} versi baru")
        out.write(f"Akun demo: {len(summary.accounts)} (<kantor>.<peran>, mis. bone.kadin)")
        roles = sorted({name.split(".", 1)[1] for name in summary.accounts})
        out.write(f"  peran: {', '.join(roles)}")
        out.write(f"  kata sandi: {settings.DEMO_PASSWORD}  (ubah dengan LAYAN_DEMO_PASSWORD)")
        out.write("Surat: kunci penanda tangan siap; verifikasi surat di /verifikasi/")
        out.write("Register sintetis (coba di Register > Cari NIK/KK):")
        for register in summary.registers:
            snapshot = register.snapshot
            out.write(
                f"  {register.office.slug}: {snapshot.rows_imported} orang, "
                f"{snapshot.get_source_display()} {snapshot.period}; "
                f"terdaftar {', '.join(register.registered)}; "
                f"tidak terdaftar {', '.join(register.not_registered)}"
            )
