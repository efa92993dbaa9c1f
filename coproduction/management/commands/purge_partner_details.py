from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from coproduction.services import partner_details_purge


class Command(BaseCommand):
    help = (
        "Removes personal details of co-design partners who left more than "
        "PARTNER_RETENTION_MONTHS months ago, keeping anonymous counts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--months", type=int, default=None,
            help="Override PARTNER_RETENTION_MONTHS for this run (at least 1).",
        )

    def handle(self, *args, months: int | None, **options):
        months = settings.PARTNER_RETENTION_MONTHS if months is None else months
        if months < 1:
            self.stderr.write("--months must be at least 1")
            raise SystemExit(2)
        purged = partner_details_purge(today=timezone.localdate(), months=months)
        self.stdout.write(f"Removed the personal details of {purged} former partner(s).")
