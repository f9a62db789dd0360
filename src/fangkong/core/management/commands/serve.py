import signal
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Serve the web UI and API with gunicorn. With the embedded defaults (no REDIS_URL) the "
        "background-task consumer runs beside it; in production run `fangkong worker` as its "
        "own process and pass --no-worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000", help="address:port to listen on")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
        parser.add_argument(
            "--no-worker", action="store_true", help="do not start the background-task consumer"
        )

    def handle(self, *args, bind, workers, no_worker, **options):
        children = []
        if not no_worker:
            children.append(subprocess.Popen([sys.executable, "-m", "fangkong.cli", "worker"]))  # noqa: S603 - fixed argv
        web = subprocess.Popen(  # noqa: S603 - fixed argv, bind and workers are typed options
            [
                sys.executable,
                "-m",
                "gunicorn",
                "fangkong.wsgi:application",
                "--bind",
                bind,
                "--workers",
                str(workers),
                "--threads",
                "4",
                "--access-logfile",
                "-",
            ]
        )
        children.append(web)
        self.stdout.write(
            self.style.SUCCESS(f"Fangkong 防控 is serving on http://{bind}/ ")
            + f"(data in {settings.FANGKONG_HOME}; Ctrl-C stops)"
        )

        def stop(signum, frame):
            for child in children:
                child.terminate()

        signal.signal(signal.SIGTERM, stop)
        try:
            web.wait()
        except KeyboardInterrupt:
            pass
        finally:
            stop(None, None)
            for child in children:
                child.wait(timeout=15)
