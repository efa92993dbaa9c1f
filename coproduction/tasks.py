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
