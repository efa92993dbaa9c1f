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
    written = outcomes.outcome_summaries_recompute(always_event_id=always_event_id)
    _check_special_cause([always_event_id])
    return written


def _check_special_cause(always_event_ids: list[int] | None) -> None:
    """After a recompute: alerts for any new special cause the wrong way, then their emails
    in a task of their own, so a mail server being down retries the emails, not the
    recompute."""
    from . import alerts

    if alerts.alerts_check_special_cause(always_event_ids=always_event_ids):
        send_alert_emails.delay()


@shared_task(acks_late=True, soft_time_limit=3300, time_limit=3600)
def recompute_all_outcome_summaries() -> int:
    """Nightly safety net (DESIGN §4 step 5): every summary, set-based (outcomes.py)."""
    from . import outcomes

    written = outcomes.outcome_summaries_recompute_all()
    _check_special_cause(None)
    return written


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
def check_alerts_no_data() -> int:
    """Daily: an alert for each outcome measure that had no data in the whole of last
    month, then the emails of any alert not yet emailed (alerts.py)."""
    from . import alerts

    new = alerts.alerts_check_no_data()
    alerts.alerts_send_emails()
    return len(new)


@shared_task(
    acks_late=True, autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=600,
    max_retries=8,
)
def send_alert_emails() -> int:
    """Emails the leads and sponsor of each alert not yet emailed, once (alerts.py)."""
    from . import alerts

    return alerts.alerts_send_emails()
