"""Phase gates: what must be true before an Always Event moves to the next phase.

A gate belongs to the phase it leads *into*: the gates of ``Phase.TEST`` are checked
before an Always Event moves from Co-design to Test. The gates page shows them as an
NHS.UK task list; moving on with a gate unmet needs a reason, which is kept in a
``PhaseChange`` (see ``services.always_event_change_phase``).

The registry lets other apps add gates without ``programmes`` importing them (the
dependencies point one way, DESIGN §2). Register from your ``AppConfig.ready()``::

    from programmes.gates import register_gate
    from programmes.models import Phase

    class EvaluationConfig(AppConfig):
        name = "evaluation"

        def ready(self):
            register_gate(
                Phase.TEST,
                "At least one outcome measure is defined",
                lambda always_event: always_event.measures.filter(kind="outcome").exists(),
                key="evaluation.outcome_measure",
                url_name="evaluation:measure_list",
            )

- ``phase``: a ``Phase`` value; the gate is checked before moving *into* it.
- ``label``: what must be true, as a sentence a lead can act on.
- ``check``: ``check(always_event) -> bool``, True when the gate is met. Keep it to a
  query or two: the gates page runs every check of the next phase.
- ``key``: a stable identifier; registering the same key again replaces the gate, so
  ``ready()`` may run twice (as it does in tests) without duplicates. Defaults to label.
- ``url_name``: optional URL name taking the Always Event's ``pk`` (or no arguments);
  the task list links the gate to that page so the lead can fix it.

A gate that nothing registered simply does not appear.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from .models import PHASE_ORDER, Criterion, Phase, ReadinessAssessment


@dataclass(frozen=True)
class Gate:
    key: str
    phase: str
    label: str
    check: Callable
    url_name: str | None = None


@dataclass(frozen=True)
class GateResult:
    gate: Gate
    met: bool
    url: str | None

    @property
    def label(self) -> str:
        return self.gate.label


_registry: dict[str, Gate] = {}


def register_gate(
    phase: str,
    label: str,
    check: Callable,
    *,
    key: str | None = None,
    url_name: str | None = None,
) -> Gate:
    """Adds (or replaces, by key) a gate checked before moving into `phase`."""
    if phase not in PHASE_ORDER:
        raise ValueError(f"Unknown phase {phase!r}")
    gate = Gate(key=key or label, phase=phase, label=label, check=check, url_name=url_name)
    _registry[gate.key] = gate
    return gate


def unregister_gate(key: str) -> None:
    _registry.pop(key, None)


def gates_for(phase: str) -> list[Gate]:
    return [gate for gate in _registry.values() if gate.phase == phase]


def next_phase(phase: str) -> str | None:
    index = PHASE_ORDER.index(phase)
    return PHASE_ORDER[index + 1] if index + 1 < len(PHASE_ORDER) else None


def check_gates(always_event, phase: str) -> list[GateResult]:
    """Every gate of `phase`, checked against the Always Event."""
    results = []
    for gate in gates_for(phase):
        url = None
        if gate.url_name:
            try:
                url = reverse(gate.url_name, kwargs={"pk": always_event.pk})
            except NoReverseMatch:
                url = _reverse_or_none(gate.url_name)
        results.append(GateResult(gate=gate, met=bool(gate.check(always_event)), url=url))
    return results


def _reverse_or_none(url_name: str) -> str | None:
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None


# The gates programmes knows about itself. Their keys start with "programmes.".

def _has_readiness_assessment(always_event) -> bool:
    return ReadinessAssessment.objects.filter(organisation=always_event.organisation_id).exists()


def _has_sponsor(always_event) -> bool:
    return always_event.executive_sponsor_id is not None


def _has_lead(always_event) -> bool:
    return always_event.leads.exists()


def _has_vision(always_event) -> bool:
    return bool(always_event.vision_statement.strip())


def _has_aim(always_event) -> bool:
    return bool(always_event.aim_statement)


def _criteria_met(always_event) -> bool:
    met = always_event.criteria.filter(met=True).values_list("kind", flat=True)
    return set(met) == set(Criterion.Kind.values)


def _has_change_idea(always_event) -> bool:
    return always_event.primary_drivers.filter(
        secondary_drivers__change_ideas__isnull=False
    ).exists()


def _has_adopted_pdsa(always_event) -> bool:
    return always_event.pdsa_cycles.filter(act="adopt").exists()


def _has_communication(always_event) -> bool:
    return always_event.communications.exists()


def _has_no_overdue_actions(always_event) -> bool:
    from django.utils import timezone

    return not always_event.actions.exclude(status="done").filter(
        due_on__lt=timezone.localdate()
    ).exists()


register_gate(
    Phase.UNDERSTAND, "A readiness self-assessment is recorded for the organisation",
    _has_readiness_assessment, key="programmes.readiness", url_name="programmes:readiness_list",
)
register_gate(
    Phase.CO_DESIGN, "An executive sponsor is named", _has_sponsor,
    key="programmes.sponsor", url_name="programmes:always_event_edit",
)
register_gate(
    Phase.CO_DESIGN, "At least one lead is named", _has_lead,
    key="programmes.lead", url_name="programmes:always_event_edit",
)
register_gate(
    Phase.TEST, "The vision statement is written", _has_vision,
    key="programmes.vision", url_name="programmes:vision_and_aim",
)
register_gate(
    Phase.TEST, "The aim has a population, measure, target and deadline", _has_aim,
    key="programmes.aim", url_name="programmes:vision_and_aim",
)
register_gate(
    Phase.TEST, "All four criteria are met", _criteria_met,
    key="programmes.criteria", url_name="programmes:criteria",
)
register_gate(
    Phase.TEST, "The driver diagram has at least one change idea", _has_change_idea,
    key="programmes.change_idea", url_name="programmes:driver_diagram",
)
register_gate(
    Phase.IMPLEMENT, "At least one PDSA cycle ended with the decision to adopt",
    _has_adopted_pdsa, key="programmes.pdsa_adopt", url_name="programmes:pdsa_list",
)
register_gate(
    Phase.SUSTAIN, "The Always Event has been presented to staff or the board",
    _has_communication, key="programmes.communication", url_name="programmes:spread",
)
register_gate(
    Phase.SUSTAIN, "No actions are overdue", _has_no_overdue_actions,
    key="programmes.actions", url_name="programmes:action_list",
)
