from django.core.management.base import BaseCommand

from accounts.demo import DEMO_USERS, ensure_demo_users
from assessments.sample_data.loader import load_sample_data


class Command(BaseCommand):
    help = (
        "Load the 2023 framework, 51 jurisdictions, Mississippi 2023 from the seed, synthetic "
        "demo assessments for the other 50 and the demo users. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Re-import sample assessments that already exist (discards their edits).",
        )

    def handle(self, *args, replace=False, **options):
        password = ensure_demo_users()
        load_sample_data(replace=replace, log=lambda line: self.stdout.write(line))
        if password:
            users = ", ".join(DEMO_USERS)
            self.stdout.write(self.style.SUCCESS(f"Demo users: {users}; password: {password}"))
        else:
            self.stdout.write("Demo users have no usable password because DEBUG is off.")
