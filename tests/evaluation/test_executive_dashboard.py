import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluation.dashboard_lines import lines_store
from evaluation.dashboards import executive_rows
from evaluation.models import Alert, DashboardLine, Measure, MeasureDataPoint
from evaluation.outcomes import outcome_summaries_recompute, outcome_summaries_recompute_all
from programmes.models import AlwaysEvent

from .outcome_data import answers, outcome_question

pytestmark = pytest.mark.django_db


def _month(months_ago: int) -> dt.date:
    day = timezone.localdate().replace(day=1)
    for _ in range(months_ago):
        day = (day - dt.timedelta(days=1)).replace(day=1)
    return day + dt.timedelta(days=9)


def _event_with_months(organisation, months: int, title: str, *, lead=None):
    question = outcome_question(organisation)
    AlwaysEvent.objects.filter(pk=question.version.form.always_event_id).update(title=title)
    for ago in range(months):
        answers(question, _month(ago), yes=8 + (ago % 3), no=4)
    if lead is not None:
        _with_other_measures(question, lead)
    return question


def _with_other_measures(question, lead):
    """An operational and a staff-experience measure with six months of figures, and an
    alert for the lead."""
    event = question.version.form.always_event
    event.leads.add(lead)
    for kind, name in [
        (Measure.Kind.OPERATIONAL, "Complaints about discharge"),
        (Measure.Kind.STAFF_EXPERIENCE, "Staff able to give good care"),
    ]:
        measure = Measure.objects.create(
            always_event=event, kind=kind, name=name, frequency="month"
        )
        MeasureDataPoint.objects.bulk_create(
            MeasureDataPoint(
                measure=measure, period_start=_month(ago).replace(day=1), numerator=3 + ago,
                denominator=40,
            )
            for ago in range(6)
        )
    Alert.objects.create(
        always_event=event, measure=question.measure, kind=Alert.Kind.NO_DATA,
        period="month", period_start=_month(1).replace(day=1),
        message=f"{event.title}: no answers were counted last month.",
    )


def test_it_shows_each_always_event_against_its_target_with_counts(client, lead, organisation):
    _event_with_months(organisation, 14, "Knowing who to contact at home")
    outcome_summaries_recompute_all()
    client.force_login(lead)

    page = client.get(reverse("dashboards:executive")).content.decode()

    assert "Knowing who to contact at home" in page
    assert "<strong>67%</strong> (8 of 12)" in page  # this month: 8 of 12
    assert "Target 80%" in page
    assert "Common cause variation" in page or "Special cause" in page
    assert "Will consistently" in page or "Hit and miss" in page


def test_too_few_months_gives_no_icons_and_months_without_data_are_counted(
    client, lead, organisation
):
    _event_with_months(organisation, 2, "Being called by my name")
    outcome_summaries_recompute_all()
    client.force_login(lead)

    page = client.get(reverse("dashboards:executive")).content.decode()

    assert "Too few months to judge (12 of the last 24 needed)" in page
    assert "4 months without data" in page


def test_a_month_with_fewer_than_5_responses_shows_no_percentage(client, lead, organisation):
    question = outcome_question(organisation)
    answers(question, _month(0), yes=2, no=1)
    outcome_summaries_recompute_all()
    client.force_login(lead)

    page = client.get(reverse("dashboards:executive")).content.decode()

    assert "Fewer than 5 responses in" in page
    assert "67%" not in page


def test_another_organisations_always_events_never_appear(client, lead, other_organisation):
    _event_with_months(other_organisation, 3, "Northfield's own Always Event")
    outcome_summaries_recompute_all()
    client.force_login(lead)
    assert "Northfield's own" not in client.get(reverse("dashboards:executive")).content.decode()


def test_filters_by_phase(client, lead, organisation):
    _event_with_months(organisation, 1, "Still setting up")
    client.force_login(lead)
    page = client.get(reverse("dashboards:executive") + "?phase=test").content.decode()
    assert "Still setting up" not in page
    assert "No Always Events match" in page


def test_the_number_of_queries_does_not_grow_with_the_number_of_always_events(
    client, lead, organisation
):
    _event_with_months(organisation, 13, "The first", lead=lead)
    outcome_summaries_recompute_all()
    client.force_login(lead)
    with CaptureQueriesContext(connection) as one:
        first = client.get(reverse("dashboards:executive")).content.decode()

    for n in range(49):
        _event_with_months(organisation, 13 if n % 2 else 2, f"Always Event {n}", lead=lead)
    outcome_summaries_recompute_all()
    with CaptureQueriesContext(connection) as fifty:
        response = client.get(reverse("dashboards:executive"))

    page = response.content.decode()
    table = page.split('id="operational-heading"')[0]
    assert table.count('scope="row"') == 50
    assert first.count("Complaints about discharge<span") == 1
    assert page.count("Complaints about discharge<span") == 50
    assert page.count("Staff able to give good care<span") == 50
    assert first.count("no answers were counted last month") == 1
    assert page.count("no answers were counted last month") == 20  # the latest 20 alerts
    assert len(fifty) == len(one)


def test_operational_and_staff_experience_measures_sit_beside_the_outcome(
    client, lead, organisation
):
    _event_with_months(organisation, 6, "Knowing who to contact at home", lead=lead)
    outcome_summaries_recompute_all()
    client.force_login(lead)

    page = client.get(reverse("dashboards:executive")).content.decode()

    operational, staff = page.split('id="operational-heading"')[1].split(
        'id="staff-experience-heading"'
    )
    assert "Complaints about discharge" in operational and "Staff able" not in operational
    assert "Staff able to give good care" in staff
    for section in (operational, staff):
        assert "Patient outcome: Knew who to contact" in section
        assert section.count("<th scope=\"col\"") == 7  # the same six months as the outcome
        assert "67% of 12" in section  # this month's outcome beside the other measures
    assert "8% of 40" in operational  # 3 of 40 complaints this month


def test_small_monthly_figures_of_other_measures_are_suppressed(client, lead, organisation):
    question = _event_with_months(organisation, 1, "Being called by my name", lead=lead)
    MeasureDataPoint.objects.filter(period_start=_month(0).replace(day=1)).update(
        numerator=2, denominator=4
    )
    client.force_login(lead)
    page = client.get(reverse("dashboards:executive")).content.decode()
    operational = page.split('id="operational-heading"')[1]
    assert "Fewer than 5" in operational and "50% of 4" not in operational
    assert question  # the Always Event's row is there



def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(reverse("dashboards:executive"))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_only_the_last_24_months_are_judged(client, lead, organisation):
    recent = _event_with_months(organisation, 2, "Recent and long ago")
    for ago in range(26, 40):  # 14 months long ago: enough for icons, if they counted
        answers(recent, _month(ago), yes=8, no=4)
    old = _event_with_months(organisation, 0, "Only long ago")
    answers(old, _month(30), yes=8, no=4)
    outcome_summaries_recompute_all()
    client.force_login(lead)

    page = client.get(reverse("dashboards:executive")).content.decode()
    recent_row, old_row = (
        page.split(f">{title}</a>")[1].split("</tr>")[0]
        for title in ["Recent and long ago", "Only long ago"]
    )

    assert "Too few months to judge (12 of the last 24 needed)" in recent_row
    assert "No responses in the last 24 months" in old_row


# The stored dashboard lines (dashboard_lines.py) ----------------------------------------


def _line_figures(rows):
    return [
        (
            r.always_event.title, r.latest, r.last_six, r.variation, r.assurance,
            r.responses_this_month, r.months_without_data,
        )
        for r in rows
    ]


def _some_always_events(organisation):
    _event_with_months(organisation, 14, "Fourteen months")
    _event_with_months(organisation, 24, "Two years")
    _event_with_months(organisation, 2, "Two months")
    small = _event_with_months(organisation, 0, "Few answers")
    answers(small, _month(0), yes=2, no=1)
    answers(small, _month(3), yes=9, no=1)
    _event_with_months(organisation, 0, "No answers yet")


def test_the_recompute_stores_each_outcome_measures_line_for_this_month(organisation):
    _some_always_events(organisation)
    outcome_summaries_recompute_all()

    lines = DashboardLine.objects.select_related("measure")
    assert lines.count() == Measure.objects.filter(kind=Measure.Kind.OUTCOME).count() == 5
    assert {line.month for line in lines} == {timezone.localdate().replace(day=1)}
    two_years = lines.get(measure__always_event__title="Two years")
    assert two_years.target_percent == 80 and two_years.improvement == Measure.Improvement.HIGHER
    assert two_years.variation and two_years.assurance
    assert two_years.latest[1:3] == [12, 8]  # this month: 8 of 12
    assert lines.get(measure__always_event__title="No answers yet").latest is None


def test_the_recompute_stores_the_lines_its_summaries_give_when_read_back(organisation):
    _some_always_events(organisation)
    question = _event_with_months(organisation, 24, "Thirty months")
    for ago in range(24, 30):  # months before the 24 the icons judge, far above the rest
        answers(question, _month(ago), yes=20, no=0)
    outcome_summaries_recompute_all()
    columns = ("measure_id", "month", "target_percent", "improvement", "latest", "last_six")
    columns += ("variation", "assurance")
    from_the_recompute = list(DashboardLine.objects.order_by("pk").values_list(*columns))
    events = AlwaysEvent.objects.order_by("pk").values_list("pk", flat=True)

    lines_store(first_event=events.first(), last_event=events.last())  # reads the summaries

    assert list(DashboardLine.objects.order_by("pk").values_list(*columns)) == from_the_recompute
    assert len(from_the_recompute) == 6
    assert sum(1 for line in from_the_recompute if line[-1]) == 3  # 14, 24 and 30 months


def test_the_stored_lines_give_the_same_rows_as_the_summaries(organisation):
    _some_always_events(organisation)
    outcome_summaries_recompute_all()
    today = timezone.localdate()

    from_lines = executive_rows(organisation, today=today)
    DashboardLine.objects.all().delete()
    from_summaries = executive_rows(organisation, today=today)

    assert all(not row.monthly for row in from_lines)  # no summary was read
    assert all(row.monthly for row in from_summaries if row.latest)
    assert _line_figures(from_lines) == _line_figures(from_summaries)
    assert sum(1 for row in from_lines if row.variation) == 2


def test_the_dashboard_reads_no_summaries_when_every_line_is_current(client, lead, organisation):
    _some_always_events(organisation)
    outcome_summaries_recompute_all()
    client.force_login(lead)

    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("dashboards:executive")).content.decode()

    assert not [q for q in queries if "evaluation_outcomesummary" in q["sql"]]
    assert "<strong>67%</strong> (8 of 12)" in page
    assert "Fewer than 5 responses in" in page
    assert "Too few months to judge (12 of the last 24 needed)" in page


def test_a_line_from_an_earlier_month_is_worked_out_again(organisation):
    _event_with_months(organisation, 14, "Fourteen months")
    outcome_summaries_recompute_all()
    today = timezone.localdate()
    expected = _line_figures(executive_rows(organisation, today=today))
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    DashboardLine.objects.update(month=last_month, latest=None, last_six=[None] * 6)

    rows = executive_rows(organisation, today=today)

    assert rows[0].monthly  # read from the summaries
    assert _line_figures(rows) == expected


def test_a_line_judged_against_an_earlier_target_is_worked_out_again(organisation):
    question = _event_with_months(organisation, 14, "Fourteen months")
    outcome_summaries_recompute_all()
    today = timezone.localdate()
    assert executive_rows(organisation, today=today)[0].assurance[0] == (
        "Will consistently miss the target"
    )

    Measure.objects.filter(pk=question.measure_id).update(target_percent=10)
    row = executive_rows(organisation, today=today)[0]

    assert row.monthly
    assert row.assurance[0] == "Will consistently meet the target"


def test_recomputing_one_always_event_replaces_its_line(organisation):
    question = _event_with_months(organisation, 2, "Two months")
    outcome_summaries_recompute_all()
    assert DashboardLine.objects.get().latest[1:3] == [12, 8]

    answers(question, _month(0), yes=10, no=0)
    outcome_summaries_recompute(always_event_id=question.version.form.always_event_id)

    line = DashboardLine.objects.get()
    assert line.latest[1:3] == [22, 18]
    assert not executive_rows(organisation, today=timezone.localdate())[0].monthly

