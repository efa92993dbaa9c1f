"""The shared cache (always_events/cache.py): Django's Redis cache with one client per pool
and `incr` in one round trip, as the rate limits use it."""

import pytest
from django.core.cache import cache, caches

from always_events.cache import RedisCache


@pytest.fixture
def key():
    cache.delete("cache-test")
    yield "cache-test"
    cache.delete("cache-test")


def test_the_shared_cache_keeps_one_redis_client_for_every_operation(key):
    assert isinstance(caches["default"], RedisCache)
    client = cache._cache.get_client()
    cache.set(key, 1)
    cache.incr(key)

    assert cache._cache.get_client(write=True) is client
    assert cache.get(key) == 2


def test_incr_adds_to_a_counter_and_keeps_its_expiry(key):
    cache.set(key, 5, timeout=60)

    assert cache.incr(key, 3) == 8
    assert cache.decr(key) == 7
    assert 0 < cache._cache.get_client().ttl(cache.make_key(key)) <= 60


def test_incr_of_a_missing_key_raises_and_makes_no_key(key):
    with pytest.raises(ValueError):
        cache.incr(key)
    assert cache.get(key) is None


@pytest.fixture
def round_trips(monkeypatch):
    """Counts the commands sent to Redis, a pipeline or script counting once."""
    from redis.connection import AbstractConnection

    sent = []
    send = AbstractConnection.send_packed_command

    def counted(self, command, *args, **kwargs):
        sent.append(command)
        return send(self, command, *args, **kwargs)

    monkeypatch.setattr(AbstractConnection, "send_packed_command", counted)
    return sent


@pytest.fixture
def counters():
    keys = ["cache-test-a", "cache-test-b", "cache-test-read"]
    cache.delete_many(keys)
    yield keys
    cache.delete_many(keys)


def test_hit_limits_counts_each_limit_and_reads_a_key_in_one_round_trip(
    counters, round_trips
):
    first, second, read = counters
    cache.set(first, 4, timeout=30)
    cache.set(read, "a value")
    round_trips.clear()

    assert cache.hit_limits(read, [(first, 60, 10), (second, 90, 10)]) == ("a value", [5, 1])
    assert len(round_trips) == 1
    assert cache.get(first) == 5 and cache.get(second) == 1


def test_hit_limits_stops_after_the_first_limit_exceeded(counters):
    first, second, read = counters
    cache.set(first, 2, timeout=30)

    assert cache.hit_limits(read, [(first, 60, 2), (second, 90, 10)]) == (None, [3])
    assert cache.get(second) is None


def test_hit_limits_gives_a_new_counter_its_expiry_and_keeps_an_old_ones(counters):
    first, second, read = counters
    cache.set(first, 4, timeout=30)

    cache.hit_limits(read, [(first, 600, 10), (second, 90, 10)])

    ttl = cache._cache.get_client().ttl
    assert 0 < ttl(cache.make_key(first)) <= 30
    assert 30 < ttl(cache.make_key(second)) <= 90


def test_hit_limits_counts_in_another_cache_too(settings):
    from always_events.cache import hit_limits

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    caches["default"].set("read", 7)

    assert hit_limits("read", [("a", 60, 1), ("b", 60, 1)]) == (7, [1, 1])
    assert hit_limits("read", [("a", 60, 1), ("b", 60, 1)]) == (7, [2])
