from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from coproduction.demo import seed_coproduction
from evaluation.demo import seed_evaluation, seed_programme_evaluation
from programmes.demo import (
    DEMO_USERS,
    PROGRAMME_ADMIN_EMAIL,
    seed_always_events,
    seed_organisations,
)
from programmes.models import Organisation


class Command(BaseCommand):
    help = "Loads demo organisations, users and Always Events. Refuses to run when DEBUG is off."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds organisations.",
        )

    def handle(self, *args, if_empty: bool, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo only runs with DEBUG on: it creates known passwords.")
        if if_empty and Organisation.objects.exists():
            self.stdout.write("The database already has data: demo data not loaded.")
        else:
            seed_organisations(password=settings.DEMO_PASSWORD)
            seed_always_events()
            seed_coproduction()
            seed_evaluation()
            seed_programme_evaluation()
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(sign_in_help() + "\n")


def sign_in_help() -> str:
    lines = ["", f"Sign in at {settings.SITE_URL}/accounts/login/ as any of:"]
    lines += [f"  {email:<24} {role.label}" for email, _, _, role in DEMO_USERS]
    lines.append(f"  {PROGRAMME_ADMIN_EMAIL:<24} Programme admin (national)")
    lines.append(f"with the password: {settings.DEMO_PASSWORD}")
    return "\n".join(lines)
