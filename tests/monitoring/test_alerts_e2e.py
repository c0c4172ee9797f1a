"""A 500 and a scale up/down reach the team: the real chain, end to end, on loopback.

The app under gunicorn -> Debian's Prometheus scraping it with the server path's scrape job and
rules (monitoring/prometheus.yml, monitoring/rules/) -> Debian's Alertmanager with
monitoring/alertmanager.yml and its templates -> a Slack-compatible webhook receiver in this test.
Only timings are shortened (scrape/evaluation every second, Alertmanager group waits) and file
paths pointed at a temporary directory; the rules, routes, inhibitions and templates are the real ones.

Run with the app's virtualenv: make test-monitoring-e2e
(SNS_MONITORING_E2E=1 .venv/bin/python -m pytest tests/monitoring -c tests/monitoring/pytest.ini).
Needs `prometheus` and `prometheus-alertmanager` from Debian. No database fixtures: plain pytest.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
MONITORING = ROOT / "monitoring"
LOOPBACK = "127.0.0.1"
METRICS_TOKEN = "e2e-metrics-token"

pytestmark = pytest.mark.skipif(
    os.environ.get("SNS_MONITORING_E2E") != "1",
    reason="end-to-end alerting test: run it with `make test-monitoring-e2e` (SNS_MONITORING_E2E=1)",
)


# --- small helpers ----------------------------------------------------------------------------


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def http_get(url, timeout=5):
    """(status, body) of a GET; HTTP errors are answers too."""
    request = urllib.request.Request(url, headers={"Host": "localhost"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_for(what, predicate, timeout, interval=0.5):
    """Poll predicate() until it returns something truthy; fail with `what` after timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = predicate()
        except OSError:
            result = None
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


class Process:
    """A child process we started, stopped by its own PID (SIGTERM, then SIGKILL)."""

    def __init__(self, name, argv, log_path, env=None, cwd=None):
        self.name = name
        self.log_path = log_path
        # The child keeps its own copy of the log's file descriptor.
        with open(log_path, "wb") as log:
            self.popen = subprocess.Popen(
                argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
            )

    def assert_running(self):
        code = self.popen.poll()
        assert code is None, f"{self.name} exited with {code}:\n{self.log_tail()}"

    def stop(self, timeout=20):
        if self.popen.poll() is None:
            os.kill(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.kill(self.popen.pid, signal.SIGKILL)
                self.popen.wait(timeout=10)

    def log_tail(self, lines=40):
        text = Path(self.log_path).read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])


class SlackReceiver:
    """A Slack-compatible incoming webhook on loopback that keeps every message it is sent."""

    def __init__(self):
        self.messages = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver._lock:
                    receiver.messages.append(json.loads(body))
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer((LOOPBACK, 0), Handler)
        self.url = f"http://{LOOPBACK}:{self.server.server_port}/services/e2e"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def attachments(self):
        with self._lock:
            return [attachment for message in self.messages for attachment in message.get("attachments", [])]

    def titled(self, alertname, status):
        """Attachments whose title is for that alert in that state ("FIRING" or "RESOLVED")."""
        return [a for a in self.attachments() if a["title"].startswith(f"[{status}") and alertname in a["title"]]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


# --- the stack ----------------------------------------------------------------------------------


def app_env(tmp_path, name):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("REDIS_", "SENTRY_"))}
    multiproc_dir = tmp_path / f"{name}-metrics"
    multiproc_dir.mkdir()
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL=f"sqlite:///{tmp_path / 'sns.sqlite3'}",
        DJANGO_SECRET_KEY="e2e-only-not-a-secret",
        DJANGO_DEBUG="false",
        DJANGO_ALLOWED_HOSTS="localhost,127.0.0.1",
        SNS_ENABLE_TEST_ERROR_ENDPOINT="true",
        METRICS_TOKEN=METRICS_TOKEN,
        PROMETHEUS_MULTIPROC_DIR=str(multiproc_dir),
        GUNICORN_WORKERS="2",
        GUNICORN_THREADS="1",
        LOG_LEVEL="WARNING",
        AUTO_SEED="false",
    )
    return env


def start_app(tmp_path, name, processes):
    port = free_port()
    address = f"{LOOPBACK}:{port}"
    env = app_env(tmp_path, name)
    env["GUNICORN_BIND"] = address
    app = Process(
        name,
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind", address, "config.wsgi:application"],
        tmp_path / f"{name}.log",
        env=env,
        cwd=ROOT,
    )
    processes.append(app)
    wait_for(
        f"{name} to answer /healthz",
        lambda: app.assert_running() or http_get(f"http://{address}/healthz")[0] == 200,
        60,
    )
    return app, address


def write_targets(path, addresses):
    """Rewrite the file_sd file the way the monitoring server does: a temp file, then a rename."""
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps([{"targets": sorted(addresses), "labels": {}}]))
    temporary.replace(path)


def prometheus_config(tmp_path, alertmanager_address, targets_file):
    """The server path's config with the sns-api job and rules as they are, at 1 s intervals."""
    real = yaml.safe_load((MONITORING / "prometheus.yml").read_text())
    job = next(job for job in real["scrape_configs"] if job["job_name"] == "sns-api")
    token_file = tmp_path / "metrics-token"
    token_file.write_text(METRICS_TOKEN)
    job["authorization"]["credentials_file"] = str(token_file)
    job["file_sd_configs"] = [{"files": [str(targets_file)], "refresh_interval": "1s"}]
    return {
        "global": {
            "scrape_interval": "1s",
            "scrape_timeout": "1s",
            "evaluation_interval": "1s",
            "external_labels": {"stage": "e2e", "platform": "servers"},
        },
        "rule_files": [str(MONITORING / rule_file) for rule_file in real["rule_files"]],
        "alerting": {"alertmanagers": [{"static_configs": [{"targets": [alertmanager_address]}]}]},
        "scrape_configs": [job],
    }


def alertmanager_config(webhook_url_file):
    """monitoring/alertmanager.yml with the webhook URL file in the temp dir and short group waits."""
    config = yaml.safe_load((MONITORING / "alertmanager.yml").read_text())
    config["templates"] = [str(MONITORING / template) for template in config["templates"]]
    for receiver in config["receivers"]:
        for slack in receiver.get("slack_configs", []):
            slack["api_url_file"] = str(webhook_url_file)

    def shorten(route):
        route["group_wait"] = "1s"
        route["group_interval"] = "2s"
        for child in route.get("routes", []):
            shorten(child)

    shorten(config["route"])
    return config


def query(prometheus_address, promql):
    url = f"http://{prometheus_address}/api/v1/query?" + urllib.parse.urlencode({"query": promql})
    status, body = http_get(url)
    assert status == 200, body
    return json.loads(body)["data"]["result"]


# --- the test -----------------------------------------------------------------------------------


def test_a_500_and_a_scale_up_and_down_each_reach_the_webhook(tmp_path):
    prometheus_bin = shutil.which("prometheus")
    alertmanager_bin = shutil.which("prometheus-alertmanager") or shutil.which("alertmanager")
    assert prometheus_bin and alertmanager_bin, (
        "needs Debian's binaries: apt-get install -y prometheus prometheus-alertmanager"
    )

    processes = []
    receiver = SlackReceiver()
    try:
        migrate = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=app_env(tmp_path, "migrate"),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert migrate.returncode == 0, migrate.stdout + migrate.stderr

        # Alertmanager, sending to the receiver through the real routes and templates.
        webhook_url_file = tmp_path / "slack-webhook-url"
        webhook_url_file.write_text(receiver.url + "\n")
        alertmanager_yml = tmp_path / "alertmanager.yml"
        alertmanager_yml.write_text(json.dumps(alertmanager_config(webhook_url_file), indent=1))
        alertmanager_address = f"{LOOPBACK}:{free_port()}"
        alertmanager = Process(
            "alertmanager",
            [
                alertmanager_bin,
                f"--config.file={alertmanager_yml}",
                f"--storage.path={tmp_path / 'alertmanager-data'}",
                f"--web.listen-address={alertmanager_address}",
                f"--web.external-url=http://{alertmanager_address}/",
                "--cluster.listen-address=",
            ],
            tmp_path / "alertmanager.log",
        )
        processes.append(alertmanager)

        # The first app instance, discovered through the file_sd file.
        app1, app1_address = start_app(tmp_path, "app1", processes)
        targets_file = tmp_path / "sns-api.json"
        write_targets(targets_file, [app1_address])

        prometheus_yml = tmp_path / "prometheus.yml"
        prometheus_yml.write_text(json.dumps(prometheus_config(tmp_path, alertmanager_address, targets_file), indent=1))
        prometheus_address = f"{LOOPBACK}:{free_port()}"
        prometheus = Process(
            "prometheus",
            [
                prometheus_bin,
                f"--config.file={prometheus_yml}",
                f"--storage.tsdb.path={tmp_path / 'prometheus-data'}",
                f"--web.listen-address={prometheus_address}",
            ],
            tmp_path / "prometheus.log",
        )
        processes.append(prometheus)

        wait_for(
            "Alertmanager to be ready",
            lambda: alertmanager.assert_running() or http_get(f"http://{alertmanager_address}/-/ready")[0] == 200,
            30,
        )
        wait_for(
            "Prometheus to scrape app1 (up == 1, with the metrics token)",
            lambda: prometheus.assert_running() or query(prometheus_address, 'up{job="sns-api"} == 1'),
            60,
        )

        # --- a 500 -----------------------------------------------------------------------------
        first_error_at = time.monotonic()
        for _ in range(3):
            status, _body = http_get(f"http://{app1_address}/_test/error")
            assert status == 500
        [firing] = wait_for("the 5xx alert at the webhook", lambda: receiver.titled("SnsApiHttp5xx", "FIRING"), 60)
        assert time.monotonic() - first_error_at < 60, "the first 500 must reach the team within a minute"
        assert "(e2e)" in firing["title"]
        assert "view=test-error" in firing["text"] and "status=500" in firing["text"], firing["text"]
        assert "HTTP 500 from GET test-error" in firing["text"]
        assert "RUNBOOK.md#snsapihttp5xx" in firing["text"]

        # --- scale up: a second instance joins -------------------------------------------------
        app2, app2_address = start_app(tmp_path, "app2", processes)
        write_targets(targets_file, [app1_address, app2_address])
        [scaled_up] = wait_for("the scale-up notification", lambda: receiver.titled("SnsApiScaledUp", "FIRING"), 60)
        assert "scaled up to 2 instances" in scaled_up["text"], scaled_up["text"]
        assert "RUNBOOK.md#snsapiscaledup" in scaled_up["text"]

        # --- scale down: it is stopped and leaves discovery ------------------------------------
        app2.stop()
        write_targets(targets_file, [app1_address])
        [scaled_down] = wait_for(
            "the scale-down notification", lambda: receiver.titled("SnsApiScaledDown", "FIRING"), 120
        )
        assert "scaled down to 1 instances" in scaled_down["text"], scaled_down["text"]

        # --- the 5xx alert resolves once the errors have stopped -------------------------------
        [resolved] = wait_for("the 5xx resolution", lambda: receiver.titled("SnsApiHttp5xx", "RESOLVED"), 90)
        assert "view=test-error" in resolved["text"]

        # --- each event was one message: no repeats, no floods, no resolutions of scale events ---
        time.sleep(5)
        assert len(receiver.titled("SnsApiHttp5xx", "FIRING")) == 1
        assert len(receiver.titled("SnsApiHttp5xx", "RESOLVED")) == 1
        assert len(receiver.titled("SnsApiScaledUp", "FIRING")) == 1
        assert len(receiver.titled("SnsApiScaledDown", "FIRING")) == 1
        assert not receiver.titled("SnsApiScaled", "RESOLVED")
        unexpected = [
            a["title"]
            for a in receiver.attachments()
            if not any(name in a["title"] for name in ("SnsApiHttp5xx", "SnsApiScaledUp", "SnsApiScaledDown"))
        ]
        assert not unexpected, unexpected
        app1.assert_running()
    except BaseException:
        for process in processes:
            print(f"--- {process.name} ({process.log_path}) ---\n{process.log_tail()}")
        raise
    finally:
        # Shown by pytest on failure, or with -rP: what the team would have read.
        print("--- webhook messages ---\n" + json.dumps(receiver.messages, indent=1, ensure_ascii=False))
        for process in reversed(processes):
            process.stop()
        receiver.stop()
