import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from always_events import env


def _import_settings(module="always_events.settings", **variables):
    """Imports settings (or a module that loads them) in a fresh interpreter."""
    environment = {k: v for k, v in os.environ.items() if k not in variables}
    environment.update({k: v for k, v in variables.items() if v is not None})
    for name in [k for k, v in variables.items() if v is None]:
        environment.pop(name, None)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", f"import {module}"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_the_web_app_needs_a_secret_key_when_debug_is_off():
    result = _import_settings("always_events.wsgi", DEBUG="false", SECRET_KEY=None)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_one_off_commands_run_without_a_secret_key():
    environment = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_it_runs_without_a_secret_key_in_debug():
    assert _import_settings(DEBUG="true", SECRET_KEY=None).returncode == 0


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "maybe"),
        ("DATABASE_URL", "mysql://root@localhost/db"),
        ("REDIS_URL", "localhost:6379"),
        ("EMAIL_PORT", "twenty-five"),
        ("HTTPS", "sometimes"),
        ("CELERY_TASK_TIME_LIMIT", "0"),
        ("FEEDBACK_RATE_LIMIT_PER_CLIENT", "lots"),
        ("PARTNER_RETENTION_MONTHS", "0"),
        ("CHECK_IN_COMMENT_RETENTION_MONTHS", "0"),
        ("OVERSIGHT_REPORT_BANK_HOLIDAYS", "2026-12-25,Boxing Day"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(name, value):
    result = _import_settings(**{name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert name in result.stderr.splitlines()[-1]


def test_env_bool_reads_the_usual_words(monkeypatch):
    monkeypatch.setenv("FLAG", "Yes")
    assert env.env_bool("FLAG", False) is True
    monkeypatch.setenv("FLAG", "off")
    assert env.env_bool("FLAG", True) is False
    monkeypatch.delenv("FLAG")
    assert env.env_bool("FLAG", True) is True


def test_env_int_refuses_numbers_below_its_minimum(monkeypatch):
    monkeypatch.setenv("WORKERS", "-1")
    with pytest.raises(ImproperlyConfigured, match="WORKERS must be at least 0"):
        env.env_int("WORKERS", 2)


def test_env_dates_reads_iso_dates(monkeypatch):
    from always_events.env import env_dates

    monkeypatch.setenv("DAYS", "2026-12-25, 2026-12-28,")
    assert env_dates("DAYS") == ["2026-12-25", "2026-12-28"]


def test_env_list_drops_blanks(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.nhs.uk, ,b.nhs.uk ")
    assert env.env_list("HOSTS") == ["a.nhs.uk", "b.nhs.uk"]


def test_production_settings_pass_the_deploy_check():
    environment = {
        **os.environ,
        "DEBUG": "false",
        "HTTPS": "true",
        "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
        "ALLOWED_HOSTS": "always-events.example.nhs.uk",
    }
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
