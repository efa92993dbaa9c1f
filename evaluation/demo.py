"""Demo measures, forms and responses for `manage.py seed_demo`. Never run in production."""

import datetime as dt
import random

from django.db import connection, transaction
from django.utils import timezone

from programmes.models import AlwaysEvent

from . import services
from .models import Answer, DistributionPoint, Measure, MeasureDataPoint, Response

WEEKS = 104
BEFORE, AFTER = 0.55, 0.85
SLIPPED, SLIP_DAYS = 0.12, 10  # the first Always Event's last days: something went wrong
MONTHS = 24
COMMENTS = [
    "The nurse explained who to ring and gave me a card.",
    "Nobody told me who to contact when I got home.",
    "Staff were kind and took time to listen.",
    "I was not sure who to call at the weekend.",
    "Everything was clear. Thank you to the whole team.",
]
WELSH = {
    "title": "Mynd adref o'r ward",
    "introduction": "Atebwch 3 chwestiwn byr am eich gofal.",
    "questions": {
        "1": {"text": "Oeddech chi'n gwybod pwy i gysylltu â nhw pe baech chi'n poeni ar ôl "
              "cyrraedd adref?", "hint": "",
              "options": {"1": "Oeddwn, yn bendant", "2": "Oeddwn, i ryw raddau",
                          "3": "Nac oeddwn", "4": "Ddim yn gwybod"}},
        "2": {"text": "At ei gilydd, sut oedd eich profiad o'n gwasanaeth?", "hint": "",
              "options": {"1": "Da iawn", "2": "Da", "3": "Ddim yn dda nac yn wael",
                          "4": "Gwael", "5": "Gwael iawn", "6": "Ddim yn gwybod"}},
        "3": {"text": "A oes unrhyw beth arall yr hoffech ei ddweud wrthym?", "hint": "",
              "options": {}},
    },
}


def seed_evaluation() -> None:
    """Forms, distribution points and two years of weekly responses for each demo Always
    Event that has none yet; then one recompute per Always Event."""
    events = AlwaysEvent.objects.filter(organisation__ods_code__in=["R9X", "R9Y"]).order_by("pk")
    rng = random.Random(20261127)
    seeded = []
    for index, event in enumerate(events):
        if event.feedback_forms.exists():
            continue
        with transaction.atomic():
            _seed_event(event, index, rng)
        seeded.append(event.pk)
    from .summaries import request_recompute

    if seeded and seeded[0] == events[0].pk:
        _show_an_alert(events[0].pk)
    for always_event_id in seeded:
        request_recompute(always_event_id)


def _show_an_alert(always_event_id: int) -> None:
    """The first Always Event's figures slipped in the last days: recompute it now, so
    the demo's dashboards show the alert this raises (its email goes with the next run of
    the alert tasks)."""
    from .alerts import alerts_check_special_cause
    from .outcomes import outcome_summaries_recompute

    outcome_summaries_recompute(always_event_id=always_event_id)
    alerts_check_special_cause(always_event_ids=[always_event_id])


def _seed_event(event: AlwaysEvent, index: int, rng: random.Random) -> None:
    today = timezone.localdate()
    start = services.period_start_for(today, "week") - dt.timedelta(weeks=WEEKS - 1)
    change_on = _change_date(event, start, today)
    outcome = Measure.objects.create(
        always_event=event, kind=Measure.Kind.OUTCOME,
        name=(event.aim_measure or "Said the Always Event happened")[:200].capitalize(),
        definition="People answering “Yes, definitely” out of all who answered, leaving out "
        "“Don't know”", numerator="People who answered “Yes, definitely”",
        denominator="People who answered, leaving out “Don't know”",
        target_percent=event.aim_target_percent or 80,
    )
    process = Measure.objects.create(
        always_event=event, kind=Measure.Kind.PROCESS, name="Contact cards given",
        numerator="Discharges with a contact card", denominator="Discharges",
        target_percent=95,
    )
    Measure.objects.create(
        always_event=event, kind=Measure.Kind.BALANCING, name="Discharges after 5pm",
        numerator="Discharges after 5pm", denominator="Discharges",
        improvement=Measure.Improvement.LOWER,
    )
    if not event.you_said_we_did:
        event.you_said_we_did = (
            "You said you did not always know who to ring once you were home. We now give "
            "everyone a card with the names and numbers of the team before they leave."
        )
        event.save(update_fields=["you_said_we_did"])

    form = services.form_create(
        always_event=event, title=f"Your care: {event.service_area}"[:200],
        introduction="Please answer 3 short questions about your care.",
        format="easy_read" if index == 1 else "standard",
    )
    services.question_add(
        form=form, kind="scale", scale="yes_no", measure=outcome,
        text="Did you know who to contact if you were worried after you got home?",
    )
    services.question_add(
        form=form, kind="scale", scale="fft",
        text="Overall, how was your experience of our service?",
    )
    services.question_add(
        form=form, kind="text", text="Is there anything else you would like to tell us?",
        max_length=1000,
    )
    if index == 0:
        services.translation_save(form=form, language="cy", language_name="Cymraeg", **WELSH)
    for channel, location in [
        (DistributionPoint.Channel.QR_CODE, f"{event.service_area}: discharge lounge poster"),
        (DistributionPoint.Channel.KIOSK, f"{event.service_area}: day room tablet"),
    ]:
        services.distribution_point_create(
            form=form, location=location[:200], channel=channel, starts_on=start
        )
    _seed_responses(event, form, start, change_on, today, rng, slipped=index == 0)
    MeasureDataPoint.objects.bulk_create(
        MeasureDataPoint(
            measure=process, period_start=start + dt.timedelta(weeks=week),
            numerator=(n := rng.randint(20, 35))
            - (rng.randint(0, 3) if week >= WEEKS // 2 else rng.randint(5, 10)),
            denominator=n,
        )
        for week in range(WEEKS)
    )
    _seed_operational_and_staff(event, today, change_on, rng)


def _seed_operational_and_staff(event, today, change_on, rng) -> None:
    """Monthly readmissions and a staff pulse survey, better after the change: what the
    executive dashboard shows beside the patient outcome."""
    readmissions = Measure.objects.create(
        always_event=event, kind=Measure.Kind.OPERATIONAL, name="Readmissions within 30 days",
        definition="Emergency readmissions within 30 days of discharge from the ward",
        numerator="Discharges followed by an emergency readmission within 30 days",
        denominator="Discharges", target_percent=8, improvement=Measure.Improvement.LOWER,
        frequency="month",
    )
    pulse = Measure.objects.create(
        always_event=event, kind=Measure.Kind.STAFF_EXPERIENCE,
        name="Staff able to give the care they aspire to",
        definition="Ward staff answering “Agree” or “Strongly agree” in the monthly pulse "
        "survey (NHS Staff Survey question 4c)",
        numerator="Staff who agree", denominator="Staff who answered", target_percent=75,
        frequency="month",
    )
    month = today.replace(day=1)
    rows = []
    for _ in range(MONTHS):
        after = month >= change_on.replace(day=1)
        discharges, staff = rng.randint(90, 130), rng.randint(14, 26)
        rows.append(MeasureDataPoint(
            measure=readmissions, period_start=month, denominator=discharges,
            numerator=round(discharges * rng.uniform(0.05, 0.09 if after else 0.13)),
        ))
        agree = rng.uniform(0.68, 0.85) if after else rng.uniform(0.45, 0.62)
        rows.append(MeasureDataPoint(
            measure=pulse, period_start=month, denominator=staff, numerator=round(staff * agree),
        ))
        month = (month - dt.timedelta(days=1)).replace(day=1)
    MeasureDataPoint.objects.bulk_create(rows)


def _change_date(event, start, today):
    """The day the adopted PDSA cycle ended, or halfway through the two years."""
    cycle = event.pdsa_cycles.filter(act="adopt", ended_on__isnull=False).order_by("ended_on")
    ended = cycle.values_list("ended_on", flat=True).first()
    if ended and start < ended < today:
        return ended
    return start + (today - start) / 2


def _seed_responses(event, form, start, change_on, today, rng, *, slipped=False) -> None:
    version = services.form_current_version(form)
    q1, q2, q3 = version.questions.prefetch_related("options")
    yes, some, no, dont_know = q1.options.all()
    fft = list(q2.options.all())
    point = form.distribution_points.first()
    responses, picks = [], []
    for week in range(WEEKS):
        monday = start + dt.timedelta(weeks=week)
        for number in range(rng.randint(15, 40)):
            day = min(monday + dt.timedelta(days=rng.randint(0, 6)), today)
            rate = AFTER if day >= change_on else BEFORE
            if slipped and (today - day).days < SLIP_DAYS:
                rate = SLIPPED
            roll = rng.random()
            option = (
                dont_know if roll < 0.05 else yes if roll < 0.05 + 0.95 * rate
                else rng.choice([some, no])
            )
            good = option is yes
            fft_option = fft[rng.choice([0, 0, 1] if good else [1, 2, 3, 4, 5])]
            comment = rng.choice(COMMENTS) if rng.random() < 0.15 else ""
            responses.append({
                "always_event_id": event.pk, "form_version_id": version.pk,
                "distribution_point_id": point.pk, "import_batch_id": None,
                "source": Response.Source.WEB, "language": "en",
                "responded_on": day.isoformat(),
                "submission_key": f"demo-{event.pk}-{week}-{number}",
            })
            picks.append((option, fft_option, comment))
    _insert(Response, responses)
    ids = dict(
        Response.objects.filter(always_event=event, submission_key__startswith="demo-")
        .values_list("submission_key", "id")
    )
    answers = []
    for response, (option, fft_option, comment) in zip(responses, picks, strict=True):
        response_id, day = ids[response["submission_key"]], response["responded_on"]
        for question, chosen in ((q1, option), (q2, fft_option)):
            answers.append({
                "response_id": response_id, "question_id": question.pk,
                "option_id": chosen.pk, "text": "", "always_event_id": event.pk,
                "responded_on": day, "outcome": chosen.outcome,
            })
        if comment:
            answers.append({
                "response_id": response_id, "question_id": q3.pk, "option_id": None,
                "text": comment, "always_event_id": event.pk, "responded_on": day,
                "outcome": None,
            })
    _insert(Answer, answers)


def _insert(model, rows: list[dict]) -> None:
    """Plain executemany: the ORM's bulk_create costs seconds at demo size on SQLite."""
    if not rows:
        return
    columns = list(rows[0])
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    values = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({names}) VALUES ({values})"  # noqa: S608 (names are ours)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            chunk = rows[start:start + 5000]
            cursor.executemany(sql, [tuple(row[c] for c in columns) for row in chunk])
