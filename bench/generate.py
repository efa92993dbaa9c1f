"""Synthetic national data (DESIGN §7) for the benchmarks, generated inside PostgreSQL.

Organisations, Always Events, measures and forms are made with the ORM (thousands of
rows); responses and answers (millions) with INSERT … SELECT over generate_series, with
the answers table's indexes dropped during the load and rebuilt after, which is how a
bulk load is done. Each response answers 5 scale questions; the first feeds the outcome
measure. Success rates rise over the two years, as an Always Event's would.
"""

import datetime as dt

from django.db import connection, transaction

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


def load_responses(*, responses: int) -> None:
    """Responses spread evenly over the Always Events and two years; answers to match."""
    with connection.cursor() as cursor:
        cursor.execute("""
            CREATE TEMP TABLE bench_event AS
            SELECT row_number() OVER (ORDER BY e.id) - 1 AS idx, e.id AS event_id,
                   v.id AS version_id
            FROM programmes_alwaysevent e
            JOIN evaluation_feedbackform f ON f.always_event_id = e.id
            JOIN evaluation_formversion v ON v.form_id = f.id;
            CREATE TEMP TABLE bench_option AS
            SELECT q.version_id, q.position AS q_pos, o.position AS o_pos,
                   q.id AS question_id, o.id AS option_id, o.outcome
            FROM evaluation_question q JOIN evaluation_option o ON o.question_id = q.id;
            CREATE INDEX ON bench_option (version_id, q_pos, o_pos);
            ANALYZE bench_event; ANALYZE bench_option;
        """)
        cursor.execute("SELECT count(*) FROM bench_event")
        events = cursor.fetchone()[0]
        # A bulk load: foreign keys are not checked row by row (superuser only) and the
        # indexes are rebuilt once at the end.
        cursor.execute("SET session_replication_role = replica")
        indexes = _drop_indexes(cursor, "evaluation_answer")
        indexes += _drop_indexes(cursor, "evaluation_response")
        cursor.execute(
            """
            INSERT INTO evaluation_response
                (always_event_id, form_version_id, source, language, responded_on,
                 submission_key)
            SELECT be.event_id, be.version_id, 'web', 'en',
                   %(first)s::date + ((g * 7919) %% %(days)s)::int, 'bench-' || g
            FROM generate_series(0, %(n)s - 1) g
            JOIN bench_event be ON be.idx = g %% %(events)s
            """,
            {"first": FIRST_DAY, "days": DAYS, "n": responses, "events": events},
        )
        # The chance of "Yes, definitely" rises from about 50% to about 85% over two years.
        cursor.execute(
            """
            INSERT INTO evaluation_answer
                (response_id, question_id, option_id, text, always_event_id, responded_on,
                 outcome)
            SELECT a.id, o.question_id, o.option_id, '', a.always_event_id, a.responded_on,
                   o.outcome
            FROM (
                SELECT r.id, r.always_event_id, r.form_version_id, r.responded_on, q AS q_pos,
                       CASE WHEN random() < 0.5 + 0.35 * (r.responded_on - %(first)s::date)
                                            / %(days)s::float THEN 1
                            ELSE 2 + floor(random() * 3)::int END AS o_pos
                FROM evaluation_response r CROSS JOIN generate_series(1, %(q)s) q
            ) a
            JOIN bench_option o
              ON o.version_id = a.form_version_id AND o.q_pos = a.q_pos AND o.o_pos = a.o_pos
            """,
            {"first": FIRST_DAY, "days": DAYS, "q": QUESTIONS_PER_FORM},
        )
        cursor.execute("SET session_replication_role = DEFAULT")
        for statement in indexes:
            cursor.execute(statement)
        # VACUUM sets the visibility map, so recomputes can use index-only scans (as
        # autovacuum would do in a real database).
        cursor.execute("VACUUM ANALYZE evaluation_response")
        cursor.execute("VACUUM ANALYZE evaluation_answer")


def _drop_indexes(cursor, table: str) -> list[str]:
    """Drops the table's non-unique indexes; returns the statements that rebuild them."""
    cursor.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        JOIN pg_class c ON c.relname = i.indexname JOIN pg_index x ON x.indexrelid = c.oid
        WHERE i.tablename = %s AND NOT x.indisunique
        """,
        [table],
    )
    rows = cursor.fetchall()
    for name, _ in rows:
        cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _, definition in rows]
