"""The shared cache (always_events/cache.py): Django's Redis cache with one client per pool."""

from django.core.cache import cache, caches

from always_events.cache import RedisCache


def test_the_shared_cache_keeps_one_redis_client_for_every_operation():
    assert isinstance(caches["default"], RedisCache)
    client = cache._cache.get_client()
    cache.set("cache-test", 1)
    cache.incr("cache-test")

    assert cache._cache.get_client(write=True) is client
    assert cache.get("cache-test") == 2
    cache.delete("cache-test")


def test_incr_of_a_missing_key_still_raises_as_rate_limits_expect():
    import pytest

    cache.delete("cache-test-missing")
    with pytest.raises(ValueError):
        cache.incr("cache-test-missing")
