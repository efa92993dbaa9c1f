"""Synthetic national data (DESIGN §7) for the benchmarks, generated inside PostgreSQL.

Organisations, Always Events, measures and forms are made with the ORM (thousands of
rows). Responses and answers (millions) are generated inside PostgreSQL from
generate_series and piped in PostgreSQL's binary format from `COPY (SELECT …) TO STDOUT`
on one connection into `COPY … FROM STDIN (FREEZE)` on another, inside the transaction
that truncated the table, so the rows are written once, already frozen, with no WAL
for the heap, no per-row INSERT work and no later VACUUM rewrite. The tables' non-unique
indexes are dropped during the load and rebuilt after, which is how a bulk load is done.

Every value is a function of the row number, so the two streams need not see each
other: response g has id g + 1 and answer (g, q) has id 5g + q. Each response answers
5 scale questions; the first feeds the outcome measure. Success rates rise over the two
years, as an Always Event's would.
"""

import datetime as dt
import time

import psycopg
from django.db import transaction

QUESTIONS_PER_FORM = 5
SCALE = [("Yes, definitely", 1), ("Yes, to some extent", 0), ("No", 0), ("Don't know", 2)]
FIRST_DAY = dt.date(2024, 12, 2)
DAYS = 728  # two years of weeks


@transaction.atomic
def make_structure(*, organisations: int, events: int) -> None:
    from evaluation.models import FeedbackForm, FormVersion, Measure, Option, Question
    from programmes.models import AlwaysEvent, Organisation, Region

    region = Region.objects.create(name="England", code="Y99")
    orgs = Organisation.objects.bulk_create(
        Organisation(name=f"Trust {i}", ods_code=f"B{i:04d}", type="acute", region=region)
        for i in range(organisations)
    )
    always_events = AlwaysEvent.objects.bulk_create(
        AlwaysEvent(
            organisation=orgs[i % organisations], title=f"Always Event {i}",
            service_area="Ward", setting="inpatient",
        )
        for i in range(events)
    )
    measures = Measure.objects.bulk_create(
        Measure(always_event=e, kind="outcome", name="Outcome", target_percent=80)
        for e in always_events
    )
    forms = FeedbackForm.objects.bulk_create(
        FeedbackForm(always_event=e, title="Form") for e in always_events
    )
    versions = FormVersion.objects.bulk_create(FormVersion(form=f, number=1) for f in forms)
    questions = Question.objects.bulk_create(
        Question(
            version=v, position=p, kind="scale", text=f"Question {p}",
            measure=m if p == 1 else None,
        )
        for v, m in zip(versions, measures, strict=True)
        for p in range(1, QUESTIONS_PER_FORM + 1)
    )
    Option.objects.bulk_create(
        Option(question=q, position=i, label=label, outcome=outcome)
        for q in questions
        for i, (label, outcome) in enumerate(SCALE, start=1)
    )


def load_responses(*, responses: int) -> dict[str, float]:
    """Responses spread evenly over the Always Events and two years; answers to match.

    Replaces any responses and answers already there. Returns the seconds each step took.
    """
    seconds: dict[str, float] = {}
    dsn = _dsn()
    with psycopg.connect(dsn, autocommit=True) as source, psycopg.connect(dsn) as target:
        _mapping_tables(source)
        events = source.execute("SELECT count(*) FROM bench_event").fetchone()[0]
        params = {
            "first": FIRST_DAY, "days": DAYS, "n": responses, "events": events,
            "q": QUESTIONS_PER_FORM, "offset": 0, "day": None, "key": "bench-",
        }
        with target.transaction():
            # A bulk load: foreign keys are not checked row by row (superuser only) and
            # the indexes are rebuilt once at the end.
            target.execute("SET session_replication_role = replica")
            target.execute(
                "TRUNCATE evaluation_answer, evaluation_response RESTART IDENTITY CASCADE"
            )
            indexes = _drop_indexes(target, "evaluation_answer")
            indexes += _drop_indexes(target, "evaluation_response")
            for table, select in (
                ("evaluation_response", RESPONSES_SQL), ("evaluation_answer", ANSWERS_SQL)
            ):
                start = time.perf_counter()
                _copy(source, target, table, select, params)
                seconds[f"copy {table}"] = time.perf_counter() - start
            target.execute("SET session_replication_role = DEFAULT")
            start = time.perf_counter()
            # Sorting in memory and with a parallel worker per core builds each index in
            # one pass; PostgreSQL's default of 64 MB spills to disk at national size.
            target.execute("SET LOCAL maintenance_work_mem = '1GB'")
            for statement in indexes:
                target.execute(statement)
            seconds["rebuild indexes"] = time.perf_counter() - start
            for table in ("evaluation_response", "evaluation_answer"):
                target.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
                )
        # VACUUM sets the visibility map, so recomputes can use index-only scans (as
        # autovacuum would do in a real database); the frozen rows make it a quick pass.
        start = time.perf_counter()
        target.autocommit = True
        target.execute("VACUUM ANALYZE evaluation_response")
        target.execute("VACUUM ANALYZE evaluation_answer")
        seconds["vacuum analyze"] = time.perf_counter() - start
    return seconds


COLUMNS = {
    "evaluation_response": (
        "id", "always_event_id", "form_version_id", "source", "language", "responded_on",
        "submission_key",
    ),
    "evaluation_answer": (
        "id", "response_id", "question_id", "option_id", "text", "always_event_id",
        "responded_on", "outcome",
    ),
}
# Response g: Always Event g mod events, a day spread over the two years (g * 7919 in
# bigint: at national size it passes the 32-bit range), or all on `day` when it is given
# (add_day); ids and submission keys numbered on from `offset`.
RESPONSES_SQL = """
    SELECT %(offset)s + g + 1 AS id, be.event_id AS always_event_id,
           be.version_id AS form_version_id, 'web' AS source, 'en' AS language,
           COALESCE(%(day)s::date, %(first)s::date + ((g::bigint * 7919) %% %(days)s)::int)
               AS responded_on,
           %(key)s || (%(offset)s + g) AS submission_key
    FROM generate_series(0, %(n)s - 1) g
    JOIN bench_event be ON be.idx = g %% %(events)s
"""
# The chance of "Yes, definitely" (option 1) rises from about 50% to about 85% over two
# years; the others share the rest. Question and option ids come from the Always Event's
# arrays (option_ids[4 (q - 1) + position]), so there is no join per answer.
ANSWERS_SQL = """
    SELECT (%(offset)s + a.g) * %(q)s + a.q AS id, %(offset)s + a.g + 1 AS response_id,
           a.question_ids[a.q] AS question_id, a.option_ids[a.slot] AS option_id,
           '' AS text, a.event_id AS always_event_id, a.responded_on AS responded_on,
           a.outcomes[a.slot] AS outcome
    FROM (
        SELECT g, q, be.event_id, be.question_ids, be.option_ids, be.outcomes,
               d.responded_on,
               (q - 1) * 4 + CASE
                   WHEN random() < 0.5 + 0.35 * (d.responded_on - %(first)s::date)
                                   / %(days)s::float THEN 1
                   ELSE 2 + floor(random() * 3)::int END AS slot
        FROM generate_series(0, %(n)s - 1) g
        JOIN bench_event be ON be.idx = g %% %(events)s
        CROSS JOIN LATERAL (
            SELECT COALESCE(
                %(day)s::date, %(first)s::date + ((g::bigint * 7919) %% %(days)s)::int
            ) AS responded_on
        ) d
        CROSS JOIN generate_series(1, %(q)s) q
    ) a
"""


def add_day(*, responses: int) -> dt.date:
    """A day's responses after the latest one there (what arrives between two nightly
    runs), inserted as the service does, with the indexes and keys in place, spread over
    the Always Events as `load_responses` spreads them. Returns the day."""
    dsn = _dsn()
    with psycopg.connect(dsn) as connection:
        _mapping_tables(connection)
        day = connection.execute("SELECT max(responded_on) + 1 FROM evaluation_response")
        day = day.fetchone()[0]
        events = connection.execute("SELECT count(*) FROM bench_event").fetchone()[0]
        first_id = connection.execute("SELECT coalesce(max(id), 0) + 1 FROM evaluation_response")
        params = {
            "first": FIRST_DAY, "days": DAYS, "n": responses, "events": events,
            "q": QUESTIONS_PER_FORM, "offset": first_id.fetchone()[0] - 1, "day": day,
            "key": DAY_KEY,
        }
        for table, select in (
            ("evaluation_response", RESPONSES_SQL), ("evaluation_answer", ANSWERS_SQL)
        ):
            columns = ", ".join(COLUMNS[table])
            connection.execute(f"INSERT INTO {table} ({columns}) {select}", params)
            connection.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) + 1 FROM {table}), false)"
            )
    return day


def remove_days() -> None:
    """Deletes what `add_day` added, so the data is again what `load_responses` loaded."""
    with psycopg.connect(_dsn()) as connection:
        connection.execute(
            "DELETE FROM evaluation_answer a USING evaluation_response r "
            "WHERE a.response_id = r.id AND r.submission_key LIKE %s",
            [DAY_KEY + "%"],
        )
        connection.execute(
            "DELETE FROM evaluation_response WHERE submission_key LIKE %s", [DAY_KEY + "%"]
        )


DAY_KEY = "day-"  # the submission keys of what add_day adds


def _copy(source, target, table: str, select: str, params: dict) -> None:
    """Pipes `select` into `table` in binary: each column cast to the table's own type,
    since the binary format carries no type conversion."""
    columns = COLUMNS[table]
    types = dict(
        target.execute(
            "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
            "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
            [table],
        ).fetchall()
    )
    cast = ", ".join(f"rows.{c}::{types[c]}" for c in columns)
    out_sql = f"COPY (SELECT {cast} FROM ({select}) rows) TO STDOUT (FORMAT binary)"
    in_sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT binary, FREEZE)"
    with (
        source.cursor().copy(out_sql, params) as copy_out,
        target.cursor().copy(in_sql) as copy_in,
    ):
        for data in copy_out:
            copy_in.write(data)


def _mapping_tables(connection) -> None:
    """Each Always Event's position, form version, question ids (by position) and option
    ids and outcomes (4 per question, by position), as a temporary table of the source
    session."""
    connection.execute("""
        CREATE TEMP TABLE bench_event AS
        SELECT (row_number() OVER (ORDER BY e.id) - 1)::int AS idx, e.id AS event_id,
               v.id AS version_id, q.question_ids, o.option_ids, o.outcomes
        FROM programmes_alwaysevent e
        JOIN evaluation_feedbackform f ON f.always_event_id = e.id
        JOIN evaluation_formversion v ON v.form_id = f.id
        JOIN (
            SELECT version_id, array_agg(id ORDER BY position) AS question_ids
            FROM evaluation_question GROUP BY version_id
        ) q ON q.version_id = v.id
        JOIN (
            SELECT q.version_id, array_agg(o.id ORDER BY q.position, o.position) AS option_ids,
                   array_agg(o.outcome ORDER BY q.position, o.position) AS outcomes
            FROM evaluation_question q JOIN evaluation_option o ON o.question_id = q.id
            GROUP BY q.version_id
        ) o ON o.version_id = v.id
    """)
    connection.execute("CREATE UNIQUE INDEX ON bench_event (idx)")
    connection.execute("ANALYZE bench_event")


def _dsn() -> str:
    """libpq connection string of Django's default database."""
    from django.db import connection
    from psycopg.conninfo import make_conninfo

    params = connection.get_connection_params()
    return make_conninfo(
        **{k: v for k, v in params.items() if k in {"dbname", "user", "password", "host", "port"}}
    )


def _drop_indexes(cursor, table: str) -> list[str]:
    """Drops the table's non-unique indexes; returns the statements that rebuild them."""
    rows = cursor.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        JOIN pg_class c ON c.relname = i.indexname JOIN pg_index x ON x.indexrelid = c.oid
        WHERE i.tablename = %s AND NOT x.indisunique
        """,
        [table],
    ).fetchall()
    for name, _ in rows:
        cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _, definition in rows]
