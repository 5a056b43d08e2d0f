from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from layan.catalogue.parsing import definitions_check


class Command(BaseCommand):
    help = "Validate service definition files; report every error with file, line, field path."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="a YAML file or a folder of them")

    def handle(self, *args, path: Path, **options):
        if not path.exists():
            raise CommandError(f"{path}: tidak ada berkas atau folder ini")
        report = definitions_check(path)
        if not report:
            raise CommandError(f"{path}: tidak ada berkas *.yaml")
        failed = 0
        for file, problems in report.items():
            for problem in problems:
                self.stderr.write(problem.render(str(file)))
            failed += bool(problems)
        summary = f"{len(report)} berkas diperiksa, {failed} bermasalah"
        if failed:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
