"""Gunicorn as deployed (the repository's gunicorn.conf.py) on 127.0.0.1, and its workers' memory."""

import contextlib
import http.client
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

from benchmarks.common import ROOT, log, popen

GUNICORN = str(Path(os.environ.get("BENCH_APP_PYTHON") or ROOT / ".venv" / "bin" / "python").parent / "gunicorn")


class Server:
    """One gunicorn master serving `app` on 127.0.0.1:`port`; stopped with SIGTERM like a deploy."""

    def __init__(self, app: str, port: int, env: dict, log_path: Path, extra_args=()):
        self.app, self.port, self.env, self.log_path = app, port, env, log_path
        self.extra_args = list(extra_args)  # e.g. --preload, to try a setting before it lands in the config
        self.process = None

    def __enter__(self):
        env = {**self.env, "GUNICORN_BIND": f"127.0.0.1:{self.port}"}
        self._log = open(self.log_path, "ab")
        args = [GUNICORN, "-c", "gunicorn.conf.py", *self.extra_args, self.app]
        self.process = popen(args, env=env, stdout=self._log, stderr=self._log)
        self._wait_ready()
        log(f"{self.app} up on 127.0.0.1:{self.port} with {len(worker_pids(self.process.pid))} workers")
        return self

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log.close()

    def _wait_ready(self, timeout: float = 60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see {self.log_path}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
                if conn.getresponse().status == 200:
                    # Every worker booted: the first measured requests must not wait for imports.
                    time.sleep(1.0)
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn not ready after {timeout}s; see {self.log_path}")


def worker_pids(master: int) -> list[int]:
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        return [int(pid) for pid in children]
    except OSError:
        return []


def _status_kb(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _cpu_ticks(pid: int) -> int | None:
    """User + system CPU time of a process, in clock ticks."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return None


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class WorkerSampler:
    """Samples the workers 5 times a second: peak resident memory and CPU time used.

    CPU seconds per request is the figure that holds up on a busy machine, where req/s and
    latency also measure the neighbours.
    """

    def __init__(self, master: int, interval: float = 0.2):
        self.master, self.interval = master, interval
        self.peak_kb = 0
        self.pids = set()
        self._cpu_first, self._cpu_last = {}, {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        # Reset each worker's high-water mark (Linux: clear_refs 5) so an earlier request's peak,
        # e.g. a photo decoded before this scenario, is not reported as this scenario's.
        for pid in worker_pids(self.master):
            with contextlib.suppress(OSError):
                Path(f"/proc/{pid}/clear_refs").write_text("5")
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._sample()
        self._stop.set()
        self._thread.join()

    def _sample(self):
        for pid in worker_pids(self.master):
            self.pids.add(pid)
            self.peak_kb = max(self.peak_kb, _status_kb(pid, "VmHWM"), _status_kb(pid, "VmRSS"))
            ticks = _cpu_ticks(pid)
            if ticks is not None:
                self._cpu_first.setdefault(pid, ticks)
                self._cpu_last[pid] = ticks

    @property
    def cpu_seconds(self) -> float:
        used = sum(self._cpu_last[pid] - self._cpu_first[pid] for pid in self._cpu_last)
        return used / CLOCK_TICKS

    def _run(self):
        while not self._stop.wait(self.interval):
            self._sample()
