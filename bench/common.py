"""Shared pieces of the benchmarks: a database of their own, timing, and the report."""

import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "docs" / "benchmarks.md"
BENCH_DATABASE = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/always_events_bench"
)


def setup_django() -> None:
    """Points Django at the benchmark database (never the app's or the tests')."""
    os.environ["DATABASE_URL"] = BENCH_DATABASE
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "always_events.settings")
    os.environ.pop("REDIS_URL", None)  # recomputes run in this process
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def recreate_database() -> None:
    name = BENCH_DATABASE.rsplit("/", 1)[1]
    admin = BENCH_DATABASE.rsplit("/", 1)[0] + "/postgres"
    for sql in (f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'):
        subprocess.run(["psql", admin, "-q", "-c", sql], check=True)  # noqa: S603, S607


def timed(function, *args, repeat: int = 1, **kwargs) -> tuple[float, object]:
    """Median wall time in seconds of `repeat` calls, and the last call's result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function(*args, **kwargs)
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB memory"
    except (OSError, ValueError, IndexError):
        pass
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}){memory}"


def write_section(title: str, command: str, body: str) -> None:
    """Replaces (or adds) the report section `title` in docs/benchmarks.md."""
    heading = f"## {title}"
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    section = (
        f"{heading}\n\nMeasured {stamp} on {machine()}, PostgreSQL {postgres_version()}, "
        f"with `{command}`.\n\n{body.strip()}\n"
    )
    text = REPORT.read_text() if REPORT.exists() else "# Benchmarks\n"
    parts = text.split("\n## ")
    sections = ["## " + p.rstrip() + "\n" for p in parts[1:]]
    # in its place, so a run does not reorder the report; a new section goes at the end
    place = next((i for i, s in enumerate(sections) if s.startswith(heading + "\n")), None)
    if place is None:
        sections.append(section)
    else:
        sections[place] = section
    REPORT.write_text("\n".join([parts[0].rstrip() + "\n", *sections]))


def postgres_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0].split(" ")[0]
