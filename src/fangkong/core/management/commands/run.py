from django.core.management import call_command
from django.core.management.base import BaseCommand

from fangkong.core.models import Area


class Command(BaseCommand):
    help = (
        "What `make run` does: prepare FANGKONG_HOME (migrate, roles), load the demo district "
        "the first time only, then serve on http://127.0.0.1:8000/."
    )

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000", help="address:port to listen on")

    def handle(self, *args, bind, **options):
        call_command("setup", stdout=self.stdout)
        if not Area.objects.exists():
            self.stdout.write("First run: loading the demo district (fangkong demo --no-serve)")
            call_command("demo", no_serve=True, stdout=self.stdout)
        else:
            self.stdout.write("Existing data found; the demo is not loaded again.")
        call_command("serve", bind=bind, stdout=self.stdout)
