import os
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Layan with gunicorn (static files by WhiteNoise) on 127.0.0.1:$PORT."

    def add_arguments(self, parser):
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--host", default=os.environ.get("LAYAN_BIND_HOST", "127.0.0.1"))
        parser.add_argument("--workers", default=os.environ.get("LAYAN_WORKERS", "3"))

    def handle(self, *args, port: str, host: str, workers: str, **options):
        argv = [
            sys.executable, "-m", "gunicorn", "layan.wsgi:application",
            "--bind", f"{host}:{port}",
            "--workers", str(workers),
            "--access-logfile", "-",
            "--forwarded-allow-ips", os.environ.get("LAYAN_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]  # fmt: skip
        self.stdout.write(f"Layan melayani di http://{host}:{port}/", ending="\n")
        self.stdout.flush()
        os.execv(sys.executable, argv)
