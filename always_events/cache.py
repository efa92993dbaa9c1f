"""The shared cache's backend: Django's Redis cache, with one Redis client per connection
pool instead of one per operation, `incr` in one round trip, and `hit_limits` to count a
request against several rate limits and read one more key in one round trip (the public
form's POST)."""

from django.core.cache import caches
from django.core.cache.backends import redis as django_redis

# INCRBY only if the key exists (as Django's client does with EXISTS then INCRBY, in two
# round trips and not atomically: a key expiring between them was created without expiry).
INCR_IF_EXISTS = (
    "if redis.call('EXISTS', KEYS[1]) == 1 then "
    "return redis.call('INCRBY', KEYS[1], ARGV[1]) end return false"
)

# Reads KEYS[1]; then counts a hit on each rate-limit counter KEYS[2], KEYS[3]… in turn,
# ARGV holding for each the seconds it lives from its first hit and the most it may
# reach, and stops after the first one over its limit. Atomic, so a counter never lives
# without an expiry. Returns {the value of KEYS[1], the counts made}.
HIT_LIMITS = """
local result = {redis.call('GET', KEYS[1])}
for i = 2, #KEYS do
  local count = redis.call('INCR', KEYS[i])
  if count == 1 then redis.call('EXPIRE', KEYS[i], ARGV[2 * i - 3]) end
  result[i] = count
  if count > tonumber(ARGV[2 * i - 2]) then break end
end
return result
"""


class RedisCacheClient(django_redis.RedisCacheClient):
    """Django's client makes a new `redis.Redis` for every cache operation, about 0.15 ms
    of CPU each (measured; a patient's visit makes about ten: the form cache's generation
    on each page and the rate-limit counters). A `redis.Redis` may be shared, so keep one
    per pool."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def incr(self, key, delta):
        value = self.get_client(key, write=True).eval(INCR_IF_EXISTS, 1, key, delta)
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return value

    def hit_limits(self, read: str, limits: list[tuple[str, int, int]]):
        arguments = [value for _, seconds, limit in limits for value in (seconds, limit)]
        keys = [read, *(key for key, _, _ in limits)]
        value, *counts = self.get_client(write=True).eval(
            HIT_LIMITS, len(keys), *keys, *arguments
        )
        return (None if value is None else self._serializer.loads(value)), counts


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    def hit_limits(self, read: str, limits: list[tuple[str, int, int]]):
        """Counts a hit on each rate limit, (key, seconds it lives from its first hit, the
        most it may reach), in turn, stopping after the first one over its limit, and reads
        the key `read`: in one round trip. Returns the value read and the counts made."""
        return self._cache.hit_limits(
            self.make_and_validate_key(read),
            [(self.make_and_validate_key(key), seconds, limit) for key, seconds, limit in limits],
        )


def hit_limits(read: str, limits: list[tuple[str, int, int]], using: str = "default"):
    """`RedisCache.hit_limits` on the cache `using`, or one step at a time on another (the
    local memory cache of `make run` without Redis)."""
    backend = caches[using]
    if isinstance(backend, RedisCache):
        return backend.hit_limits(read, limits)
    counts = []
    for key, seconds, limit in limits:
        backend.add(key, 0, timeout=seconds)
        counts.append(backend.incr(key))
        if counts[-1] > limit:
            break
    return backend.get(read), counts
