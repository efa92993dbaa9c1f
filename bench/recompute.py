"""Benchmark: recomputing every outcome summary, against the floor.

The floor is one SQL GROUP BY of the same answers (those to questions that feed an
outcome measure) by Always Event and week, timed in the same run on the same data.
The figures are ratios to it, so they hold on a noisy machine. Goal: under 1.5.

Two recomputes of every Always Event are timed, each counting and analysing every
answer: from nothing (every summary deleted first, so every row is written), and the
nightly run after a day's new responses (the rows are current but for that day's, so
only the rows that changed are written).

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


def recompute_from_nothing() -> int:
    """`recompute_summaries --all` on a table with no summaries (a new database)."""
    from evaluation.models import OutcomeSummary
    from evaluation.outcomes import outcome_summaries_recompute_all

    OutcomeSummary.objects.all().delete()
    return outcome_summaries_recompute_all()


def recompute_nightly() -> int:
    """What the nightly task runs."""
    from evaluation.outcomes import outcome_summaries_recompute_all

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

    def vacuum():  # the dead rows of the last recompute, untimed (autovacuum's work)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM evaluation_outcomesummary")

    floor()  # warm the cache for both
    day = responses // generate.DAYS  # the data's responses a day
    # interleaved, so all see the same load when the machine is shared
    floor_times, scratch_times, nightly_times, nightly_rows = [], [], [], []
    for _ in range(3):
        vacuum()
        seconds, groups = common.timed(floor)
        floor_times.append(seconds)
        seconds, rows = common.timed(recompute_from_nothing)
        scratch_times.append(seconds)
        vacuum()
        generate.add_day(responses=day)
        seconds, _ = common.timed(floor)
        floor_times.append(seconds)
        seconds, written = common.timed(recompute_nightly)
        nightly_times.append(seconds)
        nightly_rows.append(written)
    generate.remove_days()  # the data as loaded, for bench.figures to reuse
    floor_seconds = statistics.median(floor_times)
    scratch_seconds = statistics.median(scratch_times)
    nightly_seconds = statistics.median(nightly_times)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load = "the last run's data, kept (--keep)" if args.keep else f"{load_seconds:.1f} s"
    written = f"{min(nightly_rows):,} to {max(nightly_rows):,}"

    table = f"""
| figure | value |
| --- | --- |
| Always Events / responses / answers | {events:,} / {responses:,} / {answers:,} |
| data load (generate_series inside PostgreSQL) | {load} |
| floor: one GROUP BY by Always Event and week ({groups:,} groups), median of 6 \
| {floor_seconds:.2f} s |
| nightly recompute, after a day's {day:,} new responses ({written} rows of {rows:,} \
written), median of 3 | {nightly_seconds:.2f} s |
| **ratio nightly recompute / floor** (goal under 1.5) | **{nightly_seconds / floor_seconds:.2f}** |
| recompute from nothing ({rows:,} summary rows written, weeks and months), median of 3 \
| {scratch_seconds:.2f} s |
| **ratio recompute from nothing / floor** (goal under 1.5) \
| **{scratch_seconds / floor_seconds:.2f}** |
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
