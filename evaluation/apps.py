from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "evaluation"

    def ready(self):
        from programmes.gates import register_gate
        from programmes.models import Phase

        from . import form_cache

        register_gate(
            Phase.TEST,
            "At least one outcome measure is defined",
            _has_outcome_measure,
            key="evaluation.outcome_measure",
            url_name="evaluation:measure_list",
        )
        form_cache.connect()


def _has_outcome_measure(always_event) -> bool:
    return always_event.measures.filter(kind="outcome").exists()
