"""Liveness and readiness for load balancers, compose and orchestrators.

Answered by the first middleware, before sessions, sign-in, the host check and the HTTPS
redirect: a probe sent to the container's own address must not need a session, a valid
ALLOWED_HOSTS entry or TLS to learn whether the process is alive.
"""

import logging
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse

logger = logging.getLogger(__name__)

HEALTH_PATHS = ("/healthz", "/readyz")


def healthz() -> HttpResponse:
    """Liveness: the process answers. Touches nothing else, so a database outage does not
    get every web process restarted."""
    return HttpResponse("ok\n", content_type="text/plain")


def readyz() -> JsonResponse:
    """Readiness: a cheap query on the database and a read from the shared cache."""
    failed = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        logger.warning("readiness: the database did not answer", exc_info=True)
        failed.append("database")
    try:
        cache.get("devboard:readyz")
    except Exception:
        logger.warning("readiness: the cache did not answer", exc_info=True)
        failed.append("cache")
    if failed:
        return JsonResponse({"status": "unavailable", "failed": failed}, status=503)
    return JsonResponse({"status": "ok"})


def health_check_middleware(get_response: Callable[[HttpRequest], HttpResponse]):
    def middleware(request: HttpRequest) -> HttpResponse:
        if request.path_info == "/healthz":
            return healthz()
        if request.path_info == "/readyz":
            return readyz()
        return get_response(request)

    return middleware
