"""Load test: patients answering the public feedback form, many at once, through gunicorn.

Each virtual patient loops over the whole flow until the time is up: open the form
(GET), send answers with the CSRF token and the one-time submission key (POST), and open
the thank-you page it is sent to. Goal: no errors, and exactly one stored response per
thank-you page.

    python -m bench.load                      # make bench-load: 10 minutes, 200 patients
    python -m bench.load --duration 60        # a short run

It uses a database of its own (LOAD_DATABASE_URL, recreated each run), the Redis of
REDIS_URL (Celery broker, cache and rate-limit counters) and starts gunicorn and one
Celery worker itself. The fault tests in tests/faults/ reuse its pieces.
"""

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "docs" / "benchmarks.md"
SECTION_START = "<!-- bench.load: start -->"
SECTION_END = "<!-- bench.load: end -->"
LOAD_DATABASE = os.environ.get(
    "LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/always_events_load"
)
THANK_YOU = "Thank you"
NO_LIMIT = "1000000/h"


# The patient flow -------------------------------------------------------------------


class _FormReader(HTMLParser):
    """The fields of the page's POST form: hidden values, radio options, text areas."""

    def __init__(self):
        super().__init__()
        self.hidden: dict[str, str] = {}
        self.radios: dict[str, list[str]] = {}
        self.textareas: list[str] = []
        self.in_post_form = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.in_post_form = True
        if not self.in_post_form:
            return
        if tag == "input" and a.get("type") == "hidden" and a.get("name"):
            self.hidden[a["name"]] = a.get("value") or ""
        elif tag == "input" and a.get("type") == "radio" and a.get("name"):
            self.radios.setdefault(a["name"], []).append(a.get("value") or "")
        elif tag == "textarea" and a.get("name"):
            self.textareas.append(a["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_post_form = False


def answers_from(html: str, *, choice: int = 0, text: str = "The nurse gave me a card.") -> dict:
    """What a patient sends: every hidden field as served, one option per question."""
    reader = _FormReader()
    reader.feed(html)
    if "submission_key" not in reader.hidden:
        raise ValueError("the page has no feedback form")
    data = dict(reader.hidden)
    for name, values in reader.radios.items():
        data[name] = values[choice % len(values)]
    for name in reader.textareas:
        data[name] = text
    data["website"] = ""
    return data


def submission_key_of(data: dict) -> str:
    """The random part of the signed key: what Response.submission_key stores."""
    return data["submission_key"].split(":", 1)[0]


async def patient_submits(client: httpx.AsyncClient, path: str, *, choice: int = 0) -> str:
    """One patient's whole flow. Returns "thanks" or raises on anything unexpected."""
    page = await client.get(path)
    if page.status_code != 200:
        raise RuntimeError(f"GET {path}: {page.status_code}")
    sent = await client.post(path, data=answers_from(page.text, choice=choice))
    if sent.status_code != 302 or "/thank-you/" not in sent.headers.get("location", ""):
        raise RuntimeError(f"POST {path}: {sent.status_code}")
    thanks = await client.get(sent.headers["location"])
    if thanks.status_code != 200 or THANK_YOU not in thanks.text:
        raise RuntimeError(f"GET thank-you: {thanks.status_code}")
    return "thanks"


# Servers ----------------------------------------------------------------------------


def app_environment(database_url: str, redis_url: str = "", **extra) -> dict:
    """The environment of a production-like app process for a test or benchmark."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DEBUG": "false",
        "HTTPS": "false",
        "SECRET_KEY": "load-and-fault-tests-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "WHITENOISE_USE_FINDERS": "true",
        "FEEDBACK_RATE_LIMIT_PER_POINT": NO_LIMIT,
        "FEEDBACK_RATE_LIMIT_PER_CLIENT": NO_LIMIT,
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
        **extra,
    }
    if not redis_url:
        env.pop("REDIS_URL")
    return env


def migrate_and_seed(env: dict, *, points: int = 1) -> list[str]:
    """Migrates the database of `env` and seeds one Always Event with a three-question
    form; returns the tokens of `points` distribution points."""
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bench.load", "--seed-only", "--points", str(points)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _seed(points: int) -> list[str]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "always_events.settings")
    django.setup()
    import secrets

    from tests.evaluation.factories import (
        AlwaysEventFactory,
        MeasureFactory,
        distribution_point,
        feedback_form,
    )

    event = AlwaysEventFactory(organisation__ods_code=f"L{secrets.token_hex(2).upper()}")
    form = feedback_form(event, measure=MeasureFactory(always_event=event))
    return [distribution_point(form, starts_on=dt.date(2020, 1, 1)).token for _ in range(points)]


def _refuse_a_used_port(port: int) -> None:
    """A server already on the port (one left by an earlier run) would be measured instead
    of this one, against a database this run has just recreated."""
    import socket

    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise SystemExit(f"port {port} is in use: stop that server or pass --port")


# Seconds gunicorn keeps an idle connection open for the next request. Its default (2 s)
# is for clients connected directly; in production a proxy in front reuses connections,
# and gunicorn must not close one the proxy is about to reuse (nginx keeps them 60 s).
# This client reuses each patient's connection too, and under load may take longer than
# 2 s between a response and its next request: the server's close then races the
# request, which fails with "server disconnected".
KEEP_ALIVE = 75


def start_gunicorn(env: dict, port: int, *, workers: int = 2, threads: int = 1):
    _refuse_a_used_port(port)
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "always_events.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--timeout",
        "120",
        "--keep-alive",
        str(KEEP_ALIVE),
        "--backlog",
        "2048",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603
    try:
        wait_for_http(f"http://127.0.0.1:{port}/accessibility/", process)
    except BaseException:
        stop(process)
        raise
    return process


def start_worker(env: dict):
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "always_events",
        "worker",
        "--pool=solo",
        "--loglevel=WARNING",
        "--without-heartbeat",
        "--without-gossip",
        "--without-mingle",
        "-n",
        f"load-{os.getpid()}@%h",
    ]
    return subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603


def wait_for_http(url: str, process, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited while starting (code {process.returncode})")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def stop(process) -> None:
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def stored_responses(database_url: str) -> int:
    import psycopg

    with psycopg.connect(database_url.replace("postgres://", "postgresql://", 1)) as conn:
        return conn.execute("SELECT count(*) FROM evaluation_response").fetchone()[0]


# The run ----------------------------------------------------------------------------


async def _patient(number, base_url, paths, deadline, results):
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(base_url=base_url, timeout=120, limits=limits) as client:
        while time.monotonic() < deadline:
            path = paths[number % len(paths)]
            start = time.perf_counter()
            try:
                await patient_submits(client, path, choice=number)
            except (httpx.HTTPError, RuntimeError, ValueError) as error:
                results["errors"].append(f"{type(error).__name__}: {error}")
                await asyncio.sleep(0.5)
            else:
                results["thanks"] += 1
                results["seconds"].append(time.perf_counter() - start)


async def _run(base_url, paths, duration, concurrency) -> dict:
    results = {"thanks": 0, "errors": [], "seconds": []}
    deadline = time.monotonic() + duration
    await asyncio.gather(
        *(_patient(n, base_url, paths, deadline, results) for n in range(concurrency))
    )
    return results


def _recreate_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0].replace("postgres://", "postgresql://", 1) + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _write_report(text: str) -> None:
    old = REPORT.read_text() if REPORT.exists() else "# Benchmarks\n"
    section = f"{SECTION_START}\n{text.strip()}\n{SECTION_END}"
    if SECTION_START in old and SECTION_END in old:
        before, rest = old.split(SECTION_START, 1)
        after = rest.split(SECTION_END, 1)[1]
        new = before + section + after
    else:
        new = old.rstrip() + "\n\n" + section + "\n"
    REPORT.write_text(new)


def _memory_gib() -> int:
    import psutil

    return round(psutil.virtual_memory().total / 2**30)


def _report(args, results, stored, elapsed) -> str:
    thanks = results["thanks"]
    requests = thanks * 3 + len(results["errors"])
    seconds = sorted(results["seconds"]) or [0.0]
    p95 = seconds[min(len(seconds) - 1, int(len(seconds) * 0.95))]
    ok = not results["errors"] and stored == thanks
    lines = [
        f"## Load: {args.concurrency} patients submitting at once for {args.duration:.0f} s",
        "",
        f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {platform.system()} "
        f"{platform.machine()}, {os.cpu_count()} cores, {_memory_gib()} GiB memory (load "
        f"average {os.getloadavg()[0]:.1f} at the end, this run's own processes included), with "
        f"`python -m bench.load --duration "
        f"{args.duration:.0f} --concurrency {args.concurrency}`: gunicorn with "
        f"{args.workers} workers × {args.threads} threads (keep-alive {KEEP_ALIVE} s, as "
        "behind a proxy), one Celery worker, PostgreSQL "
        "and Redis on the same 2-core machine as the client. Each patient loops over the "
        "whole flow (form page, POST with CSRF token and submission key, thank-you page).",
        "",
        "| figure | value |",
        "| --- | --- |",
        f"| result | {'pass' if ok else 'FAIL'} (goal: 0 errors, stored = thank-you pages) |",
        f"| requests | {requests} ({requests / elapsed:.1f} a second) |",
        f"| errors | {len(results['errors'])} |",
        f"| thank-you pages | {thanks} ({thanks / elapsed:.1f} a second) |",
        f"| responses stored | {stored} |",
        f"| whole flow, median / 95th percentile | {statistics.median(seconds):.2f} s / "
        f"{p95:.2f} s |",
    ]
    if results["errors"]:
        lines += ["", "First errors: " + "; ".join(sorted(set(results["errors"]))[:5])]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=600, help="seconds (default 600)")
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--points", type=int, default=20, help="distribution points (wards)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOAD_PORT", 8090)))
    parser.add_argument("--no-report", action="store_true", help="do not write the report")
    parser.add_argument("--seed-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.seed_only:
        print(json.dumps(_seed(args.points)))  # noqa: T201
        return 0
    # Stopped with SIGTERM, still run the `finally` that stops gunicorn and the worker.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    redis_url = os.environ.get("REDIS_URL", "")
    if not redis_url:
        parser.error("set REDIS_URL (the broker, cache and rate-limit store)")
    _recreate_database(LOAD_DATABASE)
    env = app_environment(LOAD_DATABASE, redis_url)
    tokens = migrate_and_seed(env, points=args.points)
    paths = [f"/f/{token}/" for token in tokens]
    server = worker = None
    try:
        server = start_gunicorn(env, args.port, workers=args.workers, threads=args.threads)
        worker = start_worker(env)
        before = stored_responses(LOAD_DATABASE)
        start = time.monotonic()
        results = asyncio.run(
            _run(f"http://127.0.0.1:{args.port}", paths, args.duration, args.concurrency)
        )
        elapsed = time.monotonic() - start
        stored = stored_responses(LOAD_DATABASE) - before
    finally:
        stop(worker)
        stop(server)
    text = _report(args, results, stored, elapsed)
    print(text)  # noqa: T201
    if not args.no_report:
        _write_report(text)
    return 0 if not results["errors"] and stored == results["thanks"] else 1


if __name__ == "__main__":
    sys.exit(main())
