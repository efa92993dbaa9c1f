import pytest
from django.core.cache import cache


@pytest.fixture
def clear_cache():
    """Rate-limit counters live in the cache: start each test from zero."""
    cache.clear()
    yield
    cache.clear()
