"""The checks behind /health/: database, Redis and a Celery worker."""

import redis
from celery.exceptions import TimeoutError as CeleryTimeout
from django.conf import settings
from django.db import DatabaseError, connection
from kombu.exceptions import OperationalError

from .celery import ping


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return "down"
    return "ok"


def check_redis() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1).ping()
    except redis.RedisError:
        return "down"
    return "ok"


def check_worker(redis_state: str) -> str:
    """Sends a ping task and waits for the answer. Without Redis tasks run in process."""
    if not settings.REDIS_URL:
        return "in process"
    if redis_state != "ok":
        return "unknown"
    try:
        result = ping.apply_async(expires=settings.HEALTH_WORKER_TIMEOUT)
    except (OperationalError, redis.RedisError, OSError):
        return "down"
    try:
        return "ok" if result.get(timeout=settings.HEALTH_WORKER_TIMEOUT) == "pong" else "down"
    except CeleryTimeout:
        return "down"
    finally:
        result.forget()


def check_all() -> dict:
    database = check_database()
    redis_state = check_redis()
    worker = check_worker(redis_state)
    healthy = database == "ok" and redis_state in ("ok", "not configured") and worker in (
        "ok",
        "in process",
    )
    return {
        "status": "ok" if healthy else "error",
        "database": database,
        "redis": redis_state,
        "worker": worker,
    }
