"""The shared cache's backend: Django's Redis cache, with one Redis client per connection
pool instead of one per operation."""

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    """Django's client makes a new `redis.Redis` for every cache operation, about 0.15 ms
    of CPU each (measured; a patient's visit makes ten: the form cache's generation on each
    page and the rate-limit counters). A `redis.Redis` may be shared, so keep one per pool."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
