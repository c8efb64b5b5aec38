"""The shared cache: Redis when REDIS_URL is set, otherwise a table in the database."""

from django.conf import settings
from django.core.management import call_command


def create_cache_table(using: str = "default", **kwargs) -> None:
    """Run after every `migrate` (release step, `make run`, test databases), so the
    database cache table always exists where the cache is the database. Idempotent."""
    if any(c["BACKEND"].endswith("DatabaseCache") for c in settings.CACHES.values()):
        call_command("createcachetable", database=using, verbosity=0)
