"""Co-production pages. Thin: check permission, validate a form, call a service or selector.

Every staff page starts from the signed-in user's memberships: another organisation's
Always Event, member or session answers 404. The two public pages (/check-in/<token>/ and
/team/<token>/) need no account: the token is the key, and an unknown link is a 404 page,
an expired or used one a 410 page.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from always_events.permissions import membership_in
from programmes.models import AlwaysEvent, Membership

from . import selectors, services
from .forms import (
    AttendanceForm,
    CheckInForm,
    EngagementForm,
    LadderForm,
    PartnerEditForm,
    PartnerForm,
    PaymentForm,
    QuoteForm,
    SessionForm,
    SessionNotesForm,
    StaffMemberEditForm,
    StaffMemberForm,
    ThemeLinkForm,
    TrainingForm,
)
from .models import PersonalDetailsLog, PrivateLink, Theme

PER_PAGE = 25
Role = Membership.Role
TRAINING_ROLES = frozenset({Role.LEAD, Role.ORG_ADMIN})


def _today():
    return timezone.localdate()


def _page(request, items):
    return Paginator(items, PER_PAGE).get_page(request.GET.get("page"))


def _current_membership(request) -> Membership:
    if request.membership is None:
        raise Http404("You are not a member of any organisation")
    return request.membership


def _always_event(request, pk: int):
    """The Always Event (404 unless the user is a member of its organisation) and membership."""
    always_event = get_object_or_404(
        AlwaysEvent.objects.for_user(request.user).select_related("organisation"), pk=pk
    )
    return always_event, membership_in(request.user, always_event.organisation)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _require_run(membership, always_event) -> None:
    _require(selectors.can_run_team(membership, always_event),
             "Only the Always Event's leads and team can change its co-design work")


def _require_details(membership, always_event) -> None:
    _require(selectors.sees_partner_details(membership, always_event),
             "Only the team's lead and organisation admins can manage partners")


def _context(always_event, membership, **extra):
    return {
        "always_event": always_event,
        "can_run": selectors.can_run_team(membership, always_event),
        "sees_details": selectors.sees_partner_details(membership, always_event),
        **extra,
    }


def _form_page(request, template, form, always_event, membership, **extra):
    return render(request, template, _context(always_event, membership, form=form, **extra))


# Organisation pages ------------------------------------------------------------------------


@login_required
def overview(request):
    membership = _current_membership(request)
    organisation = membership.organisation
    today = _today()
    return render(request, "coproduction/overview.html", {
        "organisation": organisation,
        "rows": selectors.organisation_overview(organisation, today=today),
        "quarter_start": selectors.quarter_start(today),
        "check_ins": selectors.check_in_summary(organisation=organisation),
        "can_read_details_log": membership.role == Role.ORG_ADMIN,
    })


@login_required
def training(request):
    membership = _current_membership(request)
    organisation = membership.organisation
    return render(request, "coproduction/training.html", {
        "organisation": organisation,
        "coverage": selectors.training_coverage(organisation),
        "page": _page(request, selectors.training_records(organisation)),
        "can_add": membership.role in TRAINING_ROLES,
    })


@login_required
def training_add(request):
    membership = _current_membership(request)
    _require(membership.role in TRAINING_ROLES,
             "Only leads and organisation admins can add training records")
    organisation = membership.organisation
    form = TrainingForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.training_record_add(organisation=organisation, today=_today(),
                                         **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Training record saved")
            return redirect("coproduction:training")
    return render(request, "coproduction/training_add.html", {"form": form})


@login_required
def themes(request):
    membership = _current_membership(request)
    return render(request, "coproduction/themes.html", {
        "page": _page(request, selectors.themes_with_counts(membership.organisation)),
        "can_link": membership.role == Role.LEAD,
    })


@login_required
def theme_edit(request, theme_pk: int):
    theme = get_object_or_404(
        Theme.objects.filter(organisation__memberships__user=request.user).distinct(),
        pk=theme_pk,
    )
    membership = membership_in(request.user, theme.organisation)
    _require(membership.role == Role.LEAD, "Only leads can link themes to Always Events")
    form = ThemeLinkForm(request.POST or None, organisation=theme.organisation,
                         initial={"led_to": theme.led_to})
    if request.method == "POST" and form.is_valid():
        try:
            services.theme_link(theme=theme, always_event=form.cleaned_data["led_to"])
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Theme “{theme.name}” saved")
            return redirect("coproduction:themes")
    return render(request, "coproduction/theme_edit.html", {"form": form, "theme": theme})


# The team ----------------------------------------------------------------------------------


@login_required
def team(request, pk: int):
    always_event, membership = _always_event(request, pk)
    today = _today()
    current, former = selectors.team_members(always_event, today=today)
    return render(request, "coproduction/team.html", _context(
        always_event, membership,
        current=current, former=former,
        mix=selectors.team_mix(always_event, on=today),
        totals=selectors.session_totals(always_event, until=today),
        upcoming=selectors.upcoming_sessions(always_event, today=today),
    ))


@login_required
def staff_add(request, pk: int):
    always_event, membership = _always_event(request, pk)
    _require_details(membership, always_event)
    form = StaffMemberForm(request.POST or None, organisation=always_event.organisation,
                           initial={"joined_on": _today()})
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_add_staff(always_event=always_event, today=_today(),
                                               **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{member.display_name} added to the team")
            return redirect("coproduction:team", pk=always_event.pk)
    return _form_page(request, "coproduction/staff_add.html", form, always_event, membership)


@login_required
def partner_add(request, pk: int):
    always_event, membership = _always_event(request, pk)
    _require_details(membership, always_event)
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_add_partner(
                always_event=always_event, today=_today(),
                details=services.PartnerDetails(**form.details_kwargs()),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{member.display_name} added to the team")
            return redirect("coproduction:team", pk=always_event.pk)
    return _form_page(request, "coproduction/partner_add.html", form, always_event, membership,
                      retention_months=settings.PARTNER_RETENTION_MONTHS)


def _member(always_event, member_pk):
    return get_object_or_404(always_event.codesign_members.select_related("user"), pk=member_pk)


@login_required
def member_detail(request, pk: int, member_pk: int):
    always_event, membership = _always_event(request, pk)
    member = _member(always_event, member_pk)
    sees_details = selectors.sees_partner_details(membership, always_event)
    today = _today()
    links = []
    if sees_details:
        links = list(member.private_links.filter(expires_on__gte=today, used_at__isnull=True))
        if not member.is_staff and member.details_removed_on is None:
            services.details_log_record(member=member, action=PersonalDetailsLog.Action.VIEWED,
                                        user=request.user, view="coproduction:member")
    return render(request, "coproduction/member_detail.html", _context(
        always_event, membership, member=member,
        payments=member.payments.all() if sees_details else [],
        links=links,
        attendances=member.attendances.select_related("session").order_by("-session__held_on"),
    ))


@login_required
def member_edit(request, pk: int, member_pk: int):
    always_event, membership = _always_event(request, pk)
    _require_details(membership, always_event)
    member = _member(always_event, member_pk)
    if member.details_removed_on is not None:
        raise PermissionDenied("This partner's details were removed under the retention rule")
    if member.is_staff:
        initial = {"role": member.role, "joined_on": member.joined_on, "left_on": member.left_on}
        form = StaffMemberEditForm(request.POST or None, initial=initial)
    else:
        form = PartnerEditForm(request.POST or None, initial=PartnerForm.initial_for(member))
        if request.method == "GET":
            services.details_log_record(member=member, action=PersonalDetailsLog.Action.VIEWED,
                                        user=request.user, view="coproduction:member_edit")
    if request.method == "POST" and form.is_valid():
        try:
            if member.is_staff:
                services.member_update_staff(member=member, today=_today(), **form.cleaned_data)
            else:
                services.member_update_partner(
                    member=member, today=_today(),
                    details=services.PartnerDetails(**form.details_kwargs()),
                )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{member.display_name}’s details saved")
            return redirect("coproduction:member", pk=always_event.pk, member_pk=member.pk)
    return _form_page(request, "coproduction/member_edit.html", form, always_event, membership,
                      member=member)


@login_required
def payment_add(request, pk: int, member_pk: int):
    always_event, membership = _always_event(request, pk)
    _require_details(membership, always_event)
    member = _member(always_event, member_pk)
    if member.is_staff or member.details_removed_on is not None:
        raise Http404("Payments are recorded for current partners only")
    form = PaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.payment_record(member=member, today=_today(), **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Payment recorded")
            return redirect("coproduction:member", pk=always_event.pk, member_pk=member.pk)
    return _form_page(request, "coproduction/payment_add.html", form, always_event, membership,
                      member=member)


@login_required
def team_link_create(request, pk: int, member_pk: int):
    always_event, membership = _always_event(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    _require_details(membership, always_event)
    member = _member(always_event, member_pk)
    try:
        services.private_link_create(member=member, purpose=PrivateLink.Purpose.TEAM_PAGE,
                                     today=_today())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"A private team page link for {member.display_name} is ready")
    return redirect("coproduction:member", pk=always_event.pk, member_pk=member.pk)


@never_cache
@login_required
def member_export(request, pk: int, member_pk: int):
    """Subject access: everything held about one member, as a page, JSON or CSV.

    Leads and organisation admins only (they may see partners' details); every opening
    and download is written to the personal details log.
    """
    always_event, membership = _always_event(request, pk)
    _require_details(membership, always_event)
    member = _member(always_event, member_pk)
    export = selectors.subject_access_export(member)
    file_format = request.GET.get("format", "")
    if file_format not in ("", "json", "csv"):
        raise Http404("Choose JSON or CSV")
    services.details_log_record(
        member=member, action=PersonalDetailsLog.Action.EXPORTED, user=request.user,
        view="coproduction:member_export" + (f" ({file_format.upper()})" if file_format else ""),
    )
    if file_format:
        response = HttpResponse(
            export.as_json() if file_format == "json" else export.as_csv(),
            content_type="application/json" if file_format == "json" else "text/csv",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="co-design-member-{member.pk}.{file_format}"'
        )
        return response
    return render(request, "coproduction/member_export.html", _context(
        always_event, membership, member=member, export=export,
    ))


@login_required
def details_log(request):
    """The personal details log of the organisation: organisation admins only."""
    membership = _current_membership(request)
    _require(membership.role == Role.ORG_ADMIN,
             "Only organisation admins can read the personal details log")
    entries = (
        PersonalDetailsLog.objects.filter(organisation=membership.organisation)
        .select_related("user", "member", "member__user", "member__always_event")
    )
    return render(request, "coproduction/details_log.html", {
        "organisation": membership.organisation, "page": _page(request, entries),
    })


# Sessions ----------------------------------------------------------------------------------


@login_required
def sessions(request, pk: int):
    always_event, membership = _always_event(request, pk)
    return render(request, "coproduction/sessions.html", _context(
        always_event, membership,
        page=_page(request, selectors.sessions_with_totals(always_event)),
        months=selectors.protected_hours_by_month(always_event=always_event),
        totals=selectors.session_totals(always_event),
    ))


@login_required
def session_add(request, pk: int):
    always_event, membership = _always_event(request, pk)
    _require_run(membership, always_event)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(always_event=always_event, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Session saved")
            if session.held_on <= _today():
                return redirect("coproduction:attendance", pk=always_event.pk,
                                session_pk=session.pk)
            return redirect("coproduction:session", pk=always_event.pk, session_pk=session.pk)
    return _form_page(request, "coproduction/session_add.html", form, always_event, membership)


def _session(always_event, session_pk):
    return get_object_or_404(always_event.codesign_sessions, pk=session_pk)


@login_required
def session_detail(request, pk: int, session_pk: int):
    always_event, membership = _always_event(request, pk)
    session = _session(always_event, session_pk)
    return render(request, "coproduction/session_detail.html", _context(
        always_event, membership, session=session,
        mix=selectors.session_mix(session),
        attendances=session.attendances.select_related("member", "member__user"),
        is_past=session.held_on <= _today(),
    ))


@login_required
def attendance(request, pk: int, session_pk: int):
    always_event, membership = _always_event(request, pk)
    _require_run(membership, always_event)
    session = _session(always_event, session_pk)
    team = always_event.codesign_members
    ids = set(team.current(session.held_on).values_list("pk", flat=True))
    ids |= set(session.attendances.values_list("member_id", flat=True))
    if request.method == "POST":
        # Anyone ticked in the post is checked by the service, even someone who joined later.
        ids |= {int(key.removeprefix("attended_")) for key in request.POST
                if key.startswith("attended_") and key.removeprefix("attended_").isdigit()}
    members = team.filter(pk__in=ids).select_related("user")
    form = AttendanceForm(request.POST or None, members=members, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(session=session, entries=form.entries(), today=_today())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Attendance saved")
            return redirect("coproduction:session", pk=always_event.pk, session_pk=session.pk)
    return _form_page(request, "coproduction/attendance.html", form, always_event, membership,
                      session=session, is_past=session.held_on <= _today())


@login_required
def session_notes(request, pk: int, session_pk: int):
    always_event, membership = _always_event(request, pk)
    _require_run(membership, always_event)
    session = _session(always_event, session_pk)
    form = SessionNotesForm(request.POST or None, initial={
        "notes": session.notes, "notes_shareable": session.notes_shareable,
    })
    if request.method == "POST" and form.is_valid():
        services.session_update_notes(session=session, **form.cleaned_data)
        messages.success(request, "Notes saved")
        return redirect("coproduction:session", pk=always_event.pk, session_pk=session.pk)
    return _form_page(request, "coproduction/session_notes.html", form, always_event, membership,
                      session=session)


# "What matters to you?" --------------------------------------------------------------------


@login_required
def engagements(request, pk: int):
    always_event, membership = _always_event(request, pk)
    return render(request, "coproduction/engagements.html", _context(
        always_event, membership, page=_page(request, selectors.engagements_for(always_event)),
    ))


@login_required
def engagement_add(request, pk: int):
    always_event, membership = _always_event(request, pk)
    _require_run(membership, always_event)
    form = EngagementForm(request.POST or None, organisation=always_event.organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            engagement = services.engagement_create(
                always_event=always_event, method=data["method"], held_on=data["held_on"],
                setting=data["setting"], participants=data["participants"],
                themes=list(data.get("themes") or []), new_theme_names=form.new_theme_names(),
                quotes=form.quote_lines(), today=_today(),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Engagement saved")
            return redirect("coproduction:engagement", pk=always_event.pk,
                            engagement_pk=engagement.pk)
    return _form_page(request, "coproduction/engagement_add.html", form, always_event,
                      membership)


def _engagement(always_event, engagement_pk):
    return get_object_or_404(always_event.engagements, pk=engagement_pk)


@login_required
def engagement_detail(request, pk: int, engagement_pk: int):
    always_event, membership = _always_event(request, pk)
    engagement = _engagement(always_event, engagement_pk)
    return render(request, "coproduction/engagement_detail.html", _context(
        always_event, membership, engagement=engagement,
        quotes=engagement.quotes.select_related("theme"),
        quotes_deleted=services.quotes_expired(engagement, today=_today()),
        quote_retention_months=settings.ENGAGEMENT_QUOTE_RETENTION_MONTHS,
        form=QuoteForm(organisation=always_event.organisation),
    ))


@login_required
def quote_add(request, pk: int, engagement_pk: int):
    always_event, membership = _always_event(request, pk)
    _require_run(membership, always_event)
    engagement = _engagement(always_event, engagement_pk)
    form = QuoteForm(request.POST or None, organisation=always_event.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.quote_add(engagement=engagement, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Quote added. Any identifiers were removed.")
            return redirect("coproduction:engagement", pk=always_event.pk,
                            engagement_pk=engagement.pk)
    return _form_page(request, "coproduction/quote_add.html", form, always_event, membership,
                      engagement=engagement)


# Ladder and check-ins ----------------------------------------------------------------------


@login_required
def ladder(request, pk: int):
    always_event, membership = _always_event(request, pk)
    return render(request, "coproduction/ladder.html", _context(
        always_event, membership, ratings=selectors.ladder_ratings(always_event),
    ))


@login_required
def ladder_add(request, pk: int):
    always_event, membership = _always_event(request, pk)
    _require_run(membership, always_event)
    form = LadderForm(request.POST or None,
                      initial={"phase": always_event.phase, "rated_on": _today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.ladder_rate(always_event=always_event, rated_by=request.user,
                                 today=_today(), **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Rating saved")
            return redirect("coproduction:ladder", pk=always_event.pk)
    return _form_page(request, "coproduction/ladder_add.html", form, always_event, membership)


@login_required
def check_ins(request, pk: int):
    always_event, membership = _always_event(request, pk)
    sees_details = selectors.sees_partner_details(membership, always_event)
    links = []
    if sees_details:
        links = PrivateLink.objects.filter(
            member__always_event=always_event, purpose=PrivateLink.Purpose.CHECK_IN,
            expires_on__gte=_today(), used_at__isnull=True,
        ).select_related("member", "member__user")
    return render(request, "coproduction/check_ins.html", _context(
        always_event, membership, summary=selectors.check_in_summary(always_event=always_event),
        links=links, suppress_below=selectors.SUPPRESS_BELOW,
    ))


@login_required
def check_in_links_create(request, pk: int):
    always_event, membership = _always_event(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    _require_details(membership, always_event)
    links = services.check_in_links_create(always_event=always_event, today=_today())
    if links:
        messages.success(request, f"{len(links)} check-in links are ready to send")
    else:
        messages.info(request, "The team has no current members: no links were made")
    url = reverse("coproduction:check_ins", kwargs={"pk": always_event.pk})
    return redirect(url + "#links")


# Public pages: no account, the token is the key --------------------------------------------


def _link_or_error_page(request, token, purpose):
    try:
        return services.private_link_resolve(token=token, purpose=purpose, today=_today()), None
    except services.LinkNotFound:
        return None, render(request, "coproduction/link_not_found.html", status=404)
    except services.LinkExpired:
        return None, render(request, "coproduction/link_expired.html", status=410)


def _private(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
def check_in(request, token: str):
    link, error_page = _link_or_error_page(request, token, PrivateLink.Purpose.CHECK_IN)
    if error_page:
        return _private(error_page)
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.check_in_submit(token=token, today=_today(), **form.cleaned_data)
        except services.LinkExpired:
            return _private(render(request, "coproduction/link_expired.html", status=410))
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return redirect("coproduction:check_in_thanks")
    return _private(render(request, "coproduction/check_in.html", {
        "form": form, "always_event": link.member.always_event,
    }))


def check_in_thanks(request):
    return _private(render(request, "coproduction/check_in_thanks.html"))


@never_cache
def team_page(request, token: str):
    link, error_page = _link_or_error_page(request, token, PrivateLink.Purpose.TEAM_PAGE)
    if error_page:
        return _private(error_page)
    always_event = link.member.always_event
    today = _today()
    return _private(render(request, "coproduction/team_page.html", {
        "member": link.member,
        "always_event": always_event,
        "upcoming": selectors.upcoming_sessions(always_event, today=today),
        "decisions": selectors.shared_decisions(always_event, today=today),
    }))
