"""Programmes pages. Each view: find the object through the user's memberships (404 for
other organisations), check the role (403), validate a form, call one service or
selector, then render or redirect with a message."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from always_events.permissions import (
    CREATE_ALWAYS_EVENT_ROLES,
    MANAGE_MEMBERS_ROLES,
    MANAGE_ORGANISATION_READINESS_ROLES,
    can_edit_always_event,
    membership_in,
    require_edit_always_event,
    require_role,
)

from . import selectors, services
from .forms import (
    ActionForm,
    AlwaysEventCreateForm,
    AlwaysEventFilterForm,
    AlwaysEventForm,
    CommunicationForm,
    CriterionForm,
    DriverNodeForm,
    MemberAddForm,
    MemberRoleForm,
    OversightGroupForm,
    OversightMeetingForm,
    OversightMemberForm,
    PDSACycleForm,
    PhaseChangeForm,
    ReadinessForm,
    SpreadRecordForm,
    VisionAndAimForm,
    YouSaidWeDidPageForm,
)
from .models import (
    Action,
    AlwaysEvent,
    ChangeIdea,
    Communication,
    Criterion,
    Membership,
    OversightGroup,
    OversightGroupMember,
    OversightMeeting,
    PDSACycle,
    Phase,
    PrimaryDriver,
    ReadinessAssessment,
    SecondaryDriver,
    SpreadRecord,
)

PAGE_SIZE = 25


def _current_membership(request) -> Membership:
    if request.membership is None:
        raise Http404("You are not a member of any organisation")
    return request.membership


def _always_event(request, pk: int):
    """The Always Event and the user's membership of its organisation, or 404."""
    always_event = get_object_or_404(
        AlwaysEvent.objects.for_user(request.user).select_related(
            "organisation", "executive_sponsor"
        ),
        pk=pk,
    )
    return always_event, membership_in(request.user, always_event.organisation)


def _editable_always_event(request, pk: int):
    always_event, membership = _always_event(request, pk)
    require_edit_always_event(membership, always_event)
    return always_event, membership


def _posted(request):
    """The POST data, or None on GET (an empty POST must still be validated)."""
    return request.POST if request.method == "POST" else None


def _page(request, items):
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def _submitted(request, form, service, **kwargs) -> bool:
    """True when the form was posted, is valid and the service saved it."""
    return request.method == "POST" and form.is_valid() and _apply(
        form, service, **kwargs, **form.cleaned_data
    )


def _apply(form, service, **kwargs) -> bool:
    """Calls the service; its ValidationErrors go on the form's fields. True when saved."""
    try:
        service(**kwargs)
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


def _form_page(request, form, *, title, back_url, caption="", intro="", heading=None):
    return render(request, "programmes/form.html", {
        "form": form, "title": title, "heading": heading or title, "caption": caption,
        "back_url": back_url, "intro": intro,
    })


def _today():
    return timezone.localdate()


# Always Events ---------------------------------------------------------------------------


@login_required
def always_event_list(request):
    membership = _current_membership(request)
    organisation = membership.organisation
    filters = AlwaysEventFilterForm(request.GET or None, organisation=organisation)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    always_events = selectors.always_events_for_list(
        organisation=organisation, phase=chosen.get("phase", ""),
        setting=chosen.get("setting", ""), lead=chosen.get("lead"),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "programmes/always_event_list.html", {
        "page": _page(request, always_events), "filters": filters,
        "filtered": any(chosen.values()) if chosen else False,
        "query": query.urlencode(),
        "can_create": membership.role in CREATE_ALWAYS_EVENT_ROLES,
    })


@login_required
def always_event_create(request):
    membership = _current_membership(request)
    require_role(membership, CREATE_ALWAYS_EVENT_ROLES)
    form = AlwaysEventCreateForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            always_event = services.always_event_create(
                organisation=membership.organisation, created_by=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{always_event.title} created")
            return redirect("programmes:always_event_detail", pk=always_event.pk)
    return _form_page(
        request, form, title="Create an Always Event", caption=membership.organisation.name,
        back_url=reverse("programmes:always_event_list"),
        intro="Start with a few details. You will add the vision, aim, sponsor and team "
        "as the work goes on.",
    )


@login_required
def always_event_detail(request, pk):
    always_event, membership = _always_event(request, pk)
    today = _today()
    show_overdue = selectors.sees_overdue_actions(request.user, always_event)
    return render(request, "programmes/always_event_detail.html", {
        "always_event": always_event,
        "can_edit": can_edit_always_event(membership, always_event),
        "criteria": selectors.criteria_of(always_event),
        "gates": selectors.gate_page(always_event),
        "overdue_actions": (
            selectors.overdue_actions(always_event=always_event, today=today)
            if show_overdue else []
        ),
        "pdsa_count": always_event.pdsa_cycles.count(),
        "open_actions": always_event.actions.exclude(status=Action.Status.DONE).count(),
        "section": "overview",
    })


@login_required
def always_event_edit(request, pk):
    always_event, _membership = _editable_always_event(request, pk)
    initial = {
        "title": always_event.title, "service_area": always_event.service_area,
        "setting": always_event.setting, "status": always_event.status,
        "executive_sponsor": always_event.executive_sponsor,
        "leads": list(always_event.leads.all()), "team": list(always_event.team.all()),
        "qi_strategy_objective": always_event.qi_strategy_objective,
        "you_said_we_did": always_event.you_said_we_did,
    }
    form = AlwaysEventForm(
        _posted(request), initial=initial, organisation=always_event.organisation
    )
    if _submitted(request, form, services.always_event_update, always_event=always_event):
        messages.success(request, "Details saved")
        return redirect("programmes:always_event_detail", pk=pk)
    return _form_page(
        request, form, title="Change details", caption=always_event.title,
        back_url=reverse("programmes:always_event_detail", args=[pk]),
    )


@login_required
def vision_and_aim(request, pk):
    always_event, _membership = _editable_always_event(request, pk)
    fields = ["vision_statement", "aim_population", "aim_measure", "aim_target_percent",
              "aim_deadline", "aim_review_interval"]
    form = VisionAndAimForm(
        _posted(request), initial={name: getattr(always_event, name) for name in fields}
    )
    if _submitted(
        request, form, services.always_event_update_vision_and_aim,
        always_event=always_event, today=_today(),
    ):
        messages.success(request, "Vision and aim saved")
        return redirect("programmes:always_event_detail", pk=pk)
    return _form_page(
        request, form, title="Vision and aim", caption=always_event.title,
        back_url=reverse("programmes:always_event_detail", args=[pk]),
        intro="The aim becomes one sentence, for example “By December 2027, 80% of people "
        "discharged from Ward 7 will report they knew who to contact when they got home.”",
    )


@login_required
def criteria(request, pk):
    always_event, membership = _always_event(request, pk)
    return render(request, "programmes/criteria.html", {
        "always_event": always_event, "criteria": selectors.criteria_of(always_event),
        "can_edit": can_edit_always_event(membership, always_event), "section": "criteria",
    })


@login_required
def criterion_edit(request, pk, kind):
    always_event, _membership = _editable_always_event(request, pk)
    criterion = get_object_or_404(Criterion, always_event=always_event, kind=kind)
    form = CriterionForm(_posted(request), initial={
        "met": "yes" if criterion.met else "no", "evidence": criterion.evidence,
        "agreed_by": criterion.agreed_by, "agreed_on": criterion.agreed_on,
    })
    if _submitted(request, form, services.criterion_update, criterion=criterion, today=_today()):
        messages.success(request, f"Criterion “{criterion.get_kind_display()}” saved")
        return redirect("programmes:criteria", pk=pk)
    return _form_page(
        request, form, title=criterion.get_kind_display(), caption=always_event.title,
        back_url=reverse("programmes:criteria", args=[pk]), intro=criterion.question,
    )


@login_required
def gates(request, pk):
    always_event, membership = _always_event(request, pk)
    page = selectors.gate_page(always_event)
    can_edit = can_edit_always_event(membership, always_event)
    form = None
    if page.next_phase:
        form = PhaseChangeForm(
            _posted(request), initial={"to_phase": page.next_phase},
            phase_label=page.next_phase_label,
        )
    if request.method == "POST":
        require_edit_always_event(membership, always_event)
        if form is not None and _submitted(
            request, form, services.always_event_change_phase, always_event=always_event,
            changed_by=request.user,
        ):
            messages.success(request, f"Moved to {page.next_phase_label}")
            return redirect("programmes:gates", pk=pk)
    return render(request, "programmes/gates.html", {
        "always_event": always_event, "page": page, "form": form, "can_edit": can_edit,
        "phase_changes": always_event.phase_changes.select_related("changed_by"),
        "phases": Phase, "section": "gates",
    })


# Driver diagram --------------------------------------------------------------------------


@login_required
def driver_diagram(request, pk):
    always_event, membership = _always_event(request, pk)
    return render(request, "programmes/driver_diagram.html", {
        "always_event": always_event, "drivers": selectors.driver_diagram(always_event),
        "can_edit": can_edit_always_event(membership, always_event),
        "section": "driver_diagram",
    })


NODE_TEXT = {
    "primary": ("Primary driver", "A big factor that must be in place to reach the aim, "
                "for example Patients have the right information at discharge"),
    "secondary": ("Secondary driver", "A part of the system that affects the primary "
                  "driver, for example Discharge checklist"),
    "idea": ("Change idea", "Something you can test in a PDSA cycle, for example Give "
             "every patient a contact card"),
}


def _node_form_page(request, always_event, kind, form, title):
    return _form_page(
        request, form, title=title, caption=always_event.title,
        back_url=reverse("programmes:driver_diagram", args=[always_event.pk]),
    )


def _save_node(request, always_event, kind, instance, save, parents: dict):
    label, hint = NODE_TEXT[kind]
    form = DriverNodeForm(
        _posted(request), initial={"text": instance.text if instance else ""},
        label=label, hint=hint, submit_text=f"Save {label.lower()}",
    )
    if request.method == "POST" and form.is_valid():
        node_key = {"primary": "driver", "secondary": "driver", "idea": "change_idea"}[kind]
        if _apply(form, save, text=form.cleaned_data["text"], **{node_key: instance}, **parents):
            messages.success(request, f"{label} saved")
            return redirect("programmes:driver_diagram", pk=always_event.pk)
    verb = "Change" if instance else "Add a"
    title = f"{verb} {label.lower()}" if instance else f"Add a {label.lower()}"
    return _node_form_page(request, always_event, kind, form, title)


def _primary(always_event, driver_pk):
    return get_object_or_404(PrimaryDriver, always_event=always_event, pk=driver_pk)


def _secondary(always_event, driver_pk):
    return get_object_or_404(
        SecondaryDriver, primary_driver__always_event=always_event, pk=driver_pk
    )


def _idea(always_event, idea_pk):
    return get_object_or_404(
        ChangeIdea, secondary_driver__primary_driver__always_event=always_event, pk=idea_pk
    )


@login_required
def primary_driver_create(request, pk):
    always_event, _m = _editable_always_event(request, pk)
    return _save_node(request, always_event, "primary", None, services.primary_driver_save,
                      {"always_event": always_event})


@login_required
def primary_driver_edit(request, pk, node_pk):
    always_event, _m = _editable_always_event(request, pk)
    return _save_node(request, always_event, "primary", _primary(always_event, node_pk),
                      services.primary_driver_save, {"always_event": always_event})


@login_required
def secondary_driver_create(request, pk, node_pk):
    always_event, _m = _editable_always_event(request, pk)
    primary = _primary(always_event, node_pk)
    return _save_node(request, always_event, "secondary", None, services.secondary_driver_save,
                      {"primary_driver": primary})


@login_required
def secondary_driver_edit(request, pk, node_pk):
    always_event, _m = _editable_always_event(request, pk)
    driver = _secondary(always_event, node_pk)
    return _save_node(request, always_event, "secondary", driver, services.secondary_driver_save,
                      {"primary_driver": driver.primary_driver})


@login_required
def change_idea_create(request, pk, node_pk):
    always_event, _m = _editable_always_event(request, pk)
    secondary = _secondary(always_event, node_pk)
    return _save_node(request, always_event, "idea", None, services.change_idea_save,
                      {"secondary_driver": secondary})


@login_required
def change_idea_edit(request, pk, node_pk):
    always_event, _m = _editable_always_event(request, pk)
    idea = _idea(always_event, node_pk)
    return _save_node(request, always_event, "idea", idea, services.change_idea_save,
                      {"secondary_driver": idea.secondary_driver})


@login_required
def driver_node_delete(request, pk, kind, node_pk):
    always_event, _m = _editable_always_event(request, pk)
    finders = {"primary": _primary, "secondary": _secondary, "idea": _idea}
    if kind not in finders:
        raise Http404
    node = finders[kind](always_event, node_pk)
    label = NODE_TEXT[kind][0]
    error = ""
    if request.method == "POST":
        try:
            services.driver_node_delete(node=node)
        except ValidationError as problem:
            error = problem.messages[0]
        else:
            messages.success(request, f"{label} deleted")
            return redirect("programmes:driver_diagram", pk=pk)
    return _confirm_delete_page(
        request, title=f"Delete this {label.lower()}?", thing=node.text,
        warning="Anything under it in the driver diagram is deleted too."
        if kind != "idea" else "",
        button=f"Delete {label.lower()}",
        back_url=reverse("programmes:driver_diagram", args=[pk]),
        always_event=always_event, error=error,
    )


# PDSA cycles -----------------------------------------------------------------------------


@login_required
def pdsa_list(request, pk):
    always_event, membership = _always_event(request, pk)
    return render(request, "programmes/pdsa_list.html", {
        "always_event": always_event,
        "page": _page(request, selectors.pdsa_timeline(always_event)),
        "has_change_ideas": ChangeIdea.objects.filter(
            secondary_driver__primary_driver__always_event=always_event
        ).exists(),
        "can_edit": can_edit_always_event(membership, always_event), "section": "pdsa",
    })


@login_required
def pdsa_create(request, pk):
    always_event, _m = _editable_always_event(request, pk)
    form = PDSACycleForm(_posted(request), always_event=always_event)
    if _submitted(request, form, services.pdsa_cycle_create, always_event=always_event):
        messages.success(request, "PDSA cycle saved")
        return redirect("programmes:pdsa_list", pk=pk)
    return _form_page(
        request, form, title="Start a PDSA cycle", caption=always_event.title,
        back_url=reverse("programmes:pdsa_list", args=[pk]),
        intro="Fill in the plan now; come back to record what happened, the results and "
        "what you will do next.",
    )


@login_required
def pdsa_edit(request, pk, cycle_pk):
    always_event, _m = _editable_always_event(request, pk)
    cycle = get_object_or_404(PDSACycle, always_event=always_event, pk=cycle_pk)
    names = ["change_idea", "objective", "prediction", "plan_who", "plan_what", "plan_when",
             "plan_where", "started_on", "ended_on", "do_notes", "study_notes", "act"]
    form = PDSACycleForm(
        _posted(request), always_event=always_event,
        initial={name: getattr(cycle, name) for name in names},
    )
    if _submitted(request, form, services.pdsa_cycle_update, cycle=cycle):
        messages.success(request, f"PDSA cycle {cycle.number} saved")
        return redirect("programmes:pdsa_list", pk=pk)
    return _form_page(
        request, form, title=f"PDSA cycle {cycle.number}", caption=always_event.title,
        back_url=reverse("programmes:pdsa_list", args=[pk]),
    )


# Actions ---------------------------------------------------------------------------------


@login_required
def action_list(request, pk):
    always_event, membership = _always_event(request, pk)
    actions = always_event.actions.select_related("owner")
    return render(request, "programmes/action_list.html", {
        "always_event": always_event, "page": _page(request, actions), "today": _today(),
        "can_edit": can_edit_always_event(membership, always_event), "section": "actions",
    })


def _action_form(request, always_event, action):
    initial = {}
    if action:
        initial = {"title": action.title, "owner": action.owner, "due_on": action.due_on,
                   "status": action.status}
    form = ActionForm(_posted(request), initial=initial,
                      organisation=always_event.organisation)
    if _submitted(request, form, services.action_save, always_event=always_event, action=action):
        messages.success(request, "Action saved")
        return redirect("programmes:action_list", pk=always_event.pk)
    return _form_page(
        request, form, title="Change action" if action else "Add an action",
        caption=always_event.title,
        back_url=reverse("programmes:action_list", args=[always_event.pk]),
    )


@login_required
def action_create(request, pk):
    always_event, _m = _editable_always_event(request, pk)
    return _action_form(request, always_event, None)


@login_required
def action_edit(request, pk, action_pk):
    always_event, _m = _editable_always_event(request, pk)
    action = get_object_or_404(Action, always_event=always_event, pk=action_pk)
    return _action_form(request, always_event, action)


@login_required
def overdue_actions(request):
    actions = selectors.overdue_actions_for_user(user=request.user, today=_today())
    return render(request, "programmes/overdue_actions.html", {
        "page": _page(request, actions), "today": _today(),
    })


# Communication and spread ----------------------------------------------------------------


@login_required
def spread(request, pk):
    always_event, membership = _always_event(request, pk)
    return render(request, "programmes/spread.html", {
        "always_event": always_event,
        "communications": always_event.communications.all(),
        "spread_records": always_event.spread_records.select_related(
            "adopting_always_event__organisation"
        ),
        "spread_to": always_event.spread_to.filter(
            organisation__memberships__user=request.user
        ).select_related("organisation").distinct(),
        "can_edit": can_edit_always_event(membership, always_event), "section": "spread",
    })


def _communication_form(request, always_event, communication):
    initial = {}
    if communication:
        names = ["channel", "presented_on", "audience", "notes"]
        initial = {name: getattr(communication, name) for name in names}
    form = CommunicationForm(_posted(request), initial=initial)
    if _submitted(
        request, form, services.communication_record, always_event=always_event,
        communication=communication,
    ):
        messages.success(
            request, "Presentation saved" if communication else "Presentation recorded"
        )
        return redirect("programmes:spread", pk=always_event.pk)
    return _form_page(
        request, form,
        title="Change the presentation" if communication else "Record where it was presented",
        caption=always_event.title, back_url=reverse("programmes:spread", args=[always_event.pk]),
    )


@login_required
def communication_create(request, pk):
    always_event, _m = _editable_always_event(request, pk)
    return _communication_form(request, always_event, None)


@login_required
def communication_edit(request, pk, item_pk):
    always_event, _m = _editable_always_event(request, pk)
    communication = get_object_or_404(Communication, always_event=always_event, pk=item_pk)
    return _communication_form(request, always_event, communication)


@login_required
def communication_delete(request, pk, item_pk):
    always_event, _m = _editable_always_event(request, pk)
    communication = get_object_or_404(Communication, always_event=always_event, pk=item_pk)
    return _delete_after_asking(
        request, lambda: services.communication_delete(communication=communication),
        done="Presentation deleted", title="Delete this presentation?",
        thing=f"{communication.get_channel_display()} on "
        f"{date_format(communication.presented_on, 'j F Y')}, to {communication.audience}",
        button="Delete presentation", back_url=reverse("programmes:spread", args=[pk]),
        always_event=always_event,
    )


def _spread_record_form(request, always_event, record):
    initial = {}
    if record:
        names = ["name", "kind", "adopted_on", "adopting_always_event"]
        initial = {name: getattr(record, name) for name in names}
    form = SpreadRecordForm(
        _posted(request), initial=initial, user=request.user, always_event=always_event,
        linked=record.adopting_always_event if record else None,
    )
    if _submitted(
        request, form, services.spread_record_add, always_event=always_event,
        user=request.user, record=record,
    ):
        messages.success(request, "Adoption saved" if record else "Adoption recorded")
        return redirect("programmes:spread", pk=always_event.pk)
    return _form_page(
        request, form, title="Change the adoption" if record else "Record an adoption",
        caption=always_event.title, back_url=reverse("programmes:spread", args=[always_event.pk]),
    )


@login_required
def spread_record_create(request, pk):
    always_event, _m = _editable_always_event(request, pk)
    return _spread_record_form(request, always_event, None)


@login_required
def spread_record_edit(request, pk, record_pk):
    always_event, _m = _editable_always_event(request, pk)
    record = get_object_or_404(SpreadRecord, always_event=always_event, pk=record_pk)
    return _spread_record_form(request, always_event, record)


@login_required
def spread_record_delete(request, pk, record_pk):
    always_event, _m = _editable_always_event(request, pk)
    record = get_object_or_404(
        SpreadRecord.objects.select_related("adopting_always_event"),
        always_event=always_event, pk=record_pk,
    )
    adopter = record.adopting_always_event
    return _delete_after_asking(
        request, lambda: services.spread_record_delete(record=record),
        done="Adoption deleted", title="Delete this adoption?",
        thing=f"{record.name}, adopted on {date_format(record.adopted_on, 'j F Y')}",
        warning=f"{adopter.title} will no longer show that it was adopted from this Always "
        "Event." if adopter else "",
        button="Delete adoption", back_url=reverse("programmes:spread", args=[pk]),
        always_event=always_event,
    )


def _delete_after_asking(request, delete, *, done: str, **page):
    """On POST, `delete()` and back to the page the thing was listed on (`back_url`) with
    the message `done`; otherwise the page that asks first (`_confirm_delete_page`)."""
    if request.method == "POST":
        delete()
        messages.success(request, done)
        return redirect(page["back_url"])
    return _confirm_delete_page(request, **page)


def _confirm_delete_page(request, *, title, thing, button, back_url, warning="", **context):
    return render(request, "programmes/confirm_delete.html", {
        "title": title, "thing": thing, "warning": warning, "button": button,
        "back_url": back_url, **context,
    })


# History ---------------------------------------------------------------------------------


@login_required
def history(request, pk):
    always_event, _membership = _always_event(request, pk)
    return render(request, "programmes/history.html", {
        "always_event": always_event,
        "page": _page(request, selectors.always_event_history(always_event)),
        "section": "history",
    })


# Readiness and oversight -----------------------------------------------------------------


@login_required
def readiness_list(request):
    membership = _current_membership(request)
    assessments = ReadinessAssessment.objects.filter(
        organisation=membership.organisation
    ).select_related("assessed_by").prefetch_related("answers")
    page = _page(request, assessments)
    for assessment in page:
        assessment.summary = selectors.readiness_summary(assessment)
    return render(request, "programmes/readiness_list.html", {
        "page": page, "organisation": membership.organisation,
        "can_edit": membership.role in MANAGE_ORGANISATION_READINESS_ROLES,
    })


@login_required
def readiness_create(request):
    membership = _current_membership(request)
    require_role(membership, MANAGE_ORGANISATION_READINESS_ROLES)
    form = ReadinessForm(_posted(request), initial={"assessed_on": _today()})
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.readiness_assessment_record(
                organisation=membership.organisation, assessed_by=request.user,
                assessed_on=form.cleaned_data["assessed_on"], answers=form.answers(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Readiness assessment saved")
            return redirect("programmes:readiness_detail", pk=assessment.pk)
    return _form_page(
        request, form, title="Assess your readiness", caption=membership.organisation.name,
        back_url=reverse("programmes:readiness_list"),
        intro="For each item, say whether it is met, partly met or not yet. You can assess "
        "again later: earlier assessments are kept.",
    )


@login_required
def readiness_detail(request, pk):
    assessment = get_object_or_404(
        ReadinessAssessment.objects.filter(organisation__memberships__user=request.user)
        .select_related("organisation", "assessed_by").distinct(),
        pk=pk,
    )
    return render(request, "programmes/readiness_detail.html", {
        "assessment": assessment, "answers": assessment.answers.all(),
        "summary": selectors.readiness_summary(assessment),
    })


def _oversight_group(membership):
    return OversightGroup.objects.filter(organisation=membership.organisation).first()


@login_required
def oversight_group(request):
    membership = _current_membership(request)
    group = _oversight_group(membership)
    return render(request, "programmes/oversight_group.html", {
        "group": group, "organisation": membership.organisation,
        "members": group.members.all() if group else [],
        "meetings": _page(request, group.meetings.all()) if group else None,
        "can_edit": membership.role in MANAGE_ORGANISATION_READINESS_ROLES,
    })


@login_required
def oversight_group_edit(request):
    membership = _current_membership(request)
    require_role(membership, MANAGE_ORGANISATION_READINESS_ROLES)
    group = _oversight_group(membership)
    initial = {"name": group.name, "reports_to": group.reports_to} if group else {
        "name": "Always Events oversight group"}
    form = OversightGroupForm(_posted(request), initial=initial)
    if _submitted(
        request, form, services.oversight_group_save, organisation=membership.organisation
    ):
        messages.success(request, "Oversight group saved")
        return redirect("programmes:oversight_group")
    return _form_page(request, form, title="Oversight group",
                      caption=membership.organisation.name,
                      back_url=reverse("programmes:oversight_group"))


def _existing_group(membership):
    group = _oversight_group(membership)
    if group is None:
        raise Http404("Set up the oversight group first")
    return group


@login_required
def oversight_member_create(request):
    membership = _current_membership(request)
    require_role(membership, MANAGE_ORGANISATION_READINESS_ROLES)
    group = _existing_group(membership)
    form = OversightMemberForm(_posted(request))
    if _submitted(request, form, services.oversight_member_add, group=group):
        messages.success(request, "Member added")
        return redirect("programmes:oversight_group")
    return _form_page(request, form, title="Add a member of the oversight group",
                      caption=group.name, back_url=reverse("programmes:oversight_group"))


@login_required
def oversight_member_delete(request, pk):
    """POST only, but another organisation's member is 404 whatever the method."""
    member = get_object_or_404(
        OversightGroupMember.objects.filter(
            group__organisation__memberships__user=request.user
        ).distinct(),
        pk=pk,
    )
    membership = membership_in(request.user, member.group.organisation)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    require_role(membership, MANAGE_ORGANISATION_READINESS_ROLES)
    member.delete()
    messages.success(request, f"{member.name} removed from the oversight group")
    return redirect("programmes:oversight_group")


def _meeting_form(request, group, meeting):
    initial = {"met_on": meeting.met_on, "decisions": meeting.decisions} if meeting else {}
    form = OversightMeetingForm(_posted(request), initial=initial)
    if _submitted(request, form, services.oversight_meeting_record, group=group, meeting=meeting):
        messages.success(request, "Meeting saved" if meeting else "Meeting recorded")
        return redirect("programmes:oversight_group")
    return _form_page(request, form, title="Change the meeting" if meeting else "Record a meeting",
                      caption=group.name, back_url=reverse("programmes:oversight_group"))


def _own_meeting(request, pk):
    """The meeting, for a lead or executive of its organisation: 404 outside it, whatever
    the role, and 403 for its other members."""
    membership = _current_membership(request)
    group = _existing_group(membership)
    meeting = get_object_or_404(OversightMeeting, group=group, pk=pk)
    require_role(membership, MANAGE_ORGANISATION_READINESS_ROLES)
    return group, meeting


@login_required
def oversight_meeting_create(request):
    membership = _current_membership(request)
    require_role(membership, MANAGE_ORGANISATION_READINESS_ROLES)
    return _meeting_form(request, _existing_group(membership), None)


@login_required
def oversight_meeting_edit(request, pk):
    group, meeting = _own_meeting(request, pk)
    return _meeting_form(request, group, meeting)


@login_required
def oversight_meeting_delete(request, pk):
    group, meeting = _own_meeting(request, pk)
    return _delete_after_asking(
        request, lambda: services.oversight_meeting_delete(meeting=meeting),
        done="Meeting deleted", title="Delete this meeting?",
        thing=f"The meeting of {date_format(meeting.met_on, 'j F Y')}",
        warning="Its decisions are deleted with it.", button="Delete meeting",
        back_url=reverse("programmes:oversight_group"), caption=group.name,
    )


# Members ---------------------------------------------------------------------------------


def _admin_membership(request) -> Membership:
    membership = _current_membership(request)
    require_role(membership, MANAGE_MEMBERS_ROLES)
    return membership


def _member_of_admins_organisation(request, pk):
    """A membership in an organisation where the user is org admin; 404 outside theirs."""
    target = get_object_or_404(
        Membership.objects.filter(organisation__memberships__user=request.user)
        .select_related("user", "organisation").distinct(),
        pk=pk,
    )
    require_role(membership_in(request.user, target.organisation), MANAGE_MEMBERS_ROLES)
    return target


@login_required
def members(request):
    membership = _admin_membership(request)
    organisation = membership.organisation
    form = MemberAddForm(_posted(request))
    if _submitted(request, form, services.membership_add, organisation=organisation):
        messages.success(request, f"{form.cleaned_data['email']} added")
        return redirect("programmes:members")
    memberships = organisation.memberships.select_related("user").order_by(
        "user__full_name", "user__email"
    )
    return render(request, "programmes/members.html", {
        "organisation": organisation, "page": _page(request, memberships), "form": form,
    })


@login_required
def member_role(request, pk):
    target = _member_of_admins_organisation(request, pk)
    form = MemberRoleForm(_posted(request), initial={"role": target.role})
    if _submitted(request, form, services.membership_change_role, membership=target):
        messages.success(request, f"Role of {target.user} changed")
        return redirect("programmes:members")
    return _form_page(request, form, title=f"Change the role of {target.user}",
                      caption=target.organisation.name, back_url=reverse("programmes:members"))


@login_required
def member_remove(request, pk):
    target = _member_of_admins_organisation(request, pk)
    error = ""
    if request.method == "POST":
        try:
            services.membership_remove(membership=target)
        except ValidationError as problem:
            error = problem.messages[0]
        else:
            messages.success(request, f"{target.user} removed from {target.organisation.name}")
            return redirect("programmes:members")
    return render(request, "programmes/confirm_delete.html", {
        "title": f"Remove {target.user} from {target.organisation.name}?",
        "thing": target.user.email, "error": error, "warning": "",
        "back_url": reverse("programmes:members"), "button": "Remove member",
        "caption": target.organisation.name,
    })


# "You said, we did" ----------------------------------------------------------------------


@login_required
def you_said_we_did_settings(request):
    """Org admins opt their organisation in to the public "You said, we did" page."""
    membership = _admin_membership(request)
    organisation = membership.organisation
    form = YouSaidWeDidPageForm(
        _posted(request),
        initial={"publish": "yes" if organisation.publishes_you_said_we_did else "no"},
    )
    if request.method == "POST" and form.is_valid():
        publish = form.cleaned_data["publish"] == "yes"
        services.organisation_set_you_said_we_did_page(organisation=organisation, publish=publish)
        messages.success(
            request, "Your “You said, we did” page is published" if publish
            else "Your “You said, we did” page is no longer published",
        )
        return redirect("programmes:you_said_we_did_settings")
    public_url = reverse("programmes:you_said_we_did", args=[organisation.ods_code])
    return render(request, "programmes/you_said_we_did_settings.html", {
        "organisation": organisation, "form": form, "public_url": public_url,
        "events_with_text": AlwaysEvent.objects.in_organisation(organisation).active()
        .exclude(you_said_we_did="").count(),
    })


def you_said_we_did(request, ods_code):
    """The public page: no sign-in; 404 unless the organisation opted in."""
    organisation, events = selectors.you_said_we_did_page(ods_code)
    return render(request, "programmes/you_said_we_did.html", {
        "organisation": organisation, "events": events,
    })
