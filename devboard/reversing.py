"""Addresses of many rows of one kind, reversed once.

A page linking a row's page (or posting to a row's action) for each of hundreds of rows called
reverse() for each, and that cost more than any query on the page: the addresses differ only in
the id. Kept per script prefix and URLconf, so a site served under a path prefix still gets its own.
"""

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

_MARK = 987654321  # stands for the id while reversing, then becomes {}


def address(name: str, *args) -> str:
    """The address of the view `name` (with `args` before the id) with {} where the id goes."""
    return _address(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF, name, args)


@functools.lru_cache(maxsize=64)
def _address(prefix: str, urlconf: str, name: str, args: tuple) -> str:
    return reverse(name, args=[*args, _MARK]).replace(str(_MARK), "{}")
