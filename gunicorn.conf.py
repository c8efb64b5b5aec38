"""gunicorn for devboard: `gunicorn -c gunicorn.conf.py` (the image's entry point).

Why these numbers: the README's "Speed and memory" section has the measurements.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from devboard.logs import logging_config  # noqa: E402

wsgi_app = "devboard.wsgi:application"
bind = [os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")]

# gthread: a connection that has sent nothing yet (a slow phone, an idle keep-alive, a
# half-open scanner) waits in the worker's poller instead of holding the whole worker, as a
# sync worker does until the timeout. Threads also overlap the waits on PostgreSQL.
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))

timeout = 30  # a request that runs longer is a bug: bulk work goes to the task worker
graceful_timeout = 30  # on SIGHUP/SIGTERM, requests in flight get this long to finish
keepalive = 5
# Recycle workers now and then so a slow leak never grows without bound.
max_requests = 2000
max_requests_jitter = 200
control_socket_disable = True  # reload and stop with signals (docs/operations.md)
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"  # the heartbeat file: memory, not a container's overlay disk

# One structured line per request (devboard.logs.GunicornLogger), in the app's log format,
# UTC in master and workers alike; /healthz and /readyz are left out.
logger_class = "devboard.logs.GunicornLogger"
logconfig_dict = logging_config(
    os.environ.get("LOG_FORMAT", "text" if os.environ.get("DEBUG", "false").lower() == "true" else "json"),
    os.environ.get("LOG_LEVEL", "WARNING"),
)
