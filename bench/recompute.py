"""Benchmark: recomputing every outcome summary from scratch, against the floor.

The floor is one SQL GROUP BY of the same answers (those to questions that feed an
outcome measure) by Always Event and week, timed in the same run on the same data.
The figure is their ratio, so it holds on a noisy machine. Goal: under 1.5.

    python -m bench.recompute --size small      # make bench
    python -m bench.recompute --size national   # make bench-national
"""

import argparse
import resource
import statistics
import time

SIZES = {
    # organisations, Always Events, responses (answers are 5 per response)
    "small": (25, 200, 200_000),
    "national": (250, 5_000, 10_000_000),
}
# The week is bucketed exactly as the summaries bucket it (evaluation.outcomes.WEEK_SQL).
FLOOR_SQL = """
    SELECT a.always_event_id,
           a.responded_on - ((a.responded_on - DATE '2000-01-03') % 7 + 7) % 7, count(*)
    FROM evaluation_answer a JOIN evaluation_question q ON q.id = a.question_id
    WHERE q.measure_id IS NOT NULL
    GROUP BY 1, 2
"""


def floor() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL)
        return len(cursor.fetchall())


def recompute_all() -> int:
    """What the nightly task and `recompute_summaries --all` run."""
    from evaluation.models import OutcomeSummary
    from evaluation.outcomes import outcome_summaries_recompute_all

    OutcomeSummary.objects.all().delete()  # from scratch
    return outcome_summaries_recompute_all()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", choices=SIZES, default="small")
    parser.add_argument("--keep", action="store_true", help="reuse the data of the last run")
    args = parser.parse_args()

    from . import common

    if not args.keep:
        common.recreate_database()
    common.setup_django()
    from django.core.management import call_command
    from django.db import connection

    from . import generate

    organisations, events, responses = SIZES[args.size]
    load_seconds = 0.0
    call_command("migrate", verbosity=0)  # a kept database gets any new tables too
    if not args.keep:
        start = time.perf_counter()
        generate.make_structure(organisations=organisations, events=events)
        generate.load_responses(responses=responses)
        load_seconds = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM evaluation_answer")
        answers = cursor.fetchone()[0]

    floor()  # warm the cache for both
    # interleaved, so both see the same load when the machine is shared
    floor_times, recompute_times = [], []
    for _ in range(3):
        with connection.cursor() as cursor:  # the last repetition's dead rows, untimed
            cursor.execute("VACUUM evaluation_outcomesummary")
        seconds, groups = common.timed(floor)
        floor_times.append(seconds)
        seconds, rows = common.timed(recompute_all)
        recompute_times.append(seconds)
    floor_seconds = statistics.median(floor_times)
    recompute_seconds = statistics.median(recompute_times)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ratio = recompute_seconds / floor_seconds
    load = "the last run's data, kept (--keep)" if args.keep else f"{load_seconds:.1f} s"

    table = f"""
| figure | value |
| --- | --- |
| Always Events / responses / answers | {events:,} / {responses:,} / {answers:,} |
| data load (generate_series inside PostgreSQL) | {load} |
| floor: one GROUP BY by Always Event and week ({groups:,} groups), median of 3 \
| {floor_seconds:.2f} s |
| full recompute, two threads ({rows:,} summary rows, weeks and months), median of 3 \
| {recompute_seconds:.2f} s |
| **ratio recompute / floor** (goal under 1.5) | **{ratio:.2f}** |
| peak memory of the recomputing process | {peak_mb:.0f} MB |
"""
    print(table)
    common.write_section(
        f"Recompute against the floor ({args.size})",
        f"python -m bench.recompute --size {args.size}" + (" --keep" if args.keep else ""),
        table,
    )


if __name__ == "__main__":
    main()
