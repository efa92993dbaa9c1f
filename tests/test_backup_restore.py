"""scripts/backup and scripts/restore, run for real: the demo data is dumped with pg_dump,
restored with pg_restore into a fresh database, and every table's rows are counted."""

import os
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db(transaction=True)  # the dump must see committed rows


def _url(name: str) -> str:
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    )


def _run(*args, env_url=None):
    env = {**os.environ, "DATABASE_URL": env_url or _url(settings.DATABASES["default"]["NAME"])}
    return subprocess.run(  # noqa: S603 - our own scripts
        [str(ROOT / "scripts" / args[0]), *args[1:]],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _counts(conn) -> dict[str, int]:
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - catalogue names
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.fixture
def restore_name():
    """A fresh database of this run's own name, dropped afterwards."""
    name = f"{settings.DATABASES['default']['NAME']}_restore"[:63]
    admin = psycopg.connect(_url("postgres"), autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    yield name
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def test_a_backup_restores_into_a_fresh_database_with_every_row(
    tmp_path, restore_name, monkeypatch
):
    from coproduction.demo import seed_coproduction
    from evaluation.demo import seed_evaluation
    from programmes.demo import seed_always_events, seed_organisations

    monkeypatch.setattr("evaluation.demo.WEEKS", 16)  # every table has rows; fewer answers
    seed_organisations(password="a-password-for-the-backup")
    seed_always_events()
    seed_coproduction()
    seed_evaluation()

    dump = tmp_path / "nightly.dump"
    backup = _run("backup", str(dump))
    assert backup.returncode == 0, backup.stderr
    assert dump.exists() and dump.stat().st_mode & 0o077 == 0
    restore = _run("restore", str(dump), _url(restore_name))
    assert restore.returncode == 0, restore.stderr
    assert f"Creating database {restore_name}" in restore.stdout

    original = _counts(connection.connection)
    with psycopg.connect(_url(restore_name)) as restored:
        assert _counts(restored) == original
    main = [
        "programmes_alwaysevent",
        "programmes_membership",
        "coproduction_codesignmember",
        "coproduction_codesignsession",
        "evaluation_feedbackform",
        "evaluation_response",
        "evaluation_answer",
        "accounts_user",
    ]
    assert all(original[table] > 0 for table in main), {t: original[t] for t in main}

    # A second restore into the now-filled database is refused: live data is never mixed.
    again = _run("restore", str(dump), _url(restore_name))
    assert again.returncode == 3 and "restore into a new, empty database" in again.stderr


def test_backup_says_clearly_when_the_database_cannot_be_reached(tmp_path):
    result = _run(
        "backup", str(tmp_path / "x.dump"), env_url="postgres://postgres@127.0.0.1:1/nowhere"
    )
    assert result.returncode != 0
    assert not (tmp_path / "x.dump").exists() and not (tmp_path / "x.dump.partial").exists()
    assert "connection" in result.stderr.lower()
