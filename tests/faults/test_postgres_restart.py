"""PostgreSQL restarted while patients submit: a clear "try again" page, never a thank-you
for an answer that was not stored.

The app runs in gunicorn against a PostgreSQL cluster the test starts on its own port,
so the test can stop and start it (the shared server is never touched).
"""

import threading

import httpx
import pytest
from django.conf import settings

from bench.load import (
    THANK_YOU,
    answers_from,
    app_environment,
    migrate_and_seed,
    start_gunicorn,
    stop,
    submission_key_of,
)

from .servers import HTTP_PORTS, Postgres, free_port

pytestmark = pytest.mark.worker


@pytest.fixture(scope="module")
def app():
    """One cluster and one gunicorn for the module: migrating a new cluster takes a while."""
    db = Postgres()
    server = None
    try:
        env = app_environment(db.url, settings.REDIS_URL)
        (token,) = migrate_and_seed(env)
        port = free_port(HTTP_PORTS)
        server = start_gunicorn(env, port, workers=2)
        yield {"base": f"http://127.0.0.1:{port}", "path": f"/f/{token}/", "db": db}
    finally:
        stop(server)
        db.destroy()


class Patients:
    """Opens forms and sends answers, keeping every outcome by submission key."""

    def __init__(self, base, path):
        self.base, self.path = base, path
        self.thanked, self.told_to_retry, self.unexpected = set(), set(), []
        self.try_again_pages = []

    def open_form(self):
        client = httpx.Client(base_url=self.base, timeout=30)
        page = client.get(self.path)
        if page.status_code == 503:
            self._check_try_again(page)
            client.close()
            return None
        assert page.status_code == 200, page.status_code
        return client, answers_from(page.text)

    def send(self, client, data, *, close=True):
        key = submission_key_of(data)
        try:
            sent = client.post(self.path, data=data)
        finally:
            if close:
                client.close()
        if sent.status_code == 302 and "/thank-you/" in sent.headers["location"]:
            self.thanked.add(key)
        elif sent.status_code == 503:
            self._check_try_again(sent)
            self.told_to_retry.add(key)
        else:
            self.unexpected.append(sent.status_code)
        return sent

    def submit(self):
        opened = self.open_form()
        return self.send(*opened) if opened else None

    def _check_try_again(self, response):
        self.try_again_pages.append(response.request.method)
        assert "try again" in response.text, response.text[:500]
        assert THANK_YOU not in response.text
        assert int(response.headers["Retry-After"]) > 0


def _stored_keys(db) -> set[str]:
    with db.connect() as conn:
        return {row[0] for row in conn.execute("SELECT submission_key FROM evaluation_response")}


def test_a_restart_shows_try_again_and_never_thanks_for_an_unstored_answer(app):
    db, patients = app["db"], Patients(app["base"], app["path"])
    before = _stored_keys(db)
    for _ in range(3):
        patients.submit()
    opened_before_the_stop = [patients.open_form() for _ in range(3)]

    db.stop()
    for client, data in opened_before_the_stop:
        response = patients.send(client, data, close=False)
        assert response.status_code == 503
    # A process that has served the link shows its form from the form cache without the
    # database; one that has not says "try again". Either way nobody is thanked.
    opened_during_the_stop = patients.open_form()
    if opened_during_the_stop:
        assert patients.send(*opened_during_the_stop).status_code == 503
    db.start()

    for _ in range(3):
        patients.submit()
    # Sending the same answers again after "try again" stores them once.
    for client, data in opened_before_the_stop:
        patients.send(client, data)

    assert patients.unexpected == []
    assert len(patients.told_to_retry) == 3 + bool(opened_during_the_stop)
    assert len(patients.thanked) == 9
    assert _stored_keys(db) - before == patients.thanked


def test_a_restart_in_a_stream_of_submissions_loses_no_thanked_answer(app):
    db, patients = app["db"], Patients(app["base"], app["path"])
    before = _stored_keys(db)
    running = threading.Event()
    running.set()
    failures = []

    def stream():
        while running.is_set():
            try:
                patients.submit()
            except (httpx.HTTPError, AssertionError) as error:
                failures.append(error)

    threads = [threading.Thread(target=stream) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        # A few thanked before the stop and after the start show the stream runs on.
        _wait_for_count(patients.thanked, 5)
        db.stop()
        _wait_for_count(patients.try_again_pages, 1, also=lambda: failures)
        db.start()
        settled = len(patients.thanked)
        _wait_for_count(patients.thanked, settled + 5)
    finally:
        running.clear()
        for thread in threads:
            thread.join(timeout=60)

    assert failures == []
    assert patients.unexpected == []
    stored = _stored_keys(db) - before
    assert patients.thanked <= stored, "a thank-you page for an answer that was not stored"
    # An answer may be stored by a commit the restart cut off before the reply: that
    # person was told to try again, and trying again stores it once (the key).
    assert stored - patients.thanked <= patients.told_to_retry


def _wait_for_count(collection, count, timeout=60, also=lambda: None):
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(collection) >= count or also():
            return
        time.sleep(0.1)
    raise AssertionError(f"waited {timeout} s for {count}; have {len(collection)}")
