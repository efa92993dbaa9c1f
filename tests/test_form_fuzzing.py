"""Property-based fuzzing of every form of the service, public and staff.

The forms are found, not listed: every URL pattern of the service (with the arguments
`tests/test_url_matrix.py` gives it) is opened as a lead, or as an organisation admin
where a lead may not, and every page with a POST form to itself is fuzzed. A new form
is therefore fuzzed without anyone adding it here. For each, hypothesis sends the
form's fields with generated values (any unicode, huge strings, wrong types, impossible
dates and numbers, lists), leaves fields out and adds unknown ones, and asserts:
- never a server error;
- no half-saved rows: a page that did not accept the input (anything but a redirect)
  changed no table's row count; an accepted one saved rows that pass model validation.
Each example runs in a savepoint that is rolled back, on the demo data (with a shorter
history of responses: the forms do not need two years of them), set up once for the
module. Every form gets two fixed examples (nothing filled in; the form as served) and a
few generated ones; the run is derandomised, so CI sees the same inputs each time, and
not shrunk, so a failure is reported at once with the input that caused it.
FUZZ_ONLY=<part of a URL name> fuzzes only the matching forms (to reproduce a failure).
"""

import datetime as dt
import os
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from programmes.models import Membership

from .test_url_matrix import ARGUMENTS, World, _patterns

APPS = ("programmes", "coproduction", "evaluation", "accounts")
NOT_FUZZED = {
    "logout": "signs out; no input",
    "password_change": "the password forms are Django's own, tested by Django",
    "password_reset": "Django's own form; sends an email",
    "password_reset_confirm": "Django's own form",
    "login": "sign-in has its own lockout tests; fuzzing would lock the demo users",
    "two_factor": "TOTP enrolment has its own tests",
}
# Pages that must be found as forms: if discovery breaks, this fails rather than fuzzing
# nothing.
MUST_FIND = {
    "evaluation:feedback_form", "programmes:always_event_create",
    "programmes:always_event_edit", "programmes:pdsa_create", "programmes:action_create",
    "coproduction:partner_add", "coproduction:session_add", "coproduction:engagement_add",
    "evaluation:measure_create", "evaluation:form_create", "evaluation:question_create",
    "evaluation:distribution_point_create", "evaluation:data_point_create",
    "coproduction:check_in (check-in link)", "evaluation:feedback_form (kiosk)",
}
EXAMPLES = 3  # generated, per form, besides the two fixed ones


class _Fields(HTMLParser):
    """The named fields of the page's POST forms that post to the page itself."""

    def __init__(self, path):
        super().__init__()
        self.path = path
        self.fields: dict[str, dict] = {}
        self.inside = False
        self.select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            action = a.get("action") or ""
            self.inside = (a.get("method") or "").lower() == "post" and action in ("", self.path)
            return
        if not self.inside or not a.get("name"):
            if tag == "option" and self.select:
                self.fields[self.select]["options"].append(a.get("value", ""))
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text")
            field = self.fields.setdefault(name, {"type": kind, "options": [], "value": ""})
            if kind in ("radio", "checkbox"):
                field["options"].append(a.get("value", "on"))
            else:
                field["value"] = a.get("value", "")
        elif tag == "select":
            self.fields[name] = {"type": "select", "options": [], "value": ""}
            self.select = name
        elif tag == "textarea":
            self.fields[name] = {"type": "textarea", "options": [], "value": ""}

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None


def _fields(html: str, path: str) -> dict:
    parser = _Fields(path)
    parser.feed(html)
    parser.fields.pop("csrfmiddlewaretoken", None)
    return parser.fields


# A long string is a short generated one repeated: drawing 10,000 characters one by one
# is most of the time a run would take, and finds nothing a repeated one does not.
LONG = st.tuples(st.text(min_size=1, max_size=8), st.integers(5000, 12000)).map(
    lambda pair: (pair[0] * (pair[1] // len(pair[0]) + 1))[: pair[1]]
)
NASTY = st.one_of(
    st.text(max_size=40),
    LONG,
    st.sampled_from([
        "", " ", "0", "-1", "1e309", "NaN", "99999999999999999999999", "2026-02-30",
        "0000-00-00", "31/12/9999", "1900-01-01", "<script>alert(1)</script>", "' OR 1=1 --",
        "\x00", "\u202e", "😀" * 300, "on", "true", "²", "9" * 30, "9" * 5000,
    ]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates(min_value=dt.date(1, 1, 1)).map(lambda d: d.isoformat()),
)


def _value(field):
    served = st.just(field["value"])
    options = [o for o in field["options"] if o is not None]
    if field["type"] == "file":
        return st.binary(max_size=3000).map(lambda b: SimpleUploadedFile("upload.csv", b))
    if field["type"] == "checkbox":
        return st.one_of(st.lists(st.sampled_from(options), unique=True), NASTY)
    if options:
        return st.one_of(st.sampled_from(options), NASTY)
    if field["type"] == "hidden":
        return st.one_of(served, served, NASTY)
    return st.one_of(served, NASTY)


def _posts(fields):
    """Each field left out or given a value; plus unknown fields now and then."""
    entries = {name: st.one_of(st.none(), _value(field)) for name, field in fields.items()}
    extra = st.dictionaries(st.text(min_size=1, max_size=10), NASTY, max_size=2)
    return st.tuples(st.fixed_dictionaries(entries), extra).map(
        lambda pair: {**{k: v for k, v in pair[0].items() if v is not None}, **pair[1]}
    )


def _tables():
    models = [m for label in APPS for m in apps.get_app_config(label).get_models()]
    return {m._meta.db_table: m for m in models}


def _counts(tables) -> dict:
    counts = ", ".join(f'(SELECT count(*) FROM "{t}")' for t in tables)  # noqa: S608
    sql = "SELECT " + counts  # table names come from the models, not from input
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


def _check_new_rows_are_valid(tables, before, after):
    for table, count in after.items():
        added = count - before[table]
        if added <= 0 or table.endswith("historical") or "historical" in table:
            continue
        model = tables[table]
        for obj in model._default_manager.order_by("-pk")[:added]:
            obj.full_clean(validate_unique=False, validate_constraints=False)


@pytest.fixture(scope="module")
def world(demo_world, django_db_blocker):
    with django_db_blocker.unblock():
        yield World()


def _clients():
    clients = []
    for email in ("lead@demo.test", "orgadmin@demo.test"):
        client = Client()
        client.force_login(Membership.objects.get(user__email=email).user)
        clients.append(client)
    return clients


def _kiosk_token(world):
    from evaluation.models import DistributionPoint

    point = DistributionPoint.objects.filter(
        always_event__organisation=world.org, channel=DistributionPoint.Channel.KIOSK
    ).first()
    assert point, "the demo data has no kiosk in R9X"
    return point.token


def _check_in_token(world):
    """A fresh check-in link: the demo's may be used or out of date, and then the page
    says so and has no form."""
    from django.utils import timezone

    from coproduction import services
    from coproduction.models import CoDesignMember, PrivateLink

    member = CoDesignMember.objects.filter(
        always_event__organisation=world.org, user__isnull=True, left_on__isnull=True,
        details_removed_on__isnull=True,
    ).order_by("pk").first()
    assert member, "the demo data has no current partner in R9X"
    link = services.private_link_create(
        member=member, purpose=PrivateLink.Purpose.CHECK_IN, today=timezone.localdate()
    )
    return {"token": link.token}


def _forms(world):
    """(name, path, client, fields) of every page with a POST form to itself."""
    found = []
    clients = _clients()
    targets = []
    for name, _ in _patterns():
        if name in NOT_FUZZED:
            continue
        make = ARGUMENTS[name]
        targets.append((name, reverse(name, kwargs=make(world) if make else {})))
    targets.append(("coproduction:check_in (check-in link)", reverse(
        "coproduction:check_in", kwargs=_check_in_token(world)
    )))
    targets.append(("evaluation:feedback_form (kiosk)", reverse(
        "evaluation:feedback_form", kwargs={"token": _kiosk_token(world)}
    )))
    for name, path in targets:
        for client in clients:
            page = client.get(path)
            if page.status_code == 403:
                continue
            if page.status_code == 200 and "html" in page.get("Content-Type", ""):
                fields = _fields(page.content.decode(), path)
                if fields:
                    found.append((name, path, client, fields))
            break
    return found


@pytest.mark.django_db
def test_every_form_survives_generated_input(world):
    forms = _forms(world)
    names = {name for name, *_ in forms}
    assert names >= MUST_FIND, f"forms not found: {sorted(MUST_FIND - names)}"
    tables = _tables()
    failures = []
    only = os.environ.get("FUZZ_ONLY")
    for name, path, client, fields in forms:
        if only and only not in name:
            continue
        try:
            _fuzz(client, path, fields, tables)
        except Exception as error:  # noqa: BLE001 — collect every form's failure
            failures.append(f"{name} {path}: {type(error).__name__}: {error}"[:2000])
    assert failures == [], "\n\n".join(failures)


def _as_served(fields) -> dict:
    """The form as the page serves it: its values, and the first choice where it has them."""
    data = {}
    for name, field in fields.items():
        if field["type"] == "file":
            continue
        options = [o for o in field["options"] if o]
        data[name] = field["value"] or (options[0] if options else "")
    return data


def _fuzz(client, path, fields, tables):
    # Every example is rolled back, so the counts before one are the counts before all.
    before = _counts(tables)

    # too_slow: one example is a whole request on a shared machine; it says nothing
    # about the strategies, which draw little.
    @settings(
        max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
        phases=[Phase.explicit, Phase.generate], suppress_health_check=[HealthCheck.too_slow],
    )
    @given(_posts(fields))
    @example({})
    @example(_as_served(fields))
    def post(data):
        with transaction.atomic():
            response = client.post(path, data=data)
            assert response.status_code < 500, f"{response.status_code} for {data!r}"[:1500]
            after = _counts(tables)
            if response.status_code in (301, 302, 303):
                _check_new_rows_are_valid(tables, before, after)
            else:
                changed = {t: (before[t], after[t]) for t in tables if before[t] != after[t]}
                assert not changed, f"{response.status_code} yet rows changed {changed}"
            transaction.set_rollback(True)

    post()
