import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Serve Layan: gunicorn on 127.0.0.1:$PORT (static files by WhiteNoise) and the "
        "background task worker beside it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--host", default=os.environ.get("LAYAN_BIND_HOST", "127.0.0.1"))
        parser.add_argument("--workers", default=os.environ.get("LAYAN_WORKERS", "3"))
        parser.add_argument(
            "--no-task-worker", action="store_true", help="run background tasks elsewhere"
        )

    def handle(self, *args, port: str, host: str, workers: str, no_task_worker: bool, **opts):
        web = [
            sys.executable, "-m", "gunicorn", "layan.wsgi:application",
            "--bind", f"{host}:{port}",
            "--workers", str(workers),
            "--access-logfile", "-",
            "--forwarded-allow-ips", os.environ.get("LAYAN_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]  # fmt: skip
        tasks = [sys.executable, "-m", "layan.cli", "db_worker", "--interval", "1"]
        children = [] if no_task_worker else [subprocess.Popen(tasks)]
        self.stdout.write(f"Layan melayani di http://{host}:{port}/")
        self.stdout.flush()
        children.append(subprocess.Popen(web))

        def stop(signum, frame):
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        # Whichever child ends first ends the service: a server without its worker
        # (or the reverse) would accept work it cannot finish.
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        stop(None, None)
        for child in children:
            child.wait()
