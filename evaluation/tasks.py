"""Celery tasks of the evaluation app. Tasks are thin: take ids, load, call a service."""

from celery import shared_task


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=8,
)
def recompute_outcome_summaries(self, always_event_id: int) -> int:
    """Recomputes one Always Event's outcome summaries (idempotent: replaces rows)."""
    from . import outcomes
    from .summaries import clear_scheduled

    clear_scheduled(always_event_id)
    return outcomes.outcome_summaries_recompute(always_event_id=always_event_id)


@shared_task(acks_late=True, soft_time_limit=3300, time_limit=3600)
def recompute_all_outcome_summaries() -> int:
    """Nightly safety net (DESIGN §4 step 5): every summary, set-based (outcomes.py)."""
    from . import outcomes

    return outcomes.outcome_summaries_recompute_all()


@shared_task(acks_late=True)
def sweep_new_responses() -> int:
    """Every minute: recompute Always Events with responses the summaries may have missed."""
    from .summaries import sweep

    return sweep()


@shared_task(acks_late=True)
def import_responses(batch_id: int) -> int:
    """Imports an uploaded CSV of paper or other systems' responses (idempotent by row key)."""
    from .models import ImportBatch
    from .services import import_batch_run

    try:
        return import_batch_run(batch_id=batch_id).rows_saved
    except Exception:
        ImportBatch.objects.filter(pk=batch_id).update(status=ImportBatch.Status.FAILED)
        raise


@shared_task(acks_late=True)
def purge_free_text() -> int:
    """Daily: blanks free-text answers older than the retention period (idempotent)."""
    from django.conf import settings
    from django.utils import timezone

    from .services import free_text_purge

    return free_text_purge(
        today=timezone.localdate(), months=settings.FEEDBACK_FREE_TEXT_RETENTION_MONTHS
    )
