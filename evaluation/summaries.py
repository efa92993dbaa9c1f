"""Keeping outcome summaries current (DESIGN §4 steps 3–6).

A saved response calls `request_recompute` on commit. That marks the Always Event dirty
and enqueues a recompute at once, debounced on the leading edge: the first response
sets the mark (Redis SET NX) and enqueues; later ones see the mark and enqueue nothing
until the recompute starts and clears it, so a burst of responses causes one running
recompute plus at most one more (for the responses that arrived while it ran), never
one each. The first response after a quiet spell is recomputed at once; a following
one waits until `MIN_SECONDS_BETWEEN` has passed since the last recompute started, so
a steady stream of patients costs one recompute a second per Always Event, not one
after another without a pause.

If Redis or the worker is down, the response is still saved; the catch-up
sweep (a beat task every minute) finds Always Events with responses newer than it has
seen and recomputes them once Redis and the worker are back.
"""

import datetime as dt
import logging
import time

import redis
from django.conf import settings
from django.core.cache import cache
from kombu.exceptions import OperationalError

log = logging.getLogger(__name__)

SCHEDULED_KEY = "outcomes:scheduled:{}"
STARTED_KEY = "outcomes:started:{}"
MIN_SECONDS_BETWEEN = 1.0


def request_recompute(always_event_id: int) -> None:
    """Asks for the Always Event's summaries to be recomputed soon. Never raises."""
    from .tasks import recompute_outcome_summaries

    if settings.CELERY_TASK_ALWAYS_EAGER:
        recompute_outcome_summaries.delay(always_event_id)
        return
    try:
        # The shared cache (Redis, one client per process): SET NX with a 60 s expiry.
        if cache.add(SCHEDULED_KEY.format(always_event_id), 1, timeout=60):
            started = cache.get(STARTED_KEY.format(always_event_id))
            now = time.time()
            # Due MIN_SECONDS_BETWEEN after the last start (at most that from now): an
            # absolute time, as a countdown would add the moments spent enqueueing.
            due = min(float(started), now) + MIN_SECONDS_BETWEEN if started else now
            if due > now:
                recompute_outcome_summaries.apply_async(
                    args=[always_event_id], eta=dt.datetime.fromtimestamp(due, dt.UTC)
                )
            else:
                recompute_outcome_summaries.delay(always_event_id)
    except (redis.RedisError, OperationalError, OSError):
        log.warning("Recompute of Always Event %s left to the catch-up sweep", always_event_id)


def clear_scheduled(always_event_id: int) -> None:
    """Called when a recompute starts, so responses arriving during it schedule another
    (no sooner than MIN_SECONDS_BETWEEN after this start)."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return
    try:
        cache.delete(SCHEDULED_KEY.format(always_event_id))
        cache.set(STARTED_KEY.format(always_event_id), time.time(), timeout=60)
    except redis.RedisError:
        log.warning("Could not clear the recompute mark of Always Event %s", always_event_id)


def sweep() -> int:
    """Enqueues a recompute for each Always Event with responses newer than the last sweep.

    Reads only responses past the stored high-water mark (by primary key), so it costs
    the same at 10 thousand and 10 million responses. Returns how many it enqueued.
    """
    from django.db import transaction
    from django.utils import timezone

    from .models import Response, SweepMark
    from .tasks import recompute_outcome_summaries

    with transaction.atomic():
        mark, _ = SweepMark.objects.select_for_update().get_or_create(name="responses")
        newest = Response.objects.order_by("-id").values_list("id", flat=True).first() or 0
        event_ids = list(
            Response.objects.filter(id__gt=mark.last_response_id, id__lte=newest)
            .values_list("always_event_id", flat=True)
            .distinct()
        )
        # Enqueue before moving the mark: if the broker is down this raises, the mark
        # stays, and the next sweep tries again.
        for always_event_id in event_ids:
            recompute_outcome_summaries.delay(always_event_id)
        mark.last_response_id = newest
        mark.swept_at = timezone.now()
        mark.save(update_fields=["last_response_id", "swept_at"])
    return len(event_ids)
