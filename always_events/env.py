"""Small, strict readers of environment variables for settings.py.

Every reader raises ImproperlyConfigured naming the variable when its value is
malformed, so a bad deployment stops at start-up rather than misbehaving later.
"""

import os

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (1/0, yes/no), not {raw!r}")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    return value


def env_list(name: str, default: str = "") -> list[str]:
    raw = os.environ.get(name, default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_url(name: str, default: str, schemes: tuple[str, ...]) -> str:
    raw = os.environ.get(name, default).strip()
    scheme = raw.split("://", 1)[0] if "://" in raw else ""
    if scheme not in schemes:
        allowed = ", ".join(f"{s}://" for s in schemes)
        raise ImproperlyConfigured(f"{name} must start with one of {allowed}; got {raw!r}")
    return raw


RATE_PERIOD_SECONDS = {"s": 1, "m": 60, "h": 60 * 60, "d": 24 * 60 * 60}


def rate_parts(rate: str) -> tuple[int, int]:
    """A rate checked by `env_rate` ("120/h") as (count, period in seconds)."""
    count, _, unit = rate.partition("/")
    return int(count), RATE_PERIOD_SECONDS[unit]


def env_rate(name: str, default: str) -> str:
    """A rate such as "120/h": a whole number per second, minute, hour or day."""
    raw = os.environ.get(name, default).strip()
    count, _, unit = raw.partition("/")
    if not (count.isdigit() and int(count) > 0 and unit in RATE_PERIOD_SECONDS):
        raise ImproperlyConfigured(
            f"{name} must be a rate like 120/h (per s, m, h or d), not {raw!r}"
        )
    return raw


def env_dates(name: str, default: str = "") -> list[str]:
    """A comma-separated list of ISO dates (2026-12-25), each checked."""
    import datetime

    days = env_list(name, default)
    for day in days:
        try:
            datetime.date.fromisoformat(day)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must be dates like 2026-12-25 separated by commas, not {day!r}"
            ) from None
    return days
