"""Benchmarks of the service as people meet it, each figure a ratio of two measurements
taken in the same run (see docs/benchmarks.md):

1. dashboards: p50 and p95 of each page in PAGES, and its SQL query count, with the
   large data against 10 thousand responses (same organisations and Always Events);
3. freshness: a patient's POST until the outcome summary shows it, with a real Celery
   worker and Redis (goal: p95 under 2 s);
4. submission throughput: the whole patient flow through gunicorn (2 workers) against a
   bare one-row-insert view in the same deployment, same asynchronous client;
5. page weight of the public form: compressed bytes and requests, in Chromium;
6. worker memory: peak RSS of the Celery worker during the full recompute, large data
   against 10 thousand responses.

Figure 2 (recompute against the floor) is `bench.recompute`, which `make bench` runs
first; this module reuses the database it leaves when its size matches.

    python -m bench.figures --size small      # make bench
    python -m bench.figures --size national   # make bench-national
"""

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser

from . import common

SIZES = {
    # organisations, Always Events, responses of the large data, seconds per throughput run
    "small": (25, 200, 200_000, 10),
    "national": (250, 5_000, 10_000_000, 20),
}
BASELINE_RESPONSES = 10_000

# The pages of figure 1: (name, URL name, arguments from the fixture). One line a page.
PAGES = [
    ("executive dashboard", "dashboards:executive", lambda f: []),
    ("Always Event outcome page", "dashboards:always_event_outcomes", lambda f: [f["event"]]),
    ("oversight report", "reports:report_detail", lambda f: [f["report"]]),
]
DASHBOARD_REQUESTS = int(os.environ.get("BENCH_DASHBOARD_REQUESTS", "40"))
# The two sizes are timed in turn this many times and each keeps its best p50 and p95:
# a burst of other work on a shared machine then slows one round, not the figure.
DASHBOARD_ROUNDS = 2
FRESHNESS_TRIALS = 12
CLIENTS = 8  # concurrent patients of the throughput figure
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/4")
PORT = int(os.environ.get("BENCH_PORT", "8101"))
BENCH_EMAIL = "bench.executive@example.nhs.uk"
BARE_TABLE = "bench_bare_row"


# Child processes: one database each ---------------------------------------------------


def _child_env(database: str) -> dict:
    env = dict(os.environ)
    env.update(
        BENCH_DATABASE_URL=database,
        SECRET_KEY="benchmark-only-" + "x" * 40,
        HTTPS="false",
        TWO_FACTOR_REQUIRED="false",
        DEBUG="false",
        LOG_LEVEL="WARNING",
    )
    return env


def _child(command: str, database: str, *args: str) -> dict:
    """Runs `command` of this module against `database` in a fresh process; its JSON."""
    result = subprocess.run(
        [sys.executable, "-m", "bench.figures", "--child", command, *args],
        env=_child_env(database),
        cwd=common.ROOT,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def child_prepare(organisations: int, events: int, responses: int) -> dict:
    """Makes the database hold this size of data (reusing it when it already does) and
    the benchmark's executive, distribution point and bare table; says what it did."""
    import psycopg

    name = common.BENCH_DATABASE.rsplit("/", 1)[1]
    admin = common.BENCH_DATABASE.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
    reuse = False
    if exists:
        with psycopg.connect(common.BENCH_DATABASE) as connection:
            try:
                counts = connection.execute(
                    "SELECT (SELECT count(*) FROM programmes_organisation WHERE ods_code "
                    "LIKE 'B%%'), (SELECT count(*) FROM programmes_alwaysevent), "
                    "(SELECT count(*) FROM evaluation_response WHERE submission_key "
                    "LIKE 'bench-%%')"
                ).fetchone()
                reuse = counts == (organisations, events, responses)
            except psycopg.Error:
                reuse = False
    if not reuse:
        common.recreate_database()
    common.setup_django()
    from django.core.management import call_command
    from django.db import connection

    from . import generate

    call_command("migrate", verbosity=0)
    load = {}
    if not reuse:
        start = time.perf_counter()
        generate.make_structure(organisations=organisations, events=events)
        load = generate.load_responses(responses=responses)
        load["total"] = time.perf_counter() - start
    fixture = _fixture()
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {BARE_TABLE} (id bigserial PRIMARY KEY)")
    return {**fixture, "reused": reuse, "load": load}


def _fixture(*, report: bool = False) -> dict:
    """The executive, an Always Event of their organisation and its public form's token;
    with `report`, that organisation's oversight report too (see `_oversight_report`)."""
    import datetime as dt

    from accounts.models import User
    from evaluation.models import DistributionPoint, FeedbackForm
    from programmes.models import AlwaysEvent, Membership

    event = AlwaysEvent.objects.order_by("pk").first()
    user = User.objects.filter(email=BENCH_EMAIL).first() or User.objects.create_user(
        email=BENCH_EMAIL, password=None, full_name="Benchmark Executive"
    )
    Membership.objects.get_or_create(
        user=user,
        organisation=event.organisation,
        defaults={"role": Membership.Role.EXECUTIVE},
    )
    point = DistributionPoint.objects.filter(always_event=event, retired_at=None).first()
    if point is None:
        point = DistributionPoint.objects.create(
            always_event=event,
            form=FeedbackForm.objects.filter(always_event=event).first(),
            location="Benchmark ward",
            channel=DistributionPoint.Channel.LINK,
            starts_on=dt.date(2024, 1, 1),
        )
    fixture = {"event": event.pk, "token": point.token, "email": BENCH_EMAIL}
    if report:
        fixture["report"] = _oversight_report(event.organisation, user)
    return fixture


def _oversight_report(organisation, user) -> int:
    """Builds (or rebuilds, as a draft) the organisation's oversight report for the last
    whole month of the generated data with the product's own service, from the summaries
    in the database now, on the first working day after it as the monthly task would: the
    same month at both sizes, whatever day the benchmark runs."""
    import datetime as dt

    from evaluation import reports

    from .generate import DAYS, FIRST_DAY

    month = reports.previous_month(FIRST_DAY + dt.timedelta(days=DAYS))
    today = reports.first_working_day(reports.month_end(month) + dt.timedelta(days=1))
    built = reports.oversight_report_build(
        organisation=organisation, month=month, user=user, today=today
    )
    return built.pk


def child_dashboards() -> dict:
    """p50, p95 (ms) and SQL query count of each page in PAGES, signed in as executive."""
    common.setup_django()
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from accounts.models import User

    fixture = _fixture(report=True)  # after the worker's recompute: summaries are in
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(User.objects.get(email=BENCH_EMAIL))
    result = {}
    for name, url_name, arguments in PAGES:
        url = reverse(url_name, args=arguments(fixture))
        for _ in range(3):  # warm the caches and the connection
            assert client.get(url).status_code == 200, url
        queries = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            client.get(url)
        times = []
        for _ in range(DASHBOARD_REQUESTS):
            start = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - start)
        result[name] = {
            "p50": statistics.median(times) * 1000,
            "p95": statistics.quantiles(times, n=20)[18] * 1000,
            "queries": len(queries),
        }
    return result


CHILDREN = {
    "prepare": lambda a: child_prepare(*map(int, a)),
    "dashboards": lambda a: child_dashboards(),
}


# Servers ----------------------------------------------------------------------------


def _server_env(database: str) -> dict:
    env = _child_env(database)
    env.update(
        DATABASE_URL=database,
        REDIS_URL=REDIS_URL,
        FEEDBACK_RATE_LIMIT_PER_POINT="100000000/h",
        FEEDBACK_RATE_LIMIT_PER_CLIENT="100000000/h",
        LOG_LEVEL="WARNING",
    )
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


class Worker:
    """A Celery worker (prefork, one child, as one worker on one machine) on `database`."""

    def __init__(self, database: str):
        self.process = subprocess.Popen(
            [
                str(common.ROOT / ".venv/bin/celery"),
                "--quiet",
                "-A",
                "always_events",
                "worker",
                "-l",
                "WARNING",
                "-c",
                "1",
                "--pool",
                "prefork",
                "-n",
                f"bench{os.getpid()}@%h",
            ],
            env=_server_env(database),
            cwd=common.ROOT,
        )
        self.app = _celery()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.app.control.ping(timeout=0.5):
                return
        raise RuntimeError("The Celery worker did not start")

    def peak_rss_during(self, task: str, timeout: float = 7200) -> tuple[float, float]:
        """Runs `task`; the largest RSS (MB) any worker process reached, and seconds."""
        import psutil

        peak, done = 0, threading.Event()

        def watch():
            nonlocal peak
            parent = psutil.Process(self.process.pid)
            while not done.is_set():
                for process in [parent, *parent.children(recursive=True)]:
                    with contextlib.suppress(psutil.Error):
                        peak = max(peak, process.memory_info().rss)
                time.sleep(0.02)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        start = time.perf_counter()
        self.app.send_task(task).get(timeout=timeout)
        seconds = time.perf_counter() - start
        done.set()
        watcher.join()
        return peak / 1024 / 1024, seconds

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)


def _celery():
    from celery import Celery

    app = Celery("bench", broker=REDIS_URL, backend=REDIS_URL)
    app.conf.update(task_serializer="json", result_serializer="json", accept_content=["json"])
    return app


class Gunicorn:
    """The product (plus the bare view of bench.urls) behind gunicorn with 2 workers."""

    def __init__(self, database: str):
        env = _server_env(database)
        env["DJANGO_SETTINGS_MODULE"] = "bench.settings"
        self.process = subprocess.Popen(
            [
                str(common.ROOT / ".venv/bin/gunicorn"),
                "always_events.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{PORT}",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=common.ROOT,
        )
        self.base = f"http://127.0.0.1:{PORT}"
        import httpx

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx.get(self.base + "/health/", timeout=2)
                return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)


# The patient's side -----------------------------------------------------------------


class _FormParser(HTMLParser):
    """The hidden fields and the first option of each question of the public form."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag != "input" or not name:
            return
        if attrs.get("type") == "hidden" or (
            attrs.get("type") == "radio" and name not in self.fields
        ):
            self.fields[name] = attrs.get("value") or ""


async def _submit(client, url: str) -> bool:
    """The whole patient flow: GET the form, POST the first option of every question with
    its CSRF token and submission key, read the thank-you page. True if thanked."""
    page = await client.get(url)
    parser = _FormParser()
    parser.feed(page.text)
    thanks = await client.post(url, data=parser.fields, headers={"Referer": url})
    return thanks.status_code == 200 and "Thank you" in thanks.text


async def _throughput(base: str, path: str, seconds: float, flow: bool) -> tuple[int, int]:
    """(successes, errors) of CLIENTS patients each going round for `seconds`."""
    import httpx

    url = base + path
    deadline = time.perf_counter() + seconds
    counts = [0, 0]

    async def patient():
        async with httpx.AsyncClient(follow_redirects=True, timeout=30) as client:
            while time.perf_counter() < deadline:
                try:
                    if flow:
                        ok = await _submit(client, url)
                    else:
                        ok = (await client.post(url)).status_code == 200
                except httpx.HTTPError:
                    ok = False
                counts[0 if ok else 1] += 1

    await asyncio.gather(*(patient() for _ in range(CLIENTS)))
    return counts[0], counts[1]


def _count(database: str, sql: str, params=()) -> int:
    import psycopg

    with psycopg.connect(database) as connection:
        return connection.execute(sql, params).fetchone()[0]


def throughput(base: str, token: str, database: str, seconds: float) -> dict:
    form_path = f"/f/{token}/"
    asyncio.run(_throughput(base, form_path, 2, flow=True))  # warm both workers
    asyncio.run(_throughput(base, "/bench/insert-one/", 2, flow=False))
    stored_sql = "SELECT count(*) FROM evaluation_response WHERE submission_key NOT LIKE 'bench-%%'"
    before = _count(database, stored_sql)
    start = time.perf_counter()
    thanked, flow_errors = asyncio.run(_throughput(base, form_path, seconds, flow=True))
    flow_rate = thanked / (time.perf_counter() - start)
    stored = _count(database, stored_sql) - before
    start = time.perf_counter()
    bare, bare_errors = asyncio.run(_throughput(base, "/bench/insert-one/", seconds, False))
    bare_rate = bare / (time.perf_counter() - start)
    return {
        "flow_rate": flow_rate,
        "flow_errors": flow_errors,
        "thanked": thanked,
        "stored": stored,
        "bare_rate": bare_rate,
        "bare_errors": bare_errors,
    }


def freshness(base: str, token: str, event: int, database: str) -> dict:
    """Seconds from sending a patient's answers until the week's summary counts them."""
    import httpx
    import psycopg

    url = f"{base}/f/{token}/"
    summary_sql = (
        "SELECT coalesce(sum(responses + excluded), 0) FROM evaluation_outcomesummary "
        "WHERE always_event_id = %s AND period = 'week' "
        "AND period_start = date_trunc('week', current_date)::date"
    )
    times, timeouts = [], 0
    with (
        httpx.Client(follow_redirects=True, timeout=30) as client,
        psycopg.connect(database, autocommit=True) as connection,
    ):
        for _ in range(FRESHNESS_TRIALS):
            before = connection.execute(summary_sql, [event]).fetchone()[0]
            page = client.get(url)
            parser = _FormParser()
            parser.feed(page.text)
            start = time.perf_counter()
            client.post(url, data=parser.fields, headers={"Referer": url})
            while connection.execute(summary_sql, [event]).fetchone()[0] <= before:
                if time.perf_counter() - start > 30:
                    timeouts += 1
                    break
                time.sleep(0.01)
            else:
                times.append(time.perf_counter() - start)
    return {
        "p50": statistics.median(times),
        "p95": statistics.quantiles(times, n=20)[18],
        "timeouts": timeouts,
    }


def page_weight(base: str, token: str) -> dict:
    """Bytes on the wire (compressed bodies and headers) and requests of the public form,
    loaded in Chromium as a patient's phone would, from an empty cache."""
    from playwright.sync_api import sync_playwright

    sizes, urls = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium",
            headless=True,
            args=["--no-sandbox", "--disable-gpu"],
        )
        page = browser.new_page()
        responses = []
        page.on("response", lambda response: responses.append(response))
        page.goto(f"{base}/f/{token}/", wait_until="networkidle")
        for response in responses:
            request_sizes = response.request.sizes()
            sizes.append(request_sizes["responseBodySize"] + request_sizes["responseHeadersSize"])
            urls.append(f"{response.url} ({response.headers.get('content-encoding', 'none')})")
        browser.close()
    return {"bytes": sum(sizes), "requests": len(sizes), "urls": urls}


# The run ----------------------------------------------------------------------------


def _databases() -> tuple[str, str]:
    large = common.BENCH_DATABASE
    return large, large + "_10k"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", choices=SIZES, default="small")
    parser.add_argument(
        "--report-only", action="store_true", help="write the table of the last run again"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("rest", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(CHILDREN[args.child](args.rest)))
        return

    organisations, events, responses, seconds = SIZES[args.size]
    saved = common.ROOT / "bench" / "results" / f"figures-{args.size}.json"
    if args.report_only:
        _report(args.size, json.loads(saved.read_text()))
        return
    large, baseline = _databases()
    sizes = {BASELINE_RESPONSES: baseline, responses: large}
    print(
        time.strftime("%X"),
        f"Preparing {BASELINE_RESPONSES:,} and {responses:,} responses …",
        flush=True,
    )
    prepared = {
        n: _child("prepare", db, str(organisations), str(events), str(n)) for n, db in sizes.items()
    }
    fixture = prepared[responses]
    # Served pages use the hashed, compressed static files, as in production.
    subprocess.run(
        [
            str(common.ROOT / ".venv/bin/python"),
            "manage.py",
            "collectstatic",
            "--no-input",
            "-v",
            "0",
        ],
        env=_server_env(large),
        cwd=common.ROOT,
        check=True,
    )
    _flush_redis()
    print(time.strftime("%X"), "Worker memory during the full recompute …", flush=True)
    import psycopg

    memory = {}
    for n, db in sizes.items():
        # from nothing at both sizes: rows left current by an earlier run would not be
        # written again (ADR 016), and the two sizes would not do the same work
        with psycopg.connect(db, autocommit=True) as connection:
            connection.execute("DELETE FROM evaluation_outcomesummary")
        worker = Worker(db)
        try:
            memory[n] = worker.peak_rss_during("evaluation.tasks.recompute_all_outcome_summaries")
        finally:
            if n != responses:
                worker.stop()
    try:
        print(time.strftime("%X"), "Dashboards …", flush=True)
        rounds = [
            {n: _child("dashboards", db) for n, db in sizes.items()}
            for _ in range(DASHBOARD_ROUNDS)
        ]
        pages = {n: _best([r[n] for r in rounds]) for n in sizes}
        server = Gunicorn(large)
        try:
            print(time.strftime("%X"), "Page weight, freshness, throughput …", flush=True)
            weight = page_weight(server.base, fixture["token"])
            fresh = freshness(server.base, fixture["token"], fixture["event"], large)
            flow = throughput(server.base, fixture["token"], large, seconds)
        finally:
            server.stop()
    finally:
        worker.stop()
    results = {
        "prepared": prepared,
        "memory": memory,
        "pages": pages,
        "weight": weight,
        "fresh": fresh,
        "flow": flow,
    }
    saved.parent.mkdir(exist_ok=True)
    saved.write_text(json.dumps(results, indent=1))
    _report(args.size, json.loads(saved.read_text()))


def _best(rounds: list[dict]) -> dict:
    """Each page's lowest p50 and lowest p95 over the rounds (its query count is the same
    in every round)."""
    return {
        name: {
            "p50": min(r[name]["p50"] for r in rounds),
            "p95": min(r[name]["p95"] for r in rounds),
            "queries": rounds[0][name]["queries"],
        }
        for name in rounds[0]
    }


def _report(size: str, results: dict) -> None:
    responses = SIZES[size][2]
    for key in ("prepared", "memory", "pages"):  # JSON keys are strings
        results[key] = {int(k): v for k, v in results[key].items()}
    table = _table(size, responses, **results)
    print(table)
    print("\nPublic form requests:\n" + "\n".join(results["weight"]["urls"]))
    common.setup_django()  # for the PostgreSQL version in the report
    common.write_section(
        f"Service figures ({size})", f"python -m bench.figures --size {size}", table
    )


def _flush_redis() -> None:
    """Empties the benchmark's own Redis database (queues, debounce marks, rate limits)."""
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def _table(size, responses, prepared, memory, pages, weight, fresh, flow) -> str:
    small, large = BASELINE_RESPONSES, responses
    rows = [
        "| figure | 10 thousand | " + f"{large:,} | ratio | goal |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, *_ in PAGES:
        a, b = pages[small][name], pages[large][name]
        rows.append(
            f"| {name}: p50 / p95 | {a['p50']:.0f} / {a['p95']:.0f} ms "
            f"| {b['p50']:.0f} / {b['p95']:.0f} ms "
            f"| **{b['p50'] / a['p50']:.2f}** / **{b['p95'] / a['p95']:.2f}** "
            f"| {_mark(max(b['p50'] / a['p50'], b['p95'] / a['p95']) <= 1.2)} within 1.2 |"
        )
        rows.append(
            f"| {name}: SQL queries | {a['queries']} | {b['queries']} "
            f"| {b['queries'] - a['queries']:+d} | {_mark(a['queries'] == b['queries'])} same |"
        )
    (mem_a, sec_a), (mem_b, sec_b) = memory[small], memory[large]
    rows.append(
        f"| worker peak RSS during the full recompute (and its time) "
        f"| {mem_a:.0f} MB ({sec_a:.1f} s) | {mem_b:.0f} MB ({sec_b:.1f} s) "
        f"| **{mem_b / mem_a:.2f}** | {_mark(mem_b / mem_a <= 1.2)} flat (within 1.2) |"
    )
    load = prepared[large]["load"]
    load_note = (
        "reused the database `bench.recompute` had just loaded"
        if prepared[large]["reused"]
        else f"loaded in {load['total']:.1f} s ("
        + ", ".join(f"{k} {v:.1f} s" for k, v in load.items() if k != "total")
        + ")"
    )
    small_load = prepared[small]["load"]
    ratio = flow["flow_rate"] / flow["bare_rate"]
    exact = flow["stored"] == flow["thanked"]
    body = (
        "\n".join(rows)
        + f"""

| figure | value | goal |
| --- | --- | --- |
| freshness: POST to summary, p50 / p95 ({FRESHNESS_TRIALS} patients, \
{fresh["timeouts"]} timed out) | {fresh["p50"]:.2f} / **{fresh["p95"]:.2f} s** \
| {_mark(fresh["p95"] < 2 and not fresh["timeouts"])} p95 under 2 s |
| submissions: whole patient flow through gunicorn (2 workers) | {flow["flow_rate"]:.0f}/s, \
{flow["flow_errors"]} errors | |
| submissions: bare one-row insert view, same deployment and client | {flow["bare_rate"]:.0f}/s, \
{flow["bare_errors"]} errors | |
| **submissions: flow / bare** | **{ratio:.2f}** \
| {_mark(ratio >= 0.25 and not flow["flow_errors"])} at least 0.25, no errors |
| thank-you pages read / responses stored | {flow["thanked"]:,} / {flow["stored"]:,} \
| {_mark(exact)} equal |
| public form: bytes on the wire (compressed) | **{weight["bytes"] / 1024:.1f} KB** \
| {_mark(weight["bytes"] < 80 * 1024)} under 80 KB |
| public form: requests | **{weight["requests"]}** | {_mark(weight["requests"] < 5)} under 5 |

Same organisations and Always Events at both sizes \
({size}); dashboards signed in as an executive of one organisation, {DASHBOARD_REQUESTS} \
requests each after 3 to warm up, in process (Django test client, no network), the two sizes \
in turn {DASHBOARD_ROUNDS} times, each keeping its best p50 and p95. \
{CLIENTS} concurrent `httpx` async clients for {SIZES[size][3]} s each. The \
{large:,}-response data {load_note}; the 10-thousand data loaded in \
{small_load.get("total", 0):.1f} s.
"""
    )
    return body


def _mark(ok: bool) -> str:
    return "met:" if ok else "**missed**:"


if __name__ == "__main__":
    sys.path.insert(0, str(common.ROOT))
    main()
