"""Servers of a test's own, so a test can stop them: PostgreSQL, Redis and gunicorn.

The shared PostgreSQL and Redis of the test run are never stopped. When the machine
lacks a program a test needs, the test fails and says which; it is never skipped.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import redis

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
POSTGRES_PORTS = range(5490, 5500)
REDIS_PORTS = range(6390, 6400)
HTTP_PORTS = range(8201, 8221)


def free_port(ports: range) -> int:
    for port in ports:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise AssertionError(f"no free port in {ports.start}–{ports.stop - 1}")


def _as_postgres_user() -> list[str]:
    """initdb and postgres refuse to run as root: run them as the postgres user."""
    if os.geteuid() != 0:
        return []
    runuser = shutil.which("runuser")
    assert runuser, "running as root needs runuser to start PostgreSQL as the postgres user"
    return [runuser, "-u", "postgres", "--"]


class Postgres:
    """A throwaway PostgreSQL cluster in a temporary directory on its own port."""

    def __init__(self):
        for program in ("initdb", "pg_ctl"):
            assert (PG_BIN / program).exists(), (
                f"{PG_BIN / program} is missing: install PostgreSQL 15 server binaries or set "
                "PG_BIN to their directory"
            )
        self.port = free_port(POSTGRES_PORTS)
        self.dir = Path(tempfile.mkdtemp(prefix="ae-fault-pg-"))
        self.data = self.dir / "data"
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/always_events"
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--no-sync",
        )
        self.start()
        self._psql_create()

    def _run(self, program, *args):
        subprocess.run(  # noqa: S603
            [*_as_postgres_user(), str(PG_BIN / program), *args],
            check=True,
            capture_output=True,
            text=True,
        )

    def _psql_create(self):
        import psycopg

        with psycopg.connect(
            self.url.rsplit("/", 1)[0].replace("postgres://", "postgresql://") + "/postgres",
            autocommit=True,
        ) as conn:
            conn.execute("CREATE DATABASE always_events")

    def start(self):
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.dir / "log"),
            "-w",
            "start",
        )

    def stop(self):
        """Fast shutdown: open sessions are cut off, as in a restart or failover."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def connect(self):
        import psycopg

        return psycopg.connect(self.url.replace("postgres://", "postgresql://", 1))

    def destroy(self):
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class Redis:
    """A redis-server of the test's own, without persistence."""

    def __init__(self):
        self.binary = shutil.which("redis-server")
        assert self.binary, "redis-server is missing: install Redis to run the fault tests"
        self.port = free_port(REDIS_PORTS)
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None
        self.start()

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.1)
        raise AssertionError(f"redis-server on port {self.port} did not start")

    def shutdown(self):
        """SHUTDOWN NOSAVE: everything queued in Redis is lost, as in a crash."""
        with contextlib.suppress(redis.ConnectionError):  # it closes the connection as it goes
            redis.Redis(port=self.port).shutdown(nosave=True)
        self.process.wait(timeout=10)

    def destroy(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
