"""Celery tasks of the co-production app. Tasks are thin: load settings, call a service."""

from celery import shared_task


@shared_task(acks_late=True)
def purge_partner_details() -> int:
    """Daily: removes personal details of partners who left too long ago (idempotent)."""
    from django.conf import settings
    from django.utils import timezone

    from .services import partner_details_purge

    return partner_details_purge(
        today=timezone.localdate(), months=settings.PARTNER_RETENTION_MONTHS
    )


@shared_task(acks_late=True)
def purge_check_in_comments() -> int:
    """Daily: blanks check-in comments older than the retention period (idempotent)."""
    from django.conf import settings
    from django.utils import timezone

    from .services import check_in_comment_purge

    return check_in_comment_purge(
        today=timezone.localdate(), months=settings.CHECK_IN_COMMENT_RETENTION_MONTHS
    )


@shared_task(acks_late=True)
def purge_engagement_quotes() -> int:
    """Daily: deletes "What matters to you?" quotes older than the retention period
    (idempotent)."""
    from django.conf import settings
    from django.utils import timezone

    from .services import engagement_quote_purge

    return engagement_quote_purge(
        today=timezone.localdate(), months=settings.ENGAGEMENT_QUOTE_RETENTION_MONTHS
    )
