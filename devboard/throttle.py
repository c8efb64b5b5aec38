"""Counting in the shared cache (CACHES: Redis or the database table), so every process and host
sees the same counts: `if not throttle.allow(f"invite:{program.pk}:{digest}", 5, 3600): refuse`."""

from django.core.cache import cache


def allow(key: str, limit: int, window_seconds: int) -> bool:
    """Count one more attempt under `key`; True while at most `limit` happened in the window.

    The window starts at the first attempt and is not extended by later ones.
    """
    key = f"throttle:{key}"
    cache.add(key, 0, timeout=window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window_seconds)
        count = 1
    return count <= limit


def reset(key: str) -> None:
    cache.delete(f"throttle:{key}")
