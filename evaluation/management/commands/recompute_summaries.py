from django.core.management.base import BaseCommand, CommandError

from evaluation.outcomes import outcome_summaries_recompute, outcome_summaries_recompute_all
from programmes.models import AlwaysEvent


class Command(BaseCommand):
    help = "Recomputes outcome summaries now, in this process, with a progress bar."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--all", action="store_true", help="Every Always Event")
        group.add_argument("--event", type=int, metavar="ID", help="One Always Event by id")

    def handle(self, *args, event: int | None, **options):
        if event is not None:
            if not AlwaysEvent.objects.filter(id=event).exists():
                raise CommandError(f"There is no Always Event with id {event}")
            rows = outcome_summaries_recompute(always_event_id=event)
            self.stdout.write(progress_bar(1, 1))
            self._done(1, rows)
            return
        total = AlwaysEvent.objects.count()
        counted = [0]

        def progress(done: int) -> None:
            counted[0] = done
            self.stdout.write(progress_bar(min(done, total), total), ending="\r")

        rows = outcome_summaries_recompute_all(progress=progress)
        self.stdout.write(progress_bar(total, total))
        self._done(counted[0], rows)

    def _done(self, events: int, rows: int) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                f"Recomputed {events} Always Events: {rows} summary rows written "
                "(rows that came out as stored are left as they are)."
            )
        )


def progress_bar(done: int, total: int, width: int = 30) -> str:
    filled = width * done // total if total else width
    return f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
