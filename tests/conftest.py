import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import transaction

from programmes.models import Membership

from .factories import PASSWORD, MembershipFactory, OrganisationFactory

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing costs a third of a second a password by design; tests need none of it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


DEMO_WEEKS_IN_TESTS = 16  # of feedback responses; `seed_demo` makes two years


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker):
    """Everything `seed_demo` makes (both organisations, their Always Events, teams, forms,
    feedback, reports and the programme evaluation), with 16 weeks of feedback rather than
    two years. Seeded once per test module inside a transaction rolled back after it, so
    the tests that use it must take `db` (each runs in a savepoint), not
    `transactional_db`."""
    from coproduction.demo import seed_coproduction
    from evaluation.demo import seed_evaluation, seed_programme_evaluation
    from programmes.demo import seed_always_events, seed_organisations

    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        pytest.MonkeyPatch.context() as patch,
    ):
        patch.setattr("evaluation.demo.WEEKS", DEMO_WEEKS_IN_TESTS)
        seed_organisations(password="a-password-for-the-demo-world")
        seed_always_events()
        seed_coproduction()
        seed_evaluation()
        seed_programme_evaluation()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Riverside University Hospitals NHS Foundation Trust")


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory(name="Northfield Community NHS Trust")


def _member(organisation, role, email):
    return MembershipFactory(organisation=organisation, role=role, user__email=email).user


@pytest.fixture
def lead(organisation):
    return _member(organisation, Membership.Role.LEAD, "lead@riverside.test")


@pytest.fixture
def staff(organisation):
    return _member(organisation, Membership.Role.STAFF, "staff@riverside.test")


@pytest.fixture
def other_lead(other_organisation):
    return _member(other_organisation, Membership.Role.LEAD, "lead@northfield.test")


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def redis_client():
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.flushdb()
    yield client
    client.flushdb()


@pytest.fixture
def start_celery_worker(redis_client, transactional_db):
    """Starts real Celery workers on Redis (the tests' own database index) in subprocesses.

    They use the test database, so tasks see the rows the test wrote. Extra environment
    variables go to the worker (e.g. a shorter CELERY_TASK_TIME_LIMIT). All are stopped at
    the end of the test.
    """
    processes = []

    def start(**extra_env):
        env = {
            **os.environ,
            "DATABASE_URL": _test_database_url(),
            "REDIS_URL": settings.REDIS_URL,
            **extra_env,
        }
        command = [
            sys.executable, "-m", "celery", "-A", "always_events", "worker",
            "--pool=solo", "--concurrency=1", "--loglevel=WARNING", "--without-heartbeat",
            "--without-gossip", "--without-mingle", "-n", f"test-{os.getpid()}-{len(processes)}@%h",
        ]
        process = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603
        processes.append(process)
        _wait_for_worker(process)
        return process

    yield start
    for process in processes:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def celery_worker_process(start_celery_worker):
    """One real Celery worker for the test."""
    return start_celery_worker()


def _test_database_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _wait_for_worker(process, timeout: float = 30) -> None:
    from always_events.celery import app

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("The Celery worker exited while starting")
        if app.control.ping(timeout=0.5):
            return
    raise RuntimeError("The Celery worker did not answer a ping in time")


def chromium_path() -> str:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
