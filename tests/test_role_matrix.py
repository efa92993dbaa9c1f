"""Who may open and change what: every URL pattern, every role, two organisations.

Each URL name has one access rule in `ACCESS`. A rule names the roles of the URL's
organisation that may open it (GET answers 200, or 405 for a POST-only URL); every other
member of that organisation is refused with 403, on GET and on POST, and nothing is
saved. Signed out (and holding only a patient's or partner's private link) a staff page
sends you to sign in. For a URL about an object of the first organisation, every role of
the second organisation and a programme admin (who belongs to no organisation) get 404.
A new URL name without an entry fails `test_every_url_pattern_has_an_access_rule`: add
one line to `ACCESS`, next to its neighbours, using one of the named rules below
(`EXECUTIVE_SIGNS` for an executive's sign-off, `PROGRAMME_ADMIN` for programme admins'
aggregate pages) or `only(...)` with the roles that may act.

The world is the demo data (see `tests/test_url_matrix.py` for how each URL's arguments
are filled) plus, in both organisations, one user in every role. "staff" is on the team
of every Always Event of their organisation; "staff_off" is on none.
"""

from dataclasses import dataclass, replace

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from coproduction.models import PrivateLink
from programmes.models import AlwaysEvent, Membership, Organisation, ProgrammeAdmin
from tests.test_url_matrix import ARGUMENTS, World, _patterns

Role = Membership.Role
MEMBER_ROLES = ("staff", "staff_off", "lead", "executive", "org_admin")
SIGNED_IN_ROLES = (*MEMBER_ROLES, "programme_admin")


@dataclass(frozen=True)
class Rule:
    """Who may open a URL: `everyone`, `signed_in` users, these member `roles` of the
    URL's organisation, and/or a `programme_admin` (regional or national)."""

    roles: frozenset = frozenset()
    everyone: bool = False
    signed_in: bool = False
    signed_out_only: bool = False
    programme_admin: bool = False
    post_only: bool = False
    refused: int = 403  # what members who may not open it get (404: not even shown to exist)

    @property
    def post(self) -> "Rule":
        """The same people, but the URL only acts on POST (GET answers 405)."""
        return replace(self, post_only=True)

    def get_statuses(self, role: str) -> set[int]:
        """The statuses a GET may answer for `role` of the URL's own organisation. A
        POST-only URL may answer 405 before it looks at who is asking (GET never acts)."""
        ok = {405} if self.post_only else {200}
        early_405 = {405} if self.post_only else set()
        if self.everyone:
            return ok
        if self.signed_out_only:
            return {200} if role in ("anonymous", "patient") else {302}
        if role in ("anonymous", "patient"):
            return {302} | early_405
        if self.signed_in or role in self.roles:
            return ok
        if role == "programme_admin":
            # They belong to no organisation: member pages do not exist for them.
            return ok if self.programme_admin else {404} | early_405
        return {self.refused} | early_405

    def refuses_post(self, role: str) -> bool:
        return (
            role in MEMBER_ROLES
            and role not in self.roles
            and not (self.everyone or self.signed_in)
        )


def only(*roles) -> Rule:
    return Rule(frozenset(roles))


PUBLIC = Rule(everyone=True)
SIGNED_OUT = Rule(signed_out_only=True)
SIGNED_IN = Rule(signed_in=True)
MEMBER = only(*MEMBER_ROLES)
TEAM_EDITS = only("lead", "staff")  # leads, and staff on the Always Event's team
LEAD = only("lead")
LEAD_OR_EXECUTIVE = only("lead", "executive")
LEAD_OR_ORG_ADMIN = only("lead", "org_admin")  # also: partners' personal details
ORG_ADMIN = only("org_admin")
EXECUTIVE_SIGNS = only("executive")  # e.g. signing off an oversight report
PROGRAMME_ADMIN = Rule(programme_admin=True)  # aggregate views across organisations
# A programme admin's record about an organisation (an evaluation interview): its members
# are not told it exists.
PROGRAMME_ADMIN_RECORD = Rule(programme_admin=True, refused=404)

ACCESS = {
    # site and accounts
    "home": SIGNED_IN,
    "health": PUBLIC,
    "switch_organisation": SIGNED_IN.post,
    "login": SIGNED_OUT,
    "logout": SIGNED_IN,
    "account": SIGNED_IN,
    "two_factor": SIGNED_IN,
    "password_change": SIGNED_IN,
    "password_change_done": SIGNED_IN,
    "password_reset": PUBLIC,
    "password_reset_done": PUBLIC,
    "password_reset_confirm": PUBLIC,
    "password_reset_complete": PUBLIC,
    "accessibility": PUBLIC,
    "privacy": PUBLIC,
    # programmes
    "programmes:always_event_list": MEMBER,
    "programmes:always_event_create": LEAD,
    "programmes:overdue_actions": SIGNED_IN,  # the user's own actions, in any organisation
    "programmes:always_event_detail": MEMBER,
    "programmes:always_event_edit": TEAM_EDITS,
    "programmes:vision_and_aim": TEAM_EDITS,
    "programmes:criteria": MEMBER,
    "programmes:criterion_edit": TEAM_EDITS,
    "programmes:gates": MEMBER,
    "programmes:driver_diagram": MEMBER,
    "programmes:primary_driver_create": TEAM_EDITS,
    "programmes:primary_driver_edit": TEAM_EDITS,
    "programmes:secondary_driver_create": TEAM_EDITS,
    "programmes:secondary_driver_edit": TEAM_EDITS,
    "programmes:change_idea_create": TEAM_EDITS,
    "programmes:change_idea_edit": TEAM_EDITS,
    "programmes:driver_node_delete": TEAM_EDITS,
    "programmes:pdsa_list": MEMBER,
    "programmes:pdsa_create": TEAM_EDITS,
    "programmes:pdsa_edit": TEAM_EDITS,
    "programmes:action_list": MEMBER,
    "programmes:action_create": TEAM_EDITS,
    "programmes:action_edit": TEAM_EDITS,
    "programmes:spread": MEMBER,
    "programmes:communication_create": TEAM_EDITS,
    "programmes:communication_edit": TEAM_EDITS,
    "programmes:communication_delete": TEAM_EDITS,
    "programmes:spread_record_create": TEAM_EDITS,
    "programmes:spread_record_edit": TEAM_EDITS,
    "programmes:spread_record_delete": TEAM_EDITS,
    "programmes:history": MEMBER,
    "programmes:readiness_list": MEMBER,
    "programmes:readiness_create": LEAD_OR_EXECUTIVE,
    "programmes:readiness_detail": MEMBER,
    "programmes:oversight_group": MEMBER,
    "programmes:oversight_group_edit": LEAD_OR_EXECUTIVE,
    "programmes:oversight_member_create": LEAD_OR_EXECUTIVE,
    "programmes:oversight_member_delete": LEAD_OR_EXECUTIVE.post,
    "programmes:oversight_meeting_create": LEAD_OR_EXECUTIVE,
    "programmes:oversight_meeting_edit": LEAD_OR_EXECUTIVE,
    "programmes:oversight_meeting_delete": LEAD_OR_EXECUTIVE,
    "programmes:members": ORG_ADMIN,
    "programmes:member_role": ORG_ADMIN,
    "programmes:member_remove": ORG_ADMIN,
    "programmes:you_said_we_did_settings": ORG_ADMIN,
    "programmes:you_said_we_did": PUBLIC,  # only once the organisation opts in
    # co-production
    "coproduction:overview": MEMBER,
    "coproduction:training": MEMBER,
    "coproduction:training_add": LEAD_OR_ORG_ADMIN,
    "coproduction:themes": MEMBER,
    "coproduction:theme_edit": LEAD,
    "coproduction:details_log": ORG_ADMIN,
    "coproduction:team": MEMBER,
    "coproduction:staff_add": LEAD_OR_ORG_ADMIN,
    "coproduction:partner_add": LEAD_OR_ORG_ADMIN,
    "coproduction:member": MEMBER,  # partners' personal details: LEAD_OR_ORG_ADMIN only
    "coproduction:member_edit": LEAD_OR_ORG_ADMIN,
    "coproduction:member_export": LEAD_OR_ORG_ADMIN,  # subject access
    "coproduction:payment_add": LEAD_OR_ORG_ADMIN,
    "coproduction:team_link_create": LEAD_OR_ORG_ADMIN.post,
    "coproduction:sessions": MEMBER,
    "coproduction:session_add": TEAM_EDITS,
    "coproduction:session": MEMBER,
    "coproduction:attendance": TEAM_EDITS,
    "coproduction:session_notes": TEAM_EDITS,
    "coproduction:engagements": MEMBER,
    "coproduction:engagement_add": TEAM_EDITS,
    "coproduction:engagement": MEMBER,
    "coproduction:quote_add": TEAM_EDITS,
    "coproduction:ladder": MEMBER,
    "coproduction:ladder_add": TEAM_EDITS,
    "coproduction:check_ins": MEMBER,
    "coproduction:check_in_links_create": LEAD_OR_ORG_ADMIN.post,
    "coproduction:check_in_thanks": PUBLIC,
    "coproduction:check_in": PUBLIC,  # a partner's private link
    "coproduction:team_page": PUBLIC,  # a partner's private link
    # evaluation
    "evaluation:measure_list": MEMBER,
    "evaluation:measure_create": TEAM_EDITS,
    "evaluation:measure_detail": MEMBER,
    "evaluation:measure_edit": TEAM_EDITS,
    "evaluation:data_point_create": TEAM_EDITS,
    "evaluation:data_point_upload": TEAM_EDITS,
    "evaluation:data_point_delete": TEAM_EDITS,
    "evaluation:form_list": MEMBER,
    "evaluation:form_create": TEAM_EDITS,
    "evaluation:form_detail": MEMBER,
    "evaluation:form_edit": TEAM_EDITS,
    "evaluation:question_create": TEAM_EDITS,
    "evaluation:question_edit": TEAM_EDITS,
    "evaluation:question_delete": TEAM_EDITS,
    "evaluation:question_move": TEAM_EDITS.post,
    "evaluation:translation_create": TEAM_EDITS,
    "evaluation:translation_edit": TEAM_EDITS,
    "evaluation:translation_delete": TEAM_EDITS,
    "evaluation:distribution_point_list": MEMBER,
    "evaluation:distribution_point_create": TEAM_EDITS,
    "evaluation:distribution_point_detail": MEMBER,
    "evaluation:distribution_point_retire": TEAM_EDITS.post,
    "evaluation:distribution_point_qr": MEMBER,
    "evaluation:distribution_point_poster": MEMBER,
    "evaluation:import_list": MEMBER,
    "evaluation:import_template": MEMBER,
    "evaluation:import_create": TEAM_EDITS,
    "evaluation:import_detail": MEMBER,
    "evaluation:import_errors": MEMBER,
    "evaluation:feedback_form": PUBLIC,  # a patient's link (QR code, kiosk)
    "evaluation:feedback_thanks": PUBLIC,
    # dashboards
    "dashboards:always_event_outcomes": MEMBER,
    "dashboards:executive": MEMBER,
    "dashboards:alert_seen": MEMBER.post,
    # oversight reports
    "reports:report_list": MEMBER,
    "reports:report_build": LEAD_OR_EXECUTIVE.post,
    "reports:report_detail": MEMBER,
    "reports:report_download": MEMBER,
    "reports:report_sign": EXECUTIVE_SIGNS,
    # the programme view and the programme evaluation
    "programme:overview": PROGRAMME_ADMIN,
    "programme:evaluation_summary": PROGRAMME_ADMIN,
    "programme:evaluation_summary_pdf": PROGRAMME_ADMIN,
    "programme:survey_rounds": PROGRAMME_ADMIN,
    "programme:survey_close": PROGRAMME_ADMIN.post,
    "programme:interview_list": PROGRAMME_ADMIN,
    "programme:interview_create": PROGRAMME_ADMIN,
    "programme:interview_edit": PROGRAMME_ADMIN_RECORD,
    "programme:survey": MEMBER,  # lists the Always Events the member leads, if any
    "programme:survey_answer": LEAD,
}
# Pages that end the visitor's session, or depend on a running worker: their own tests.
NOT_WALKED = {"logout", "health"}  # health also asks the worker: `tests/test_health.py`
# The poster is a PDF that takes a second to draw: opened by the roles that differ only.
SLOW = {"evaluation:distribution_point_poster"}


def _users(organisation, suffix):
    User = get_user_model()
    users = {}
    for role, membership_role in [
        ("staff", Role.STAFF),
        ("staff_off", Role.STAFF),
        ("lead", Role.LEAD),
        ("executive", Role.EXECUTIVE),
        ("org_admin", Role.ORG_ADMIN),
    ]:
        user = User.objects.create_user(
            email=f"matrix-{role}{suffix}@example.test", password="not-used-here-0123"
        )
        Membership.objects.create(user=user, organisation=organisation, role=membership_role)
        users[role] = user
    for event in AlwaysEvent.objects.filter(organisation=organisation):
        event.team.add(users["staff"])
    return users


@pytest.fixture
def world(demo_world, db):
    """The demo data of both organisations, as `tests/test_url_matrix.py` has it."""
    return World()


@pytest.fixture
def people(world):
    first = _users(world.org, "")
    second = _users(Organisation.objects.get(ods_code="R9Y"), "-other")
    return {
        **first,
        "programme_admin": ProgrammeAdmin.objects.get().user,
        **{f"other_{role}": user for role, user in second.items()},
    }


def _draft_report(world):
    """The demo's report of the first organisation is signed (its sign-off page sends you
    to the report); a draft of an earlier month shows the sign-off form."""
    import datetime as dt

    from django.utils import timezone

    from evaluation.models import OversightReport

    signed = OversightReport.objects.get(organisation=world.org, status="signed")
    draft, _ = OversightReport.objects.get_or_create(
        organisation=world.org,
        month=(signed.month - dt.timedelta(days=1)).replace(day=1),
        defaults={"built_at": timezone.now(), "html": "<p>Draft</p>", "pdf": b"%PDF-1.7"},
    )
    return {"pk": draft.pk}


def _kwargs(name, world):
    if name == "reports:report_sign":
        return _draft_report(world)
    if name == "coproduction:check_in":  # a link that still works
        link = PrivateLink.objects.filter(
            member__always_event__organisation=world.org, purpose="check_in", used_at=None
        ).first()
        return {"token": link.token}
    make = ARGUMENTS[name]
    return make(world) if make else {}


def _walk(world):
    from django.urls import reverse

    for name, _pattern in _patterns():
        if name in NOT_WALKED:
            continue
        kwargs = _kwargs(name, world)
        # A public page's arguments (a patient's token, an ODS code) are not an object of
        # the organisation that others must not see.
        yield name, reverse(name, kwargs=kwargs), bool(kwargs) and not ACCESS[name].everyone


def _row_counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in ("programmes", "coproduction", "evaluation")
    }


def test_every_url_pattern_has_an_access_rule():
    missing = sorted(name for name, _ in _patterns() if name not in ACCESS)
    assert missing == [], f"add an access rule for these URL names to ACCESS in {__file__}"


def test_no_access_rule_is_left_over():
    names = {name for name, _ in _patterns()}
    assert sorted(set(ACCESS) - names) == []


def _get_failures(client, world, people) -> list[str]:
    """GET every URL as every role: the statuses the URL's rule allows."""
    walk = list(_walk(world))
    failures = []

    def check(role, name, url, expected):
        status = client.get(url).status_code
        if status not in expected:
            failures.append(f"GET {name} as {role}: {status}, expected {expected}")

    for name, url, _ in walk:
        check("anonymous", name, url, ACCESS[name].get_statuses("anonymous"))
    for role in SIGNED_IN_ROLES:
        client.force_login(people[role])
        for name, url, has_object in walk:
            if name in SLOW and role not in ("staff_off", "executive", "programme_admin"):
                continue
            rule = ACCESS[name]
            expected = (
                {404}
                if role == "programme_admin" and has_object and not rule.programme_admin
                else rule.get_statuses(role)
            )
            check(role, name, url, expected)
        client.logout()
    for role in MEMBER_ROLES:
        client.force_login(people[f"other_{role}"])
        for name, url, has_object in walk:
            if name in SLOW:
                continue
            expected = {404} if has_object else ACCESS[name].get_statuses(role)
            check(f"other_{role}", name, url, expected)
        client.logout()
    return failures


def _patient_failures(client, world) -> list[str]:
    """After opening a feedback form and a private team page, staff pages still want a
    sign-in: the link's holder gets no session rights."""
    walk = list(_walk(world))
    urls = {name: url for name, url, _ in walk}
    failures = [
        f"GET {name} with a link: {status}"
        for name in ("evaluation:feedback_form", "coproduction:team_page")
        if (status := client.get(urls[name]).status_code) != 200
    ]
    for name, url, _ in walk:
        if ACCESS[name].everyone or name in SLOW:
            continue
        response = client.get(url)
        if response.status_code not in ACCESS[name].get_statuses("patient") or (
            response.status_code == 302 and not response.url.startswith("/accounts/login/")
        ):
            failures.append(f"GET {name} holding a link: {response.status_code}")
    return failures


def _post_failures(client, world, people) -> list[str]:
    """POST as every role that may not act: 403 (404 for another organisation)."""
    walk = [
        (name, url, has_object)
        for name, url, has_object in _walk(world)
        if not ACCESS[name].everyone
        and not ACCESS[name].signed_in
        and not ACCESS[name].signed_out_only
    ]
    failures = []
    for role in MEMBER_ROLES:
        client.force_login(people[role])
        for name, url, _ in walk:
            if ACCESS[name].refuses_post(role):
                status = client.post(url, {"confirm": "yes"}).status_code
                if status != ACCESS[name].refused:
                    failures.append(
                        f"POST {name} as {role}: {status}, expected {ACCESS[name].refused}"
                    )
        client.force_login(people[f"other_{role}"])
        for name, url, has_object in walk:
            if has_object:
                status = client.post(url, {"confirm": "yes"}).status_code
                if status != 404:
                    failures.append(f"POST {name} as other {role}: {status}, expected 404")
    client.force_login(people["programme_admin"])
    for name, url, _ in walk:
        if ACCESS[name].programme_admin:
            continue  # their own pages: their own tests say what a POST does
        status = client.post(url, {"confirm": "yes"}).status_code
        if status != 404:
            failures.append(f"POST {name} as programme admin: {status}, expected 404")
    client.logout()
    for name, url, _ in walk:
        response = client.post(url, {"confirm": "yes"})
        if response.status_code != 302 or not response.url.startswith("/accounts/login/"):
            failures.append(f"POST {name} signed out: {response.status_code}")
    return failures


def test_every_role_gets_what_its_rule_says_and_those_who_may_not_act_save_nothing(
    client, world, people
):
    """One test, so the demo world is seeded once: GET as every role, GET holding only a
    patient's or partner's link, then POST as every role that may not act."""
    failures = _get_failures(client, world, people)
    failures += _patient_failures(client, world)
    before = _row_counts()  # (opening a partner's details writes to the details log)
    failures += _post_failures(client, world, people)
    assert failures == [], "\n".join(failures)
    assert _row_counts() == before
