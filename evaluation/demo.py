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
SLIPPED, SLIP_DAYS = 0.05, 10  # the first Always Event's last days: something went wrong
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
    seed_oversight_reports()


def seed_oversight_reports() -> None:
    """Last month's oversight report for each demo organisation: R9X's signed off by its
    executive sponsor, R9Y's a draft. Skips a month that already has one."""
    from django.contrib.auth import get_user_model

    from programmes.models import Organisation

    from . import outcomes, reports
    from .models import OutcomeSummary, OversightReport

    today = timezone.localdate()
    month = reports.previous_month(today)
    for event_id in AlwaysEvent.objects.filter(
        organisation__ods_code__in=["R9X", "R9Y"], measures__isnull=False
    ).exclude(pk__in=OutcomeSummary.objects.values("always_event_id")).values_list(
        "pk", flat=True
    ).distinct():
        outcomes.outcome_summaries_recompute(always_event_id=event_id)  # the worker may be off
    for organisation in Organisation.objects.filter(ods_code__in=["R9X", "R9Y"]):
        if OversightReport.objects.filter(organisation=organisation, month=month).exists():
            continue
        report = reports.oversight_report_build(
            organisation=organisation, month=month, today=today
        )
        sponsor = get_user_model().objects.filter(
            email="executive@demo.test", memberships__organisation=organisation
        ).first()
        if sponsor is not None:
            reports.oversight_report_sign(
                report=report, user=sponsor,
                comments="Discussed at the oversight group. The discharge Always Event is "
                "holding above target; we asked for protected time for the co-design team.",
            )


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


# The programme evaluation ----------------------------------------------------------------

COHORT = [
    # ODS code, name, type, region code, [(title, setting, phase)]
    ("R8A", "Eastbrook Hospitals NHS Trust", "acute", "Y56", [
        ("Knowing my plan for the day", "inpatient", "test"),
        ("Pain relief when I need it", "inpatient", "co_design"),
    ]),
    ("R8B", "Harbourside Maternity and Children's NHS Foundation Trust", "acute", "Y56", [
        ("Involved in decisions about my birth", "maternity", "implement"),
        ("Knowing who is caring for my baby", "maternity", "test"),
        ("Feeding support when I need it", "maternity", "understand"),
    ]),
    ("R8C", "Moorland Mental Health NHS Foundation Trust", "mental_health", "Y63", [
        ("My carer involved in my care plan", "mental_health", "sustain"),
        ("Knowing my rights on admission", "mental_health", "test"),
    ]),
    ("R8D", "Westvale Community Health NHS Trust", "community", "Y63", [
        ("Knowing when the nurse will visit", "community", "implement"),
        ("One number to call", "community", "co_design"),
    ]),
    ("R8E", "Kingsmead University Hospitals NHS Foundation Trust", "acute", "Y56", [
        ("Told what happens next in ED", "emergency", "test"),
        ("Asked what matters to me", "outpatient", "implement"),
        ("Ready to go home", "inpatient", "sustain"),
    ]),
    ("R8F", "Northgate Ambulance Service NHS Trust", "ambulance", "Y63", [
        ("Knowing what happens when the ambulance leaves", "ambulance", "understand"),
    ]),
    ("R8G", "Ashby and District NHS Foundation Trust", "acute", "Y63", [
        ("Supported moving from children's to adult services", "outpatient", "test"),
        ("My name used the way I like", "inpatient", "implement"),
    ]),
    ("R8H", "Riverbend Integrated Care NHS Trust", "community", "Y56", [
        ("Knowing who to contact after discharge", "community", "test"),
        ("Involved in planning my care at home", "care_home", "set_up"),
        ("Told about changes to my medicines", "primary_care", "co_design"),
    ]),
]
SURVEY_ANSWERS = [
    # improved, influenced, challenges, helped
    ("definitely", "a_great_deal", ["protected_time", "staff_engagement"],
     ["patient_voice", "senior_support"]),
    ("definitely", "to_some_extent", ["protected_time", "pressures"],
     ["prior_engagement", "communication"]),
    ("to_some_extent", "to_some_extent", ["protected_time", "data_collection"],
     ["patient_voice", "training"]),
    ("definitely", "a_great_deal", ["staff_engagement", "skills"],
     ["patient_voice", "communication", "senior_support"]),
    ("to_some_extent", "not_very_much", ["protected_time", "partner_recruitment"],
     ["prior_engagement"]),
    ("definitely", "to_some_extent", ["protected_time", "staff_engagement", "pressures"],
     ["patient_voice", "staff_forums"]),
    ("to_some_extent", "not_at_all", ["staff_engagement", "senior_support"],
     ["communication", "training"]),
]
INTERVIEWS = [
    ("R8A", "Always Event lead", ["protected_time", "staff_engagement", "patient_voice"],
     "Once the ward manager gave us two hours a week, everything moved.\n"
     "Hearing a patient tell the story changed how the nurses saw it."),
    ("R8B", "Head of patient experience", ["senior_support", "communication", "readiness"],
     "Reporting to the executive committee every month kept it on the agenda."),
    ("R8C", "Patient partner", ["patient_voice", "staff_benefits"],
     "I felt listened to for the first time, and I learned how the ward works."),
    ("R8D", "Quality improvement coach", ["training", "protected_time", "efficiencies"],
     "Fewer phone calls to the office was what convinced the managers."),
    ("R8E", "Ward manager", ["protected_time", "staff_engagement", "staff_benefits"],
     "Staff said it was the best thing the team had done together in years."),
    ("R8G", "Always Event lead", ["prior_engagement", "patient_voice", "protected_time"],
     "We built on the listening events we had already run."),
    ("R8H", "Director of nursing", ["senior_support", "readiness", "efficiencies"],
     "It fitted our QI strategy, so the board could see why it mattered."),
    ("R9X", "Always Event lead", ["protected_time", "training", "staff_engagement"],
     "The contact card took ten minutes to design and saved hours of calls."),
    ("R9Y", "Carer partner", ["patient_voice", "communication", "staff_benefits"],
     "Being part of the team gave me confidence I had lost."),
]


def seed_programme_evaluation() -> None:
    """A cohort of organisations, a survey round answered by most Always Events, interviews,
    and Riverside's public "You said, we did" page: what the programme admin sees."""
    from programmes.models import Membership, Organisation, Region

    from . import programme
    from .models import ProgrammeSurvey

    if ProgrammeSurvey.objects.exists():
        return
    regions = {r.code: r for r in Region.objects.all()}
    rng = random.Random(20270301)
    for ods_code, name, kind, region_code, events in COHORT:
        organisation, _ = Organisation.objects.get_or_create(
            ods_code=ods_code,
            defaults={"name": name, "type": kind, "region": regions[region_code]},
        )
        lead = _cohort_lead(organisation)
        Membership.objects.get_or_create(
            user=lead, organisation=organisation, defaults={"role": Membership.Role.LEAD}
        )
        for title, setting, phase in events:
            event, created = AlwaysEvent.objects.get_or_create(
                organisation=organisation, title=title,
                defaults={"service_area": title, "setting": setting, "phase": phase},
            )
            if created:
                event.leads.add(lead)
    Organisation.objects.filter(ods_code="R9X").update(publishes_you_said_we_did=True)
    survey = programme.survey_open(
        title="Always Events programme evaluation, spring 2027", opened_by=None
    )
    events = list(
        AlwaysEvent.objects.exclude(phase="set_up").select_related("organisation")
        .prefetch_related("leads").order_by("pk")
    )
    skipped = set(
        AlwaysEvent.objects.filter(organisation__ods_code="R9X").order_by("pk")
        .values_list("pk", flat=True)[:2]
    )  # left for the demo lead to answer
    for index, event in enumerate(e for e in events if e.pk not in skipped):
        improved, influenced, challenges, helped = SURVEY_ANSWERS[index % len(SURVEY_ANSWERS)]
        programme.survey_response_save(
            survey=survey, always_event=event, answered_by=event.leads.first(),
            improved_experience=improved if rng.random() > 0.1 else "no",
            influenced_coproduction=influenced, challenges=challenges,
            challenges_other="Winter pressures paused the work for two months"
            if index % 9 == 0 else "",
            helped=helped, helped_other="",
        )
    today = timezone.localdate()
    for days_ago, (ods_code, role, themes, quotes) in enumerate(INTERVIEWS):
        programme.interview_save(
            organisation=Organisation.objects.get(ods_code=ods_code),
            interviewed_on=today - dt.timedelta(days=7 + 5 * days_ago),
            interviewee_role=role, themes=themes, quotes=quotes,
            notes="Interview of about 45 minutes, online.", recorded_by=None,
        )


def _cohort_lead(organisation):
    from django.contrib.auth import get_user_model

    user, created = get_user_model().objects.get_or_create(
        email=f"lead@{organisation.ods_code.lower()}.cohort.test",
        defaults={"full_name": f"Always Event lead, {organisation.name}"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
