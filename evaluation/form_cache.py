"""What a patient's pages read, kept in each process's memory so they do not load it again
on every request: the distribution point of each link (with its form's title and its
Always Event's "you said, we did") and the form's current version, with its questions,
options and translations.

Most of a version is fixed once it has responses (edits then make a new version), but
translations of the current version are changed in place, links are retired and titles
edited, and the admin can change anything, so the cache does not rely on that: every
save or delete of a form version, question, option, translation, distribution point,
feedback form or Always Event replaces a generation token in the shared cache (Redis)
once its transaction commits, and a cached value is used only while the token it was
loaded under is still current. A request reads the token before it reads the database,
so a value loaded during an edit is never kept past it. If the shared cache cannot be
read, everything is loaded from the database and not kept. A value is kept for at most
`MAX_AGE_SECONDS` whatever the token says, which bounds how long a change stays unseen
if replacing the token failed (Redis unreachable at that moment).

The same generation keys the patient's pages rendered once per process (`page_get`,
`page_put`): the form page as first shown and the thank-you page, with placeholders
where each request puts its own CSP nonce, CSRF token and submission key (see
`evaluation.views`).
"""

import logging
import secrets
import threading
import time

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

log = logging.getLogger(__name__)

GENERATION_KEY = "evaluation:public-forms:generation"
MAX_VERSIONS = 512
MAX_POINTS = 4096
MAX_PAGES = 1024  # a form page of five questions is about 30 KB
MAX_AGE_SECONDS = 300

_lock = threading.Lock()
_versions: dict[int, tuple[str, float, object]] = {}
_points: dict[str, tuple[str, float, object]] = {}
_pages: dict[tuple, tuple[str, float, str]] = {}


def generation() -> str | None:
    """The current generation token (made if there is none), or None if unreadable."""
    try:
        token = cache.get(GENERATION_KEY)
        if token is None:
            cache.add(GENERATION_KEY, secrets.token_hex(8), timeout=None)
            token = cache.get(GENERATION_KEY)
        return token
    except Exception:  # noqa: BLE001 — a cache outage must not stop a patient's answers
        log.warning("Public form cache unavailable; loading the form from the database")
        return None


def _get(store: dict, key, token: str | None):
    """The value kept under `key` if it was kept under the current generation `token`,
    less than MAX_AGE_SECONDS ago."""
    if token is None:
        return None
    entry = store.get(key)
    if entry is None or entry[0] != token or time.monotonic() - entry[1] > MAX_AGE_SECONDS:
        return None
    return entry[2]


def _put(store: dict, limit: int, key, token: str | None, value) -> None:
    """Keeps `value` under `key` for generation `token` (nothing without one); a full
    store is emptied first, which bounds the process's memory."""
    if token is None:
        return
    with _lock:
        if len(store) >= limit:
            store.clear()
        store[key] = (token, time.monotonic(), value)


def get(version_id: int, token: str | None):
    return _get(_versions, version_id, token)


def put(version_id: int, token: str | None, version) -> None:
    _put(_versions, MAX_VERSIONS, version_id, token, version)


def point_get(link_token: str, token: str | None):
    return _get(_points, link_token, token)


def point_put(link_token: str, token: str | None, point) -> None:
    _put(_points, MAX_POINTS, link_token, token, point)


def page_get(key: tuple, token: str | None) -> str | None:
    return _get(_pages, key, token)


def page_put(key: tuple, token: str | None, html: str) -> None:
    _put(_pages, MAX_PAGES, key, token, html)


def _clear() -> None:
    with _lock:
        _versions.clear()
        _points.clear()
        _pages.clear()


def invalidate() -> None:
    """Makes everything cached stale: in this process at once, and in every process
    when the change commits (a version read before the commit is dropped then)."""
    _clear()

    def bump():
        _clear()
        try:
            cache.set(GENERATION_KEY, secrets.token_hex(8), timeout=None)
        except Exception:  # noqa: BLE001
            log.exception("Could not invalidate the public form cache")

    transaction.on_commit(bump)


def _changed(sender, **kwargs):
    invalidate()


def connect() -> None:
    from programmes.models import AlwaysEvent

    from .models import (
        DistributionPoint,
        FeedbackForm,
        FormTranslation,
        FormVersion,
        Option,
        Question,
    )

    for model in (
        FormVersion, Question, Option, FormTranslation, DistributionPoint, FeedbackForm,
        AlwaysEvent,
    ):
        post_save.connect(_changed, sender=model, dispatch_uid=f"form_cache_save_{model.__name__}")
        post_delete.connect(
            _changed, sender=model, dispatch_uid=f"form_cache_delete_{model.__name__}"
        )
