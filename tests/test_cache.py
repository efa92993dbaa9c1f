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
