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
def send_monthly_oversight_reports(today: str | None = None) -> int:
    """Daily. On the first working day of a month, queues one task per organisation to
    build and email its report for the previous month. Returns how many were queued."""
    import datetime as dt

    from django.utils import timezone

    from . import reports

    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    if day != reports.first_working_day(day):
        return 0
    month = reports.previous_month(day).isoformat()
    queued = 0
    for organisation_id in reports.organisations_to_report().values_list("pk", flat=True):
        build_and_send_oversight_report.delay(organisation_id, month, day.isoformat())
        queued += 1
    return queued


@shared_task(
    acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5,
    soft_time_limit=270, time_limit=300,
)
def build_and_send_oversight_report(organisation_id: int, month: str, today: str) -> bool:
    """Idempotent: an existing report is not rebuilt, a sent one is not sent again."""
    import datetime as dt

    from . import reports

    return reports.monthly_report_for(
        organisation_id=organisation_id, month=dt.date.fromisoformat(month),
        today=dt.date.fromisoformat(today),
    )


@shared_task(acks_late=True, soft_time_limit=270, time_limit=300)
def build_oversight_report_draft(organisation_id: int, month: str, user_id: int | None) -> bool:
    """"Build this month's draft now" (reports.draft_build_queued). Rebuilding a draft is
    safe to repeat; a report signed off since it was asked for is left as it is."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError

    from programmes.models import Organisation

    from . import reports

    day = dt.date.fromisoformat(month)
    try:
        reports.oversight_report_build(
            organisation=Organisation.objects.get(pk=organisation_id), month=day,
            user=get_user_model().objects.filter(pk=user_id).first() if user_id else None,
        )
    except ValidationError:
        return False
    finally:
        reports.draft_build_finished(organisation_id=organisation_id, month=day)
    return True


@shared_task(acks_late=True)
def purge_free_text() -> int:
    """Daily: blanks free-text answers older than the retention period (idempotent)."""
    from django.conf import settings
    from django.utils import timezone

    from .services import free_text_purge

    return free_text_purge(
        today=timezone.localdate(), months=settings.FEEDBACK_FREE_TEXT_RETENTION_MONTHS
    )


@shared_task(acks_late=True)
def purge_interview_text() -> int:
    """Daily: blanks the quotes and notes of evaluation interviews older than the
    retention period (idempotent)."""
    from django.conf import settings
    from django.utils import timezone

    from .services import interview_text_purge

    return interview_text_purge(
        today=timezone.localdate(), months=settings.INTERVIEW_TEXT_RETENTION_MONTHS
    )


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
