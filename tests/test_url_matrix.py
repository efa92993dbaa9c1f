"""Every URL pattern of the service, walked for who may see it.

The demo data (both organisations, everything each app seeds) is the world. For every
pattern this file must say how to fill its arguments with an object of the first
organisation (Riverside, R9X); a new URL without an entry fails
`test_every_url_pattern_has_an_entry`. Then, for every such URL:
- signed out, a staff page sends you to sign in; a public page does not;
- a lead of the second organisation (Northfield) gets 404 for every object of the
  first, and the first organisation's name never appears on their pages;
- members of the first organisation in every role, and a programme admin, never get a
  server error; members never get 404 on their own organisation's objects.
Role-by-role rules (who may edit what) are tested in each app's own tests.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from coproduction.models import CoDesignMember, CoDesignSession, Engagement, PrivateLink, Theme
from evaluation.models import (
    Alert,
    DistributionPoint,
    FeedbackForm,
    ImportBatch,
    Interview,
    Measure,
    MeasureDataPoint,
    OversightReport,
)
from programmes.models import (
    Action,
    AlwaysEvent,
    ChangeIdea,
    Communication,
    Criterion,
    Membership,
    Organisation,
    OversightGroupMember,
    OversightMeeting,
    PDSACycle,
    PrimaryDriver,
    ReadinessAssessment,
    SecondaryDriver,
    SpreadRecord,
)

PUBLIC = {
    "login", "password_reset", "password_reset_done", "password_reset_confirm",
    "password_reset_complete", "accessibility", "privacy", "health",
    "coproduction:check_in", "coproduction:check_in_thanks", "coproduction:team_page",
    "evaluation:feedback_form", "evaluation:feedback_thanks", "programmes:you_said_we_did",
}
# Programme admins' own pages: they see them; members get 403, or 404 for an object.
PROGRAMME_ADMIN_PAGES = {"programme:interview_edit"}
NO_ARGUMENTS_NEEDED = None  # marker for patterns without arguments


def _patterns(patterns=None, namespace=""):
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue
            inner = namespace + (f"{p.namespace}:" if p.namespace else "")
            yield from _patterns(p.url_patterns, inner)
        elif isinstance(p, URLPattern) and p.name:
            yield namespace + p.name, p


class World:
    """Objects of the first organisation, from the demo data."""

    def __init__(self):
        self.org = Organisation.objects.get(ods_code="R9X")
        self.event = AlwaysEvent.objects.filter(
            organisation=self.org, pdsa_cycles__isnull=False
        ).first()

    def first(self, model, path_to_org):
        found = model.objects.filter(**{path_to_org: self.org}).order_by("pk").first()
        assert found is not None, f"the demo data has no {model.__name__} in R9X"
        return found


def _event(w):
    return {"pk": w.event.pk}


def _form_question(w):
    form = w.first(FeedbackForm, "always_event__organisation")
    version = form.versions.order_by("-number").first()
    return {"pk": form.pk, "position": version.questions.order_by("position").first().position}


def _translation(w):
    form = w.first(FeedbackForm, "always_event__organisation")
    for version in form.versions.all():
        translation = version.translations.first()
        if translation:
            return {"pk": form.pk, "language": translation.language}
    form = FeedbackForm.objects.filter(
        always_event__organisation=w.org, versions__translations__isnull=False
    ).first()
    assert form, "the demo data has no translated form in R9X"
    return {"pk": form.pk, "language": form.versions.first().translations.first().language}


def _import_batch(w):
    batch = ImportBatch.objects.filter(always_event__organisation=w.org).first()
    if batch is None:
        form = w.first(FeedbackForm, "always_event__organisation")
        batch = ImportBatch.objects.create(
            always_event=form.always_event, form_version=form.versions.first(),
            file_name="ward7.csv", file_sha256="0" * 64, content="", status="done",
        )
    return {"pk": batch.pk}


def _data_point(w):
    point = w.first(MeasureDataPoint, "measure__always_event__organisation")
    return {"pk": point.measure_id, "point_pk": point.pk}


def _node(model, path):
    def kwargs(w):
        to_org = f"{path}__always_event__organisation" if path else "always_event__organisation"
        node = w.first(model, to_org)
        event_id = node.always_event_id if not path else _walk(node, path).always_event_id
        return {"pk": event_id, "node_pk": node.pk}
    return kwargs


def _walk(obj, path):
    for part in path.split("__"):
        obj = getattr(obj, part)
    return obj


def _child(model, argument, **extra):
    def kwargs(w):
        obj = w.first(model, "always_event__organisation")
        return {"pk": obj.always_event_id, argument: obj.pk, **extra}
    return kwargs


def _own(model, path="always_event__organisation"):
    return lambda w: {"pk": w.first(model, path).pk}


def _token(kind_filter=None):
    def kwargs(w):
        links = PrivateLink.objects.filter(member__always_event__organisation=w.org)
        if kind_filter:
            links = links.filter(**kind_filter)
        link = links.first()
        assert link, "the demo data has no private link in R9X"
        return {"token": link.token}
    return kwargs


ARGUMENTS = {
    # site
    "home": NO_ARGUMENTS_NEEDED, "health": NO_ARGUMENTS_NEEDED,
    "switch_organisation": NO_ARGUMENTS_NEEDED, "login": NO_ARGUMENTS_NEEDED,
    "logout": NO_ARGUMENTS_NEEDED, "account": NO_ARGUMENTS_NEEDED,
    "two_factor": NO_ARGUMENTS_NEEDED, "password_change": NO_ARGUMENTS_NEEDED,
    "password_change_done": NO_ARGUMENTS_NEEDED, "password_reset": NO_ARGUMENTS_NEEDED,
    "password_reset_done": NO_ARGUMENTS_NEEDED,
    "password_reset_confirm": lambda w: {"uidb64": "MQ", "token": "set-password"},
    "password_reset_complete": NO_ARGUMENTS_NEEDED, "accessibility": NO_ARGUMENTS_NEEDED,
    "privacy": NO_ARGUMENTS_NEEDED,
    # programmes
    "programmes:always_event_list": NO_ARGUMENTS_NEEDED,
    "programmes:always_event_create": NO_ARGUMENTS_NEEDED,
    "programmes:overdue_actions": NO_ARGUMENTS_NEEDED,
    **{f"programmes:{name}": _event for name in [
        "always_event_detail", "always_event_edit", "vision_and_aim", "criteria", "gates",
        "driver_diagram", "primary_driver_create", "pdsa_list", "pdsa_create", "action_list",
        "action_create", "spread", "communication_create", "spread_record_create", "history",
    ]},
    "programmes:criterion_edit": lambda w: {
        "pk": w.event.pk, "kind": Criterion.objects.filter(always_event=w.event).first().kind
    },
    "programmes:primary_driver_edit": _node(PrimaryDriver, ""),
    "programmes:secondary_driver_create": _node(PrimaryDriver, ""),
    "programmes:secondary_driver_edit": _node(SecondaryDriver, "primary_driver"),
    "programmes:change_idea_create": _node(SecondaryDriver, "primary_driver"),
    "programmes:change_idea_edit": _node(ChangeIdea, "secondary_driver__primary_driver"),
    "programmes:driver_node_delete": lambda w: {
        **_node(ChangeIdea, "secondary_driver__primary_driver")(w), "kind": "idea"
    },
    "programmes:pdsa_edit": _child(PDSACycle, "cycle_pk"),
    "programmes:action_edit": _child(Action, "action_pk"),
    "programmes:communication_edit": _child(Communication, "item_pk"),
    "programmes:communication_delete": _child(Communication, "item_pk"),
    "programmes:spread_record_edit": _child(SpreadRecord, "record_pk"),
    "programmes:spread_record_delete": _child(SpreadRecord, "record_pk"),
    "programmes:readiness_list": NO_ARGUMENTS_NEEDED,
    "programmes:readiness_create": NO_ARGUMENTS_NEEDED,
    "programmes:readiness_detail": _own(ReadinessAssessment, "organisation"),
    "programmes:oversight_group": NO_ARGUMENTS_NEEDED,
    "programmes:oversight_group_edit": NO_ARGUMENTS_NEEDED,
    "programmes:oversight_member_create": NO_ARGUMENTS_NEEDED,
    "programmes:oversight_member_delete": _own(OversightGroupMember, "group__organisation"),
    "programmes:oversight_meeting_create": NO_ARGUMENTS_NEEDED,
    "programmes:oversight_meeting_edit": _own(OversightMeeting, "group__organisation"),
    "programmes:oversight_meeting_delete": _own(OversightMeeting, "group__organisation"),
    "programmes:members": NO_ARGUMENTS_NEEDED,
    "programmes:member_role": _own(Membership, "organisation"),
    "programmes:member_remove": _own(Membership, "organisation"),
    "programmes:you_said_we_did_settings": NO_ARGUMENTS_NEEDED,
    "programmes:you_said_we_did": lambda w: {"ods_code": w.org.ods_code},
    # co-production
    "coproduction:overview": NO_ARGUMENTS_NEEDED,
    "coproduction:training": NO_ARGUMENTS_NEEDED,
    "coproduction:training_add": NO_ARGUMENTS_NEEDED,
    "coproduction:themes": NO_ARGUMENTS_NEEDED,
    "coproduction:theme_edit": lambda w: {"theme_pk": w.first(Theme, "organisation").pk},
    "coproduction:details_log": NO_ARGUMENTS_NEEDED,
    **{f"coproduction:{name}": _event for name in [
        "team", "staff_add", "partner_add", "sessions", "session_add", "engagements",
        "engagement_add", "ladder", "ladder_add", "check_ins", "check_in_links_create",
    ]},
    **{f"coproduction:{name}": _child(CoDesignMember, "member_pk") for name in [
        "member", "member_edit", "member_export", "payment_add", "team_link_create",
    ]},
    **{f"coproduction:{name}": _child(CoDesignSession, "session_pk") for name in [
        "session", "attendance", "session_notes",
    ]},
    **{f"coproduction:{name}": _child(Engagement, "engagement_pk") for name in [
        "engagement", "quote_add",
    ]},
    "coproduction:check_in_thanks": NO_ARGUMENTS_NEEDED,
    "coproduction:check_in": _token(),
    "coproduction:team_page": _token(),
    # evaluation
    **{f"evaluation:{name}": _event for name in [
        "measure_list", "measure_create", "form_list", "form_create",
        "distribution_point_list", "import_list",
    ]},
    **{f"evaluation:{name}": _own(Measure) for name in [
        "measure_detail", "measure_edit", "data_point_create", "data_point_upload",
    ]},
    **{f"evaluation:{name}": _own(FeedbackForm) for name in [
        "form_detail", "form_edit", "question_create", "translation_create",
        "distribution_point_create", "import_template", "import_create",
    ]},
    "evaluation:data_point_delete": _data_point,
    "evaluation:question_edit": _form_question,
    "evaluation:question_delete": _form_question,
    "evaluation:question_move": _form_question,
    "evaluation:translation_edit": _translation,
    "evaluation:translation_delete": _translation,
    **{f"evaluation:{name}": _own(DistributionPoint) for name in [
        "distribution_point_detail", "distribution_point_retire", "distribution_point_poster",
    ]},
    "evaluation:distribution_point_qr": lambda w: {
        **_own(DistributionPoint)(w), "image_format": "svg"
    },
    "evaluation:import_detail": _import_batch,
    "evaluation:import_errors": _import_batch,
    "evaluation:feedback_form": lambda w: {
        "token": w.first(DistributionPoint, "always_event__organisation").token
    },
    "evaluation:feedback_thanks": lambda w: {
        "token": w.first(DistributionPoint, "always_event__organisation").token
    },
    # dashboards
    "dashboards:always_event_outcomes": _event,
    "dashboards:alert_seen": _own(Alert),
    "dashboards:executive": NO_ARGUMENTS_NEEDED,
    # oversight reports
    "reports:report_list": NO_ARGUMENTS_NEEDED,
    "reports:report_build": NO_ARGUMENTS_NEEDED,
    **{f"reports:{name}": _own(OversightReport, "organisation") for name in [
        "report_detail", "report_sign",
    ]},
    "reports:report_download": lambda w: {
        **_own(OversightReport, "organisation")(w), "file_format": "pdf"
    },
    # programme view and evaluation
    **{f"programme:{name}": NO_ARGUMENTS_NEEDED for name in [
        "overview", "evaluation_summary", "evaluation_summary_pdf", "survey_rounds",
        "survey_close", "interview_list", "interview_create", "survey",
    ]},
    "programme:interview_edit": _own(Interview, "organisation"),
    "programme:survey_answer": _event,
}


@pytest.fixture
def world(demo_world, db, settings):
    settings.HEALTH_WORKER_TIMEOUT = 1
    return World()


def _urls(world):
    for name, _pattern in _patterns():
        make = ARGUMENTS[name]
        kwargs = make(world) if make else {}
        yield name, reverse(name, kwargs=kwargs), bool(kwargs)


def test_every_url_pattern_has_an_entry():
    missing = sorted(name for name, _ in _patterns() if name not in ARGUMENTS)
    assert missing == [], f"add these URL names to ARGUMENTS in {__file__}: {missing}"


def test_signed_out_people_are_sent_to_sign_in_except_on_public_pages(client, world):
    for name, url, _ in _urls(world):
        response = client.get(url)
        if name in PUBLIC:
            assert response.status_code in (200, 302, 404, 410, 503), (name, response.status_code)
            if response.status_code == 302:
                assert "/accounts/login/" not in response.url, name
        else:
            assert response.status_code in (302, 405), (name, response.status_code)
            if response.status_code == 302:
                assert response.url.startswith("/accounts/login/"), (name, response.url)


def test_another_organisation_never_sees_the_first_organisations_objects(client, world):
    client.force_login(Membership.objects.get(user__email="lead2@demo.test").user)
    first_org = world.org.name
    for name, url, has_object in _urls(world):
        if name in PUBLIC or name in ("logout",):
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if has_object:
                assert response.status_code == 404, (method, name, response.status_code)
            else:
                assert response.status_code < 500, (method, name, response.status_code)
                assert first_org not in response.content.decode(), (method, name)


def test_members_get_their_pages_and_a_programme_admin_gets_no_objects(client, world):
    """Members in every role never get a server error, nor a 404 for their own
    organisation's objects; a programme admin (no membership) gets 404 for every object."""
    from programmes.models import ProgrammeAdmin

    urls = list(_urls(world))
    for email in ["staff@demo.test", "lead@demo.test", "executive@demo.test",
                  "orgadmin@demo.test"]:
        client.force_login(Membership.objects.get(user__email=email).user)
        for name, url, has_object in urls:
            if name in ("logout", "health", "evaluation:distribution_point_poster"):
                continue  # ends the session; checks the worker; the PDF has its own tests
            response = client.get(url)
            assert response.status_code < 500, (email, name, response.status_code)
            if has_object and name not in PUBLIC | PROGRAMME_ADMIN_PAGES | {
                "password_reset_confirm"
            }:
                assert response.status_code != 404, (email, name)

    client.force_login(ProgrammeAdmin.objects.get().user)
    for name, url, has_object in urls:
        if name in PROGRAMME_ADMIN_PAGES:
            assert client.get(url).status_code == 200, name
        elif has_object and name not in PUBLIC and name != "password_reset_confirm":
            assert client.get(url).status_code == 404, name
