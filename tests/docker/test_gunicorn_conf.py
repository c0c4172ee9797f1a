"""gunicorn.conf.py: values from the environment, accepted by gunicorn's own validators, JSON logs."""

import json
import os
import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

REPO = Path(__file__).resolve().parents[2]
CONF = REPO / "gunicorn.conf.py"
ENV_NAMES = [
    "PORT",
    "GUNICORN_BIND",
    "GUNICORN_WORKERS",
    "WEB_CONCURRENCY",
    "GUNICORN_THREADS",
    "GUNICORN_TIMEOUT",
    "GUNICORN_GRACEFUL_TIMEOUT",
    "GUNICORN_KEEPALIVE",
    "GUNICORN_MAX_REQUESTS",
    "GUNICORN_MAX_REQUESTS_JITTER",
    "FORWARDED_ALLOW_IPS",
    "LOG_LEVEL",
    "PROMETHEUS_MULTIPROC_DIR",
]


@pytest.fixture
def load(monkeypatch):
    """Evaluate gunicorn.conf.py under the given environment and load it the way gunicorn does."""

    def _load(**env):
        for name in ENV_NAMES:
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        namespace = runpy.run_path(str(CONF))
        cfg = Config()
        for key, value in namespace.items():
            if key in cfg.settings:
                cfg.set(key.lower(), value)  # runs gunicorn's validator for each setting
        return cfg, namespace

    return _load


def test_defaults(load):
    cfg, namespace = load()
    cpus = namespace["_available_cpus"]()
    assert cfg.bind == ["0.0.0.0:8000"]
    assert cfg.workers == min(2 * cpus + 1, 8)
    assert (cfg.threads, cfg.worker_class_str) == (1, "sync")
    assert (cfg.timeout, cfg.graceful_timeout) == (30, 30)
    assert cfg.max_requests == 1000 and cfg.max_requests_jitter == 500  # workers must not all recycle at once
    assert cfg.preload_app is True
    assert cfg.forwarded_allow_ips == ["127.0.0.1", "::1"], "never '*' by default"
    assert cfg.accesslog == "-" and cfg.errorlog == "-"
    assert cfg.control_socket_disable is True


def test_default_workers_are_capped():
    namespace = runpy.run_path(str(CONF))
    assert namespace["default_workers"](1) == 3
    assert namespace["default_workers"](64) == 8


def test_environment_overrides(load):
    cfg, _ = load(
        PORT="9000",
        GUNICORN_WORKERS="3",
        WEB_CONCURRENCY="7",
        GUNICORN_THREADS="4",
        GUNICORN_TIMEOUT="60",
        GUNICORN_GRACEFUL_TIMEOUT="20",
        FORWARDED_ALLOW_IPS="10.0.1.0/24",
        LOG_LEVEL="WARNING",
    )
    assert cfg.bind == ["0.0.0.0:9000"]
    assert cfg.workers == 3, "GUNICORN_WORKERS wins over WEB_CONCURRENCY"
    assert (cfg.threads, cfg.worker_class_str) == (4, "gthread")
    assert (cfg.timeout, cfg.graceful_timeout) == (60, 20)
    assert cfg.forwarded_allow_ips == ["10.0.1.0/24"]
    assert cfg.loglevel == "warning"


def test_bind_and_web_concurrency(load):
    cfg, _ = load(GUNICORN_BIND="127.0.0.1:8123", PORT="9000", WEB_CONCURRENCY="5")
    assert cfg.bind == ["127.0.0.1:8123"] and cfg.workers == 5


@pytest.mark.parametrize(
    ("name", "value"), [("GUNICORN_WORKERS", "two"), ("GUNICORN_WORKERS", "0"), ("GUNICORN_TIMEOUT", "-1")]
)
def test_rejects_bad_numbers(load, name, value):
    with pytest.raises(ValueError, match=name):
        load(**{name: value})


def _logger(cfg, tmp_path):
    cfg.set("accesslog", str(tmp_path / "access.log"))
    cfg.set("errorlog", str(tmp_path / "error.log"))
    return cfg.logger_class(cfg)


def test_access_log_is_one_json_object_with_the_request_id(load, tmp_path):
    cfg, _ = load()
    logger = _logger(cfg, tmp_path)
    resp = SimpleNamespace(
        status="201 Created", sent=42, headers=[("Content-Type", "application/json"), ("X-Request-ID", "resp-id-1")]
    )
    req = SimpleNamespace(headers=[("USER-AGENT", 'curl "quoted"\\ agent'), ("X-REQUEST-ID", "req-id")])
    environ = {
        "REQUEST_METHOD": "POST",
        "RAW_URI": "/api/v1/posts/?a=1",
        "PATH_INFO": "/api/v1/posts/",
        "QUERY_STRING": "a=1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.1.7",
        "HTTP_USER_AGENT": 'curl "quoted"\\ agent',
    }
    logger.access(resp, req, environ, timedelta(milliseconds=12.5))
    line = json.loads((tmp_path / "access.log").read_text().strip())
    assert line["request_id"] == "resp-id-1", "the app's response header is the id that its logs carry"
    assert (line["method"], line["path"], line["query"], line["status"]) == ("POST", "/api/v1/posts/", "a=1", 201)
    assert line["user_agent"] == 'curl "quoted"\\ agent'
    assert line["duration_ms"] == 12.5 and line["bytes"] == 42


def test_access_log_falls_back_to_the_request_header(load, tmp_path):
    cfg, _ = load()
    logger = _logger(cfg, tmp_path)
    resp = SimpleNamespace(status="200 OK", sent=2, headers=[])
    req = SimpleNamespace(headers=[("X-REQUEST-ID", "probe-1")])
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/healthz",
        "PATH_INFO": "/healthz",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    logger.access(resp, req, environ, timedelta(0))
    assert json.loads((tmp_path / "access.log").read_text())["request_id"] == "probe-1"


def test_error_log_is_json(load, tmp_path):
    cfg, _ = load()
    logger = _logger(cfg, tmp_path)
    logger.info("Listening at: %s", "http://0.0.0.0:8000")
    line = json.loads((tmp_path / "error.log").read_text().strip())
    assert line["level"] == "info" and line["message"] == "Listening at: http://0.0.0.0:8000"


def test_child_exit_retires_a_dead_workers_metrics(load, tmp_path):
    metrics_dir = tmp_path / "prometheus"
    metrics_dir.mkdir()
    _, namespace = load(PROMETHEUS_MULTIPROC_DIR=str(metrics_dir))
    (metrics_dir / "gauge_livesum_4242.db").write_bytes(b"")
    (metrics_dir / "counter_4242.db").write_bytes(b"")
    namespace["child_exit"](None, SimpleNamespace(pid=4242))
    assert sorted(os.listdir(metrics_dir)) == ["counter_4242.db"], "live gauges go, counters stay"
