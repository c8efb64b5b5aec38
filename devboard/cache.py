"""The shared cache: Redis when REDIS_URL is set, otherwise a table in the database."""

from django.conf import settings
from django.core.cache.backends import redis as redis_backend
from django.core.management import call_command


def create_cache_table(using: str = "default", **kwargs) -> None:
    """Run after every `migrate` (release step, `make run`, test databases), so the
    database cache table always exists where the cache is the database. Idempotent."""
    if any(c["BACKEND"].endswith("DatabaseCache") for c in settings.CACHES.values()):
        call_command("createcachetable", database=using, verbosity=0)


class _ReusedRedisClient(redis_backend.RedisCacheClient):
    """Django makes a new redis.Redis for every cache call, and each one builds its table of some
    500 response callbacks: a third of what a kept page costs. One client per pool does the same work."""

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        if id(pool) not in clients:
            clients[id(pool)] = self._client(connection_pool=pool)
        return clients[id(pool)]


class RedisCache(redis_backend.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusedRedisClient
