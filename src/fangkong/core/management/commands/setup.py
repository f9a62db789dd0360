from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from fangkong.accounts.services import roles_sync


class Command(BaseCommand):
    help = (
        "Prepare FANGKONG_HOME: apply migrations, create the role groups and, in production, "
        "collect static files. Safe to run any number of times."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"FANGKONG_HOME = {settings.FANGKONG_HOME}")
        call_command("migrate", interactive=False, verbosity=1, stdout=self.stdout)
        groups = roles_sync()
        self.stdout.write(f"roles: {len(groups)} groups in step with accounts/roles.py")
        if settings.PRODUCTION:
            call_command("collectstatic", interactive=False, verbosity=0)
            self.stdout.write("static files collected")
