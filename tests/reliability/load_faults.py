"""Sustained mixed load, then faults under load, against gunicorn and a private PostgreSQL on loopback.

    .venv/bin/python tests/reliability/load_faults.py [--scenario all|load|pg-restart|sigterm]
                                                      [--duration 30] [--clients 16] [--report FILE]

Scenarios (each on a fresh cluster, database and gunicorn; nothing touches the shared server on 5432):

load        reads, posts (text and photos), follows, edits for --duration seconds.
            Pass: zero 5xx, zero unanswered requests, every post answered 201 is in the database
            with every one of its photos.
pg-restart  the same load; PostgreSQL is killed (`pg_ctl stop -m immediate`, a crash) a third of
            the way in and started again --down seconds later.
            Pass: while it is down every API answer is 503 within --fail-fast seconds (no hang, no
            500), /healthz stays 200, no worker is restarted; after it is back the API answers 2xx
            again within --recovery-limit seconds with no action; no acknowledged write is lost.
sigterm     the same load with slow multi-photo uploads; gunicorn's master gets SIGTERM halfway.
            Pass: requests being served when the signal came are answered (no 5xx, no cut-off
            response), gunicorn exits 0 within its graceful timeout, and nothing is half-written:
            every post has all the photos it was sent with or does not exist, every photo file on
            disk has its row and every row its files.

Prints one summary line per scenario and writes the figures as JSON (--report). Exit 1 on any failure.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client as httplib
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stack import REPO, AppServer, PrivatePostgres, http, multipart, register_and_login, small_png

DB_PATHS = ("/api/v1/posts/", "/api/v1/feed/", "/api/v1/users/", "/api/v1/users/me/", "/api/v1/posts/mine/")


def noisy_png(side: int, seed: int) -> bytes:
    """A PNG that does not compress away, so processing it takes real time (a slow request)."""
    import struct
    import zlib

    rng = random.Random(seed)
    rows = b"".join(b"\x00" + rng.randbytes(side * 3) for _ in range(side))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 1)) + chunk(b"IEND", b"")


@dataclass
class Outcome:
    action: str
    path: str
    started: float
    ended: float
    status: int | None = None
    error: str | None = None
    marker: str | None = None  # the unique content of a post this request tried to create
    images: int = 0
    post_id: int | None = None


@dataclass
class Load:
    """Client threads issuing a weighted mix of requests until stopped; every outcome is recorded."""

    base_url: str
    users: list
    clients: int
    timeout: float
    slow_uploads: bool = False
    outcomes: list = field(default_factory=list)
    created: dict = field(default_factory=dict)  # marker -> images sent, for every post attempted
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop_event: threading.Event = field(default_factory=threading.Event)
    crashes: list = field(default_factory=list)

    MIX = (
        ("read", 45),
        ("post_text", 20),
        ("post_photos", 8),
        ("follow", 12),
        ("unfollow", 5),
        ("edit", 5),
        ("add_photo", 5),
    )

    def start(self):
        self.threads = [threading.Thread(target=self._client, args=(n,), daemon=True) for n in range(self.clients)]
        for thread in self.threads:
            thread.start()

    def stop(self):
        self.stop_event.set()
        for thread in self.threads:
            thread.join(self.timeout + 5)

    def _client(self, number: int):
        try:
            self._run_client(number)
        except Exception as exc:  # a bug in this script must fail the run, not shrink the load
            with self.lock:
                self.crashes.append(f"client {number}: {exc!r}")
            raise

    def _run_client(self, number: int):
        rng = random.Random(1000 + number)
        user = self.users[number % len(self.users)]
        own_posts: list[tuple[int, str]] = []  # (id, marker)
        actions, weights = zip(*self.MIX, strict=True)
        sequence = 0
        png = small_png(48, 36, (number * 10 % 255, 90, 160))
        slow = [noisy_png(700, number * 10 + i) for i in range(4)] if self.slow_uploads else None
        while not self.stop_event.is_set():
            sequence += 1
            action = rng.choices(actions, weights)[0]
            if action in ("edit", "add_photo") and not own_posts:
                action = "post_text"
            marker = None
            images = 0
            if action == "read":
                method, path, body, headers = "GET", rng.choice(DB_PATHS), None, {}
            elif action == "post_text":
                marker = f"load-{number}-{sequence}-{rng.getrandbits(32):08x}"
                method, path = "POST", "/api/v1/posts/"
                body, headers = json.dumps({"content": marker}).encode(), {"Content-Type": "application/json"}
            elif action == "post_photos":
                marker = f"photos-{number}-{sequence}-{rng.getrandbits(32):08x}"
                files = slow if slow else [png] * rng.randint(1, 2)
                images = len(files)
                body, content_type = multipart(
                    {"content": marker}, [("images", f"p{i}.png", data, "image/png") for i, data in enumerate(files)]
                )
                method, path, headers = "POST", "/api/v1/posts/", {"Content-Type": content_type}
            elif action in ("follow", "unfollow"):
                target = rng.choice([other for other in self.users if other is not user])
                method = "POST" if action == "follow" else "DELETE"
                path, body, headers = f"/api/v1/users/{target['id']}/follow/", None, {}
            elif action == "edit":
                post_id, post_marker = rng.choice(own_posts)
                method, path = "PATCH", f"/api/v1/posts/{post_id}/"
                body = json.dumps({"content": f"{post_marker} edited {sequence}"}).encode()
                headers = {"Content-Type": "application/json"}
            else:  # add_photo: may pass the 4-photo limit, then 400 is the right answer
                post_id, _ = rng.choice(own_posts)
                body, content_type = multipart({}, [("image", "extra.png", png, "image/png")])
                method, path, headers = "POST", f"/api/v1/posts/{post_id}/images/", {"Content-Type": content_type}
            if marker:
                with self.lock:
                    self.created[marker] = images
            outcome = self._send(action, method, path, body, {**headers, "Authorization": f"Bearer {user['access']}"})
            outcome.marker, outcome.images = marker, images
            if outcome.post_id and action.startswith("post"):
                own_posts.append((outcome.post_id, marker))
            with self.lock:
                self.outcomes.append(outcome)
            if outcome.status is None or (outcome.status or 0) >= 500:
                time.sleep(0.05)  # a failing service: do not spin

    def _send(self, action, method, path, body, headers) -> Outcome:
        started = time.monotonic()
        outcome = Outcome(action, path, started, started)
        host, port = self.base_url.rsplit("//", 1)[1].split(":")
        connection = httplib.HTTPConnection(host, int(port), timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers={"Host": "127.0.0.1", "Connection": "close", **headers})
            response = connection.getresponse()
            data = response.read()
            outcome.status = response.status
            if response.status == 201 and path == "/api/v1/posts/":
                outcome.post_id = json.loads(data)["id"]
                if len(json.loads(data)["images"]) != (body.count(b'name="images"') if body else 0):
                    outcome.error = "201 without all its images"
        except (OSError, httplib.HTTPException) as exc:
            outcome.error = type(exc).__name__
        finally:
            connection.close()
            outcome.ended = time.monotonic()
        return outcome


# --- checks ------------------------------------------------------------------------------------
def db_rows(pg: PrivatePostgres, sql: str) -> list[list[str]]:
    return [line.split("|") for line in pg.psql(sql, database="sns").splitlines() if line]


def lost_writes(pg: PrivatePostgres, load: Load) -> dict:
    """Posts answered 201 that are missing, and posts without exactly the photos they were sent with.

    A post's photo count must be what its create request carried plus the photos added to it later
    that were answered 201, plus at most those added whose answer never came.
    """
    rows = db_rows(
        pg,
        "SELECT p.id, p.content, count(i.id) FROM posts_post p LEFT JOIN posts_postimage i ON i.post_id = p.id "
        "WHERE p.content LIKE 'load-%' OR p.content LIKE 'photos-%' GROUP BY p.id, p.content",
    )
    stored = {int(post_id): (content, int(count)) for post_id, content, count in rows}
    by_marker = Counter(content.split(" ", 1)[0] for content, _ in stored.values())
    acknowledged = [o for o in load.outcomes if o.status == 201 and o.marker]
    missing = [
        o.marker for o in acknowledged if o.post_id not in stored or not stored[o.post_id][0].startswith(o.marker)
    ]
    added, maybe_added = Counter(), Counter()
    for o in load.outcomes:
        if o.action == "add_photo":
            post_id = int(o.path.split("/")[4])
            if o.status == 201:
                added[post_id] += 1
            elif o.status is None or o.status >= 500:
                maybe_added[post_id] += 1
    partial = []
    for post_id, (content, count) in stored.items():
        sent = load.created.get(content.split(" ", 1)[0])
        if sent is None:
            continue
        low = sent + added[post_id]
        if not low <= count <= low + maybe_added[post_id]:
            partial.append(f"{content} has {count} photos, expected {low}")
    duplicated = [marker for marker, n in by_marker.items() if n > 1]
    return {"acknowledged": len(acknowledged), "missing": missing, "partial": partial, "duplicated": duplicated}


def orphans(pg: PrivatePostgres, server: AppServer) -> dict:
    """Photo files without a row and rows without their files."""
    rows = db_rows(pg, "SELECT file, thumbnail FROM posts_postimage")
    referenced = {name for pair in rows for name in pair}
    on_disk = {
        str(path.relative_to(server.media_root)) for path in (server.media_root / "images").glob("*") if path.is_file()
    }
    return {
        "files": len(on_disk),
        "rows": len(rows),
        "files_without_row": sorted(on_disk - referenced)[:20],
        "rows_without_file": sorted(referenced - on_disk)[:20],
    }


def summarize(outcomes: list[Outcome], load: Load | None = None) -> dict:
    statuses = Counter(str(o.status) if o.status else (o.error or "no answer") for o in outcomes)
    latencies = sorted(o.ended - o.started for o in outcomes)
    return {
        "requests": len(outcomes),
        "statuses": dict(sorted(statuses.items())),
        "5xx": sum(1 for o in outcomes if o.status and o.status >= 500),
        "unanswered": sum(1 for o in outcomes if o.status is None),
        "p50_ms": round(latencies[len(latencies) // 2] * 1000, 1) if latencies else None,
        "p99_ms": round(latencies[int(len(latencies) * 0.99)] * 1000, 1) if latencies else None,
        "max_ms": round(latencies[-1] * 1000, 1) if latencies else None,
        "bad_201": [o.marker for o in outcomes if o.error == "201 without all its images"],
        **({"client_crashes": load.crashes} if load else {}),
    }


def worker_pids(server: AppServer) -> set[int]:
    result = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(server.proc.pid)], capture_output=True, text=True, check=False
    )
    return {int(pid) for pid in result.stdout.split()}


# --- scenarios ---------------------------------------------------------------------------------
@contextlib.contextmanager
def service(args, name):
    workdir = Path(tempfile.mkdtemp(prefix=f"sns-{name}-"))
    with PrivatePostgres() as pg:
        server = AppServer(
            pg.create_database("sns"),
            workdir,
            workers=args.workers,
            extra_env={"JWT_ACCESS_MINUTES": "120", "GUNICORN_GRACEFUL_TIMEOUT": str(args.graceful_timeout)},
        )
        server.prepare(seed=True)
        server.start()
        users = [register_and_login(server.base_url, f"load{n}") for n in range(args.users)]
        try:
            yield pg, server, users
        finally:
            server.stop()
            if args.keep:
                print(f"  kept {workdir}", file=sys.stderr)
            else:
                import shutil

                shutil.rmtree(workdir, ignore_errors=True)


def scenario_load(args) -> dict:
    with service(args, "load") as (pg, server, users):
        load = Load(server.base_url, users, args.clients, args.timeout)
        started = time.monotonic()
        load.start()
        time.sleep(args.duration)
        load.stop()
        elapsed = time.monotonic() - started
        figures = summarize(load.outcomes, load)
        figures.update(duration_s=round(elapsed, 1), rps=round(len(load.outcomes) / elapsed, 1))
        figures["writes"] = lost_writes(pg, load)
        figures["files"] = orphans(pg, server)
    failures = []
    if figures["5xx"]:
        failures.append(f"{figures['5xx']} responses were 5xx")
    if figures["unanswered"]:
        failures.append(f"{figures['unanswered']} requests got no answer")
    failures += _write_failures(figures)
    return {"figures": figures, "failures": failures}


def _write_failures(figures) -> list[str]:
    writes, files = figures["writes"], figures["files"]
    failures = [f"load client crashed: {crash}" for crash in figures.get("client_crashes", [])]
    if figures["requests"] < 50 or not writes["acknowledged"]:
        failures.append(f"too little load to prove anything ({figures['requests']} requests)")
    if writes["missing"]:
        failures.append(f"{len(writes['missing'])} acknowledged posts lost: {writes['missing'][:5]}")
    if writes["partial"]:
        failures.append(f"{len(writes['partial'])} posts half-written: {writes['partial'][:5]}")
    if writes["duplicated"]:
        failures.append(f"posts written twice: {writes['duplicated'][:5]}")
    if figures.get("bad_201"):
        failures.append(f"201 answers missing photos: {figures['bad_201'][:5]}")
    if files["files_without_row"]:
        failures.append(f"{len(files['files_without_row'])} photo files without a row")
    if files["rows_without_file"]:
        failures.append(f"{len(files['rows_without_file'])} photo rows without their file")
    return failures


def scenario_pg_restart(args) -> dict:
    failures = []
    with service(args, "pg-restart") as (pg, server, users):
        workers_before = worker_pids(server)
        load = Load(server.base_url, users, args.clients, args.timeout)
        started = time.monotonic()
        load.start()
        time.sleep(args.duration / 3)
        down_at = time.monotonic()
        pg.stop("immediate")
        probes = []  # (time, path, status or error, seconds)
        while time.monotonic() - down_at < args.down:
            for path in ("/api/v1/posts/", "/readyz", "/healthz"):
                probes.append(_probe(server, users[0], path, args.timeout))
            time.sleep(0.2)
        pg.start()
        up_at = time.monotonic()
        recovered_at = None
        while time.monotonic() - up_at < args.recovery_limit + 5:
            if _probe(server, users[0], "/api/v1/posts/", args.timeout)[2] == 200 and all(
                _probe(server, users[0], path, args.timeout)[2] == 200 for path in DB_PATHS
            ):
                recovered_at = time.monotonic()
                break
            time.sleep(0.1)
        time.sleep(max(0, args.duration - (time.monotonic() - started)))
        load.stop()
        elapsed = time.monotonic() - started
        workers_after = worker_pids(server)

        down_end = up_at
        during = [o for o in load.outcomes if o.started >= down_at + 0.5 and o.ended <= down_end]
        before = [o for o in load.outcomes if o.ended < down_at]
        after = [o for o in load.outcomes if recovered_at and o.started > recovered_at]
        figures = summarize(load.outcomes, load)
        figures.update(duration_s=round(elapsed, 1), down_s=round(up_at - down_at, 1))
        figures["before"] = summarize(before)
        figures["while_down"] = summarize(during)
        figures["after_recovery"] = summarize(after)
        figures["probes_while_down"] = dict(Counter(f"{p[1]} {p[2]}" for p in probes))
        figures["slowest_answer_while_down_s"] = round(max((o.ended - o.started for o in during), default=0), 3)
        figures["recovery_s"] = round(recovered_at - up_at, 2) if recovered_at else None
        figures["workers_restarted"] = len(workers_before - workers_after)
        figures["5xx_outside_outage"] = figures["before"]["5xx"] + figures["after_recovery"]["5xx"]
        figures["writes"] = lost_writes(pg, load)
        figures["files"] = orphans(pg, server)

    if figures["before"]["5xx"] or figures["before"]["unanswered"]:
        failures.append(f"errors before the fault: {figures['before']['statuses']}")
    wrong = {s: n for s, n in figures["while_down"]["statuses"].items() if s not in ("503", "400", "404")}
    if wrong:
        failures.append(f"while PostgreSQL was down, answers other than 503: {wrong}")
    if figures["slowest_answer_while_down_s"] > args.fail_fast:
        failures.append(
            f"an answer took {figures['slowest_answer_while_down_s']}s while down (limit {args.fail_fast}s)"
        )
    bad_probes = {
        k: n
        for k, n in figures["probes_while_down"].items()
        if k not in ("/api/v1/posts/ 503", "/readyz 503", "/healthz 200")
    }
    if bad_probes:
        failures.append(f"probes while down: {bad_probes}")
    if figures["recovery_s"] is None or figures["recovery_s"] > args.recovery_limit:
        failures.append(f"no recovery within {args.recovery_limit}s of PostgreSQL's return")
    if figures["after_recovery"]["5xx"] or figures["after_recovery"]["unanswered"]:
        failures.append(f"errors after recovery: {figures['after_recovery']['statuses']}")
    if figures["workers_restarted"]:
        failures.append(f"{figures['workers_restarted']} gunicorn workers were restarted")
    failures += _write_failures(figures)
    return {"figures": figures, "failures": failures}


def _probe(server, user, path, timeout):
    started = time.monotonic()
    try:
        status = http(
            "GET", server.base_url + path, headers={"Authorization": f"Bearer {user['access']}"}, timeout=timeout
        ).status
    except OSError as exc:
        status = type(exc).__name__
    return (started, path, status, time.monotonic() - started)


def scenario_sigterm(args) -> dict:
    failures = []
    with service(args, "sigterm") as (pg, server, users):
        load = Load(server.base_url, users, args.clients, args.timeout, slow_uploads=True)
        started = time.monotonic()
        load.start()
        time.sleep(args.duration / 2)
        term_at = time.monotonic()
        server.signal(signal.SIGTERM)
        try:
            exit_code = server.proc.wait(args.graceful_timeout + 10)
        except subprocess.TimeoutExpired:
            exit_code = None
        exited_at = time.monotonic()
        time.sleep(1)
        load.stop()
        figures = summarize(load.outcomes, load)
        in_flight = [o for o in load.outcomes if o.started < term_at < o.ended]
        answered_in_flight = [o for o in in_flight if o.status]
        cut = [o for o in in_flight if o.error in ("IncompleteRead", "RemoteDisconnected") and o.status is None]
        figures.update(
            duration_s=round(exited_at - started, 1),
            exit_code=exit_code,
            shutdown_s=round(exited_at - term_at, 2),
            in_flight_at_sigterm=len(in_flight),
            in_flight_answered=len(answered_in_flight),
            in_flight_statuses=dict(Counter(str(o.status or o.error) for o in in_flight)),
            in_flight_photo_posts_answered=sum(1 for o in answered_in_flight if o.action == "post_photos"),
            refused_after_sigterm=sum(1 for o in load.outcomes if o.started >= term_at and o.status is None),
        )
        figures["writes"] = lost_writes(pg, load)
        figures["files"] = orphans(pg, server)
        # Requests that never got an answer must have left nothing or everything behind.
        unanswered_markers = {o.marker for o in load.outcomes if o.marker and o.status is None}
        figures["unanswered_posts_written"] = len(unanswered_markers & set(_stored_markers(pg)))
    if exit_code != 0:
        failures.append(f"gunicorn exit code {exit_code} after SIGTERM")
    if figures["5xx"]:
        failures.append(f"{figures['5xx']} responses were 5xx")
    before = [o for o in load.outcomes if o.ended < term_at]
    if any(o.status is None for o in before):
        failures.append("requests failed before SIGTERM")
    if cut:
        failures.append(f"{len(cut)} in-flight requests were cut off: {Counter(o.error for o in cut)}")
    if figures["unanswered_posts_written"]:
        failures.append(f"{figures['unanswered_posts_written']} posts were written but their answer was lost")
    if not answered_in_flight:
        failures.append("no request was in flight at SIGTERM: the scenario proved nothing")
    failures += _write_failures(figures)
    return {"figures": figures, "failures": failures}


def _stored_markers(pg):
    return [
        row[0]
        for row in db_rows(pg, "SELECT content FROM posts_post WHERE content LIKE 'load-%' OR content LIKE 'photos-%'")
    ]


SCENARIOS = {"load": scenario_load, "pg-restart": scenario_pg_restart, "sigterm": scenario_sigterm}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", choices=[*SCENARIOS, "all"], default="all")
    parser.add_argument("--duration", type=float, default=30, help="seconds of load per scenario (default 30)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent client threads (default 16)")
    parser.add_argument("--users", type=int, default=6)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--timeout", type=float, default=10, help="client timeout: an answer later is a hang")
    parser.add_argument("--down", type=float, default=5, help="seconds PostgreSQL stays down")
    parser.add_argument("--fail-fast", type=float, default=5, help="slowest acceptable answer while down (s)")
    parser.add_argument("--recovery-limit", type=float, default=10, help="seconds allowed to recover")
    parser.add_argument("--graceful-timeout", type=int, default=30)
    parser.add_argument("--report", type=Path, default=REPO / ".tools" / "reliability" / "reports" / "load_faults.json")
    parser.add_argument("--keep", action="store_true", help="keep the work folders (logs, media)")
    args = parser.parse_args(argv)

    names = list(SCENARIOS) if args.scenario == "all" else [args.scenario]
    results = {}
    for name in names:
        began = time.monotonic()
        result = SCENARIOS[name](args)
        result["wall_s"] = round(time.monotonic() - began, 1)
        results[name] = result
        print(_line(name, result), flush=True)
        for failure in result["failures"]:
            print(f"    FAIL {failure}", flush=True)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(json.dumps(results, indent=2, default=str))
    print(f"report: {args.report}")
    failed = [name for name, result in results.items() if result["failures"]]
    print(f"{len(names) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


def _line(name, result) -> str:
    f = result["figures"]
    w = f["writes"]
    parts = [
        f"{name}: {'ok' if not result['failures'] else 'FAILED'}",
        f"{f['requests']} requests in {f['duration_s']}s",
        f"statuses {f['statuses']}",
        f"5xx {f['5xx']}",
        f"acknowledged posts {w['acknowledged']}, lost {len(w['missing'])}, half-written {len(w['partial'])}",
        f"orphan files {len(f['files']['files_without_row'])}",
    ]
    if "recovery_s" in f:
        parts += [
            f"5xx outside the outage {f['5xx_outside_outage']}",
            f"down {f['down_s']}s: {f['while_down']['statuses']}, slowest {f['slowest_answer_while_down_s']}s",
            f"recovery {f['recovery_s']}s",
            f"workers restarted {f['workers_restarted']}",
        ]
    if "exit_code" in f:
        parts += [
            f"SIGTERM: exit {f['exit_code']} in {f['shutdown_s']}s",
            f"in flight {f['in_flight_at_sigterm']} ({f['in_flight_statuses']}; resets = still queued in the"
            f" listen backlog, none written: {f['unanswered_posts_written'] == 0})",
        ]
    return "; ".join(parts)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
