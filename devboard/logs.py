"""Logs: one line per event, JSON in production (LOG_FORMAT=json) or readable text.

Every line carries a UTC timestamp, the level and the logger; lines written while a request
is served also carry its request id and, once known, the user's id (never a name or an
email). A traceback is one field of one line, and a burst of the same warning or error is
cut to a few lines plus a count of what was left out.

This module imports nothing from Django at load time: gunicorn.conf.py uses it before
Django is set up, so gunicorn's own lines share the format.
"""

import logging
import re
import threading
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from gunicorn.glogging import Logger as _GunicornLogger
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

current_request: ContextVar = ContextVar("current_request", default=None)

REQUEST_ID_HEADER = "X-Request-ID"
# Key in the WSGI environ that carries the signed-in user's id to gunicorn's access line.
USER_ID_ENVIRON_KEY = "devboard.user_id"
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
QUIET_PATHS = ("/healthz", "/readyz")

BURST_LIMIT = 5
BURST_WINDOW_SECONDS = 60.0


def _user_id(request) -> int | None:
    """The signed-in user's id, if this request has already looked the user up. Looking it up
    here would run queries inside a log call, perhaps while the database is the problem."""
    user = getattr(request, "user", None)
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is None or not getattr(wrapped, "is_authenticated", False):
        return None
    return getattr(wrapped, "pk", None)


def request_id_middleware(get_response):
    """Take the request id from the proxy's X-Request-ID (or make one), keep it for every log
    line written while serving the request, echo it in the response, and hand the user's id
    to gunicorn's access line."""

    def middleware(request):
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request.id = incoming if _VALID_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        token = current_request.set(request)
        try:
            response = get_response(request)
        finally:
            current_request.reset(token)
        response[REQUEST_ID_HEADER] = request.id
        user_id = _user_id(request)
        if user_id is not None:
            request.META[USER_ID_ENVIRON_KEY] = user_id
        return response

    return middleware


class RequestContextFilter(logging.Filter):
    """Adds request_id and user_id to lines written while a request is served."""

    def filter(self, record: logging.LogRecord) -> bool:
        # Django logs 4xx/5xx responses after the middleware has returned, but hands over the
        # request itself; its repr is not JSON and says nothing the other fields do not.
        request = record.__dict__.pop("request", None) or current_request.get()
        if request is not None:
            if not hasattr(record, "request_id") and getattr(request, "id", None):
                record.request_id = request.id
            if not hasattr(record, "user_id"):
                user_id = _user_id(request)
                if user_id is not None:
                    record.user_id = user_id
        return True


class BurstFilter(logging.Filter):
    """Lets through at most BURST_LIMIT warnings or errors of one kind (same logger, level,
    message template and exception type) per window; the first one after a cut says how many
    were dropped. Information lines (one per request) are never cut."""

    def __init__(self, limit: int = BURST_LIMIT, window: float = BURST_WINDOW_SECONDS):
        super().__init__()
        self.limit = limit
        self.window = window
        self._lock = threading.Lock()
        self._seen: dict[tuple, list] = {}  # key -> [window start, count, dropped]

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        exc_type = record.exc_info[0].__name__ if record.exc_info and record.exc_info[0] else None
        key = (record.name, record.levelno, str(record.msg), exc_type)
        now = time.monotonic()
        with self._lock:
            if len(self._seen) > 1000:
                self._seen = {k: v for k, v in self._seen.items() if now - v[0] < self.window}
            entry = self._seen.get(key)
            if entry is None or now - entry[0] >= self.window:
                dropped = entry[2] if entry else 0
                self._seen[key] = [now, 1, 0]
                if dropped:
                    record.suppressed = dropped
                return True
            entry[1] += 1
            if entry[1] <= self.limit:
                return True
            entry[2] += 1
            return False


def _utc_iso(created: float) -> str:
    return datetime.fromtimestamp(created, tz=UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class JsonFormatter(_JsonFormatter):
    """{"time", "level", "logger", "message", ...extra fields, "traceback"} on one line."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger", "exc_info": "traceback"})
        super().__init__("%(levelname)s %(name)s %(message)s", *args, **kwargs)

    def add_fields(self, log_data, record, message_dict):
        log_data["time"] = _utc_iso(record.created)
        super().add_fields(log_data, record, message_dict)


class TextFormatter(logging.Formatter):
    """For people reading a terminal: UTC time, level, logger, message, then the extras."""

    _STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        extras = " ".join(f"{k}={v}" for k, v in record.__dict__.items() if k not in self._STANDARD and v is not None)
        line = f"{_utc_iso(record.created)} {record.levelname} {record.name}: {record.getMessage()}"
        if extras:
            line += f" [{extras}]"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def logging_config(log_format: str, level: str) -> dict:
    """The dictConfig shared by Django (settings.LOGGING) and gunicorn (gunicorn.conf.py)."""
    if log_format not in ("json", "text"):
        raise ValueError(f"LOG_FORMAT must be json or text, not {log_format!r}")
    formatter = "devboard.logs.JsonFormatter" if log_format == "json" else "devboard.logs.TextFormatter"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request": {"()": "devboard.logs.RequestContextFilter"},
            "burst": {"()": "devboard.logs.BurstFilter"},
        },
        "formatters": {"devboard": {"()": formatter}},
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "devboard",
                "filters": ["request", "burst"],
            },
        },
        "root": {"handlers": ["stdout"], "level": level},
        "loggers": {
            # Django's own request handler; kept to the root's handler only.
            "django": {"handlers": [], "propagate": True, "level": level},
            "gunicorn.error": {"handlers": ["stdout"], "propagate": False, "level": "INFO"},
            "gunicorn.access": {"handlers": ["stdout"], "propagate": False, "level": "INFO"},
            # Task and reminder summaries are worth reading at the default level.
            "devboard.tasks": {"level": "INFO"},
        },
    }


class GunicornLogger(_GunicornLogger):
    """gunicorn's access line as one structured record; probes are not logged."""

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled or environ.get("PATH_INFO") in QUIET_PATHS:
            return
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        headers = {k.lower(): v for k, v in (resp.headers or [])}
        fields = {
            "request_id": headers.get(REQUEST_ID_HEADER.lower()),
            "method": environ.get("REQUEST_METHOD"),
            "path": environ.get("PATH_INFO"),
            "status": int(status),
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "bytes": getattr(resp, "sent", None),
        }
        user_id = environ.get(USER_ID_ENVIRON_KEY)
        if user_id is not None:
            fields["user_id"] = user_id
        try:
            self.access_log.info("%s %s %s", fields["method"], fields["path"], fields["status"], extra=fields)
        except Exception:
            self.exception("access log failed")
