from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from layan.catalogue.services import DefinitionError, services_load_path


class Command(BaseCommand):
    help = "Load service definitions; a changed file becomes a new version, the old one stays."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, nargs="?", default=settings.SOPS_DIR)

    def handle(self, *args, path: Path, **options):
        try:
            results = services_load_path(path)
        except DefinitionError as exc:
            raise CommandError(str(exc)) from exc
        for result in results:
            version = result.version
            state = "baru" if result.created else "tidak berubah"
            self.stdout.write(
                f"{version.service.office.slug}/{version.service.code} v{version.number} ({state})"
            )
