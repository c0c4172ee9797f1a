"""The benchmark: seeds the data sets, serves the API and the floor with gunicorn, loads them with wrk.

    python -m benchmarks.bench seed [--sets big,small] [--reseed]
    python -m benchmarks.bench run  [--sets small,big] [--scenarios feed_first,...] [--duration 20] ...

`make bench` / `make bench-seed` wrap these (mk/bench.mk); benchmarks/README.md explains the output.
"""

import argparse
import contextlib
import http.client
import json
import os
import secrets
import shutil
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

from benchmarks import report
from benchmarks.common import BENCH_DIR, DATA_SETS, PYTHON, RESULTS_DIR, DataSet, app_env, log, run
from benchmarks.datasets import ensure_seeded
from benchmarks.scenarios import BY_NAME, SCENARIOS, Scenario
from benchmarks.server import Server, WorkerSampler

LUA = BENCH_DIR / "wrk" / "scenario.lua"
DEMO_USERNAME = "demo"
# The password create_dummy_data gives every dummy user (sns/management/commands/create_dummy_data.py).
DEMO_PASSWORD = "demo-password-2024"  # noqa: S105 - dummy data only
FEED_DEPTH = 10
FLOOR_APP = "benchmarks.floor:application"


# --- the data set's actors ------------------------------------------------------------------
def actors_of(data_set: DataSet) -> dict:
    """The users each scenario acts as or looks at, and the watermarks that undo the writes."""
    with psycopg.connect(data_set.url) as conn:

        def one(query, *params):
            return conn.execute(query, params).fetchone()

        demo = one("SELECT id FROM users_user WHERE username = %s", DEMO_USERNAME)[0]
        power_id, power_follows = one(
            "SELECT follower_id, count(*) FROM follows_follow GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1"
        )
        celebrity, celebrity_followers = one(
            "SELECT following_id, count(*) FROM follows_follow GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1"
        )
        # An ordinary author: the median user by id that is none of the above.
        author = one(
            "SELECT id FROM users_user WHERE id NOT IN (%s, %s, %s) ORDER BY id"
            " OFFSET (SELECT count(*) / 2 FROM users_user) LIMIT 1",
            demo,
            power_id,
            celebrity,
        )[0]
        targets = [
            row[0]
            for row in conn.execute(
                "SELECT id FROM users_user u WHERE id <> %s AND NOT EXISTS"
                " (SELECT 1 FROM follows_follow f WHERE f.follower_id = %s AND f.following_id = u.id)"
                " ORDER BY id LIMIT 50",
                (demo, demo),
            )
        ]
        demo_follows = one("SELECT count(*) FROM follows_follow WHERE follower_id = %s", demo)[0]
        return {
            "demo": demo,
            "demo_follows": demo_follows,
            "power": one("SELECT username FROM users_user WHERE id = %s", power_id)[0],
            "power_id": power_id,
            "power_follows": power_follows,
            "celebrity": celebrity,
            "celebrity_followers": celebrity_followers,
            "author": author,
            "follow_targets": targets,
            "watermarks": watermarks(conn),
        }


def watermarks(conn) -> dict:
    return {
        table: conn.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]  # noqa: S608 - fixed names
        for table in ("posts_post", "posts_postimage", "follows_follow")
    }


def undo_writes(data_set: DataSet, marks: dict) -> None:
    """Removes what the write scenarios added, so every run starts from the seeded data."""
    with psycopg.connect(data_set.url, autocommit=True) as conn:
        conn.execute("DELETE FROM posts_postimage WHERE post_id > %s", [marks["posts_post"]])
        conn.execute("DELETE FROM posts_post WHERE id > %s", [marks["posts_post"]])
        conn.execute("DELETE FROM follows_follow WHERE id > %s", [marks["follows_follow"]])
        conn.execute("VACUUM (ANALYZE) posts_post, posts_postimage, follows_follow")


# --- HTTP helpers ---------------------------------------------------------------------------
def call(port: int, method: str, path: str, *, token=None, body=None, content_type="application/json"):
    headers = {"Host": "127.0.0.1", "Accept": "application/json", "X-Forwarded-Proto": "https"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if body is not None:
        headers["Content-Type"] = content_type
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    payload = response.read()
    conn.close()
    return response.status, payload


def login(port: int, username: str) -> str:
    body = json.dumps({"username": username, "password": DEMO_PASSWORD})
    status, payload = call(port, "POST", "/api/v1/auth/token/", body=body)
    if status != 200:
        raise RuntimeError(f"login as {username} answered {status}: {payload[:300]!r}")
    return json.loads(payload)["access"]


def page_path(port: int, token: str, path: str, depth: int) -> str:
    """The path of page `depth` of a list, following `next` links as a client would."""
    for _ in range(depth - 1):
        status, payload = call(port, "GET", path, token=token)
        next_link = json.loads(payload)["next"] if status == 200 else None
        if not next_link:
            raise RuntimeError(f"{path}: no page {depth} (status {status})")
        parts = urlsplit(next_link)
        path = f"{parts.path}?{parts.query}"
    return path


def make_jpeg(path: Path) -> None:
    """A photo-like 2000x1500 JPEG (gradients and grain; same bytes every run)."""
    run(
        [
            PYTHON,
            "-c",
            "import sys\n"
            "from PIL import Image, ImageChops\n"
            "w, h = 2000, 1500\n"
            "r = Image.linear_gradient('L').resize((w, h))\n"
            "g = Image.radial_gradient('L').resize((w, h))\n"
            "b = ImageChops.add(Image.effect_noise((w, h), 40), r.rotate(90).resize((w, h)), 2)\n"
            "Image.merge('RGB', (r, g, b)).save(sys.argv[1], 'JPEG', quality=90)\n",
            str(path),
        ]
    )


# --- one scenario under wrk -----------------------------------------------------------------
def wrk(port: int, env: dict, *, duration: int, connections: int, threads: int) -> dict:
    args = [
        "wrk",
        f"-t{threads}",
        f"-c{max(connections, threads)}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
        f"http://127.0.0.1:{port}",
    ]
    result = run(
        args, env={**os.environ, **env, "BENCH_THREADS": str(threads)}, capture_output=True, text=True, check=False
    )
    for line in result.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line.removeprefix("BENCH_JSON "))
    raise RuntimeError(f"wrk exited {result.returncode} without a result:\n{result.stdout}\n{result.stderr}")


def summarize(raw: dict) -> dict:
    seconds = raw["duration_us"] / 1e6
    latency = raw["latency_us"]
    errors = raw["connect_errors"] + raw["read_errors"] + raw["write_errors"] + raw["timeouts"]
    errors += raw["unexpected_status"]
    return {
        "requests": raw["requests"],
        "rps": round(raw["requests"] / seconds, 1) if seconds else 0.0,
        "p50_ms": latency["p50"] / 1000,
        "p90_ms": latency["p90"] / 1000,
        "p95_ms": latency["p95"] / 1000,
        "p99_ms": latency["p99"] / 1000,
        "max_ms": latency["max"] / 1000,
        "errors": errors,
        "error_detail": {
            key: raw[key]
            for key in ("connect_errors", "read_errors", "write_errors", "timeouts", "unexpected_status")
            if raw[key]
        }
        | ({"first_unexpected_status": raw["first_unexpected_status"]} if raw["unexpected_status"] else {}),
    }


def loadavg() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


class Context:
    """Everything a scenario needs on one data set: tokens, actors, the JPEG, the options."""

    def __init__(self, options, data_set, actors, tokens, paths, jpeg):
        self.options, self.data_set, self.actors = options, data_set, actors
        self.tokens, self.paths, self.jpeg = tokens, paths, jpeg

    def wrk_env(self, scenario: Scenario) -> dict:
        return {
            "BENCH_MODE": scenario.mode,
            "BENCH_PATH": self.paths.get(scenario.name, ""),
            "BENCH_TOKEN": self.tokens[scenario.actor],
            "BENCH_EXPECT": scenario.expect,
            "BENCH_BODY": json.dumps({"content": "Written by the benchmark, one of many."}),
            "BENCH_IMAGE": str(self.jpeg),
            "BENCH_TARGETS": ",".join(str(target) for target in self.actors["follow_targets"]),
        }


def measure(server: Server, ctx: Context, scenario: Scenario, target: str = "api") -> dict:
    options, env = ctx.options, ctx.wrk_env(scenario)
    if options.warmup > 0:
        wrk(server.port, env, duration=options.warmup, connections=options.connections, threads=options.threads)
    load_before = loadavg()
    with WorkerSampler(server.process.pid) as sampler:
        raw = wrk(server.port, env, duration=options.duration, connections=options.connections, threads=options.threads)
    result = summarize(raw) | {
        "worker_peak_rss_mb": round(sampler.peak_kb / 1024, 1),
        "worker_cpu_ms_per_request": round(1000 * sampler.cpu_seconds / raw["requests"], 2)
        if raw["requests"]
        else None,
        "worker_pids_seen": len(sampler.pids),
        "load_before": load_before,
        "load_after": loadavg(),
    }
    log(
        f"  {target:<5} {ctx.data_set.name:<5} {scenario.name:<16} {result['rps']:>7.1f} req/s"
        f"  p50 {result['p50_ms']:.1f} ms"
        f"  p99 {result['p99_ms']:.1f} ms  errors {result['errors']}  rss {result['worker_peak_rss_mb']} MB"
        f"  cpu {result['worker_cpu_ms_per_request']} ms/req"
    )
    return result


# --- preflight: every scenario answers as expected once before it is loaded ------------------
def preflight(port: int, ctx: Context, scenario: Scenario) -> dict:
    token = ctx.tokens[scenario.actor]
    if scenario.mode == "follow_unfollow":
        target = ctx.actors["follow_targets"][0]
        for method, codes in (("POST", (200, 201)), ("DELETE", (204,))):
            status, payload = call(port, method, f"/api/v1/users/{target}/follow/", token=token)
            if status not in codes:
                raise RuntimeError(f"{scenario.name}: {method} answered {status}: {payload[:300]!r}")
        return {}
    body, content_type = None, "application/json"
    if scenario.mode == "post_json":
        body = json.dumps({"content": "Preflight"})
    elif scenario.mode == "post_image":
        boundary = "preflight-boundary"
        content_type = f"multipart/form-data; boundary={boundary}"
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="images"; filename="a.jpg"\r\n'
                f"Content-Type: image/jpeg\r\n\r\n"
            ).encode()
            + ctx.jpeg.read_bytes()
            + f"\r\n--{boundary}--\r\n".encode()
        )
    status, payload = call(
        port, scenario.method, ctx.paths[scenario.name], token=token, body=body, content_type=content_type
    )
    if str(status) not in scenario.expect.split(","):
        raise RuntimeError(f"{scenario.name}: {scenario.method} answered {status}: {payload[:300]!r}")
    if scenario.is_list:
        results = json.loads(payload)["results"]
        if not results:
            raise RuntimeError(f"{scenario.name}: empty list; the data set is not what the benchmark expects")
        return {"ids": [item["id"] for item in results], "rows": len(results)}
    return {}


def query_counts(ctx: Context, scenarios: list[Scenario], workdir: Path, secret: str) -> dict:
    spec = {}
    for scenario in scenarios:
        base = {
            "mode": scenario.mode,
            "method": scenario.method,
            "path": ctx.paths.get(scenario.name, ""),
            "token": ctx.tokens[scenario.actor],
            "expect": scenario.expect,
            "body": {"content": "Counted."},
            "image": str(ctx.jpeg),
        }
        if scenario.is_list:
            joiner = "&" if "?" in base["path"] else "?"
            largest = {**base, "path": f"{base['path']}{joiner}page_size=100"}
            spec[scenario.name] = {"page_20": base, "page_100": largest}
        elif scenario.mode == "follow_unfollow":
            path = f"/api/v1/users/{ctx.actors['follow_targets'][0]}/follow/"
            spec[scenario.name] = {
                "follow": {**base, "method": "POST", "path": path, "expect": "200,201"},
                "unfollow": {**base, "method": "DELETE", "path": path, "expect": "204"},
            }
        else:
            spec[scenario.name] = {"request": base}
    spec_path = workdir / "querycount.json"
    spec_path.write_text(json.dumps(spec))
    env = app_env(ctx.data_set, secret, MEDIA_ROOT=str(workdir / "media"), LOG_LEVEL="WARNING")
    result = run([PYTHON, "-m", "benchmarks.querycount", str(spec_path)], env=env, capture_output=True, text=True)
    return json.loads(result.stdout)


# --- the data sets, measured side by side -----------------------------------------------------
class SetRun:
    """One data set in a run: its database, secret, actors, servers' environment and results."""

    def __init__(self, options, data_set: DataSet, index: int, workdir: Path, jpeg: Path):
        self.options, self.data_set, self.workdir, self.jpeg = options, data_set, workdir, jpeg
        # Each set has its own API and floor ports, so the sets' servers can run at the same time.
        self.port, self.floor_port = options.port + 2 * index, options.floor_port + 2 * index
        self.secret = secrets.token_urlsafe(48)
        self.seeded = ensure_seeded(data_set, secret=self.secret, reseed=options.reseed)
        self.actors = actors_of(data_set)
        log(
            f"{data_set.name}: {self.seeded['users']} users, {self.seeded['posts']} posts,"
            f" {self.seeded['follows']} follows; demo follows {self.actors['demo_follows']},"
            f" {self.actors['power']} follows {self.actors['power_follows']},"
            f" user {self.actors['celebrity']} has {self.actors['celebrity_followers']} followers"
        )
        self.media = workdir / f"media-{data_set.name}"
        metrics_dir = workdir / f"prometheus-{data_set.name}"
        metrics_dir.mkdir(exist_ok=True)
        self.env = app_env(data_set, self.secret, MEDIA_ROOT=str(self.media), PROMETHEUS_MULTIPROC_DIR=str(metrics_dir))
        actors = {k: v for k, v in self.actors.items() if k != "follow_targets"}
        self.out = {"seed": self.seeded, "actors": actors, "api": {}}
        self.ctx = self.checks = self.counts = None

    def api_server(self) -> Server:
        log_path = self.workdir / f"api-{self.data_set.name}.log"
        return Server("config.wsgi:application", self.port, self.env, log_path, self.options.gunicorn_arg)

    def floor_server(self) -> Server:
        log_path = self.workdir / f"floor-{self.data_set.name}.log"
        return Server(FLOOR_APP, self.floor_port, self.env, log_path, self.options.gunicorn_arg)

    def prepare(self, scenarios: list[Scenario]) -> None:
        """Tokens, paths, one preflight request per scenario and the SQL query counts."""
        tokens = {"demo": login(self.port, DEMO_USERNAME), "power": login(self.port, self.actors["power"])}
        paths = {s.name: s.path.format(**self.actors, feed_page_10="") for s in scenarios if s.path}
        if "feed_deep" in paths:
            paths["feed_deep"] = page_path(self.port, tokens["demo"], "/api/v1/feed/", FEED_DEPTH)
        self.ctx = Context(self.options, self.data_set, self.actors, tokens, paths, self.jpeg)
        self.checks = {s.name: preflight(self.port, self.ctx, s) for s in scenarios}
        self.counts = query_counts(self.ctx, scenarios, self.workdir, self.secret)

    def undo(self) -> None:
        undo_writes(self.data_set, self.actors["watermarks"])
        shutil.rmtree(self.media, ignore_errors=True)


def bench_sets(options, runs: list[SetRun], scenarios: list[Scenario]) -> None:
    """Every scenario on every set back to back, so the sets are compared under the same conditions."""
    try:
        with contextlib.ExitStack() as stack:
            servers = {run.data_set.name: stack.enter_context(run.api_server()) for run in runs}
            for run in runs:
                run.prepare(scenarios)
            for scenario in scenarios:
                for run in runs:
                    run.out["api"][scenario.name] = measure(servers[run.data_set.name], run.ctx, scenario) | {
                        "queries": run.counts[scenario.name],
                        "rows": run.checks[scenario.name].get("rows"),
                    }
    finally:
        for run in runs:
            run.undo()
    twins = [s for s in scenarios if s.floor_twin]
    if not twins or options.no_floor:
        return
    with contextlib.ExitStack() as stack:
        servers = {run.data_set.name: stack.enter_context(run.floor_server()) for run in runs}
        for scenario in twins:
            for run in runs:
                floor_check = preflight(run.floor_port, run.ctx, scenario)
                if floor_check["ids"] != run.checks[scenario.name]["ids"]:
                    raise RuntimeError(f"the floor's {scenario.name} differs from the API's on {run.data_set.name}")
                result = measure(servers[run.data_set.name], run.ctx, scenario, target="floor")
                run.out.setdefault("floor", {})[scenario.name] = result | {"queries": {"page_20": 1, "page_100": 1}}


def machine() -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line), "unknown")
    mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    with psycopg.connect(f"{DATA_SETS['small'].url.rsplit('/', 1)[0]}/postgres") as conn:
        pg = conn.execute("SHOW server_version").fetchone()[0]
        shared_buffers = conn.execute("SHOW shared_buffers").fetchone()[0]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(mem_kb / 2**20, 1),
        "postgresql": pg,
        "shared_buffers": shared_buffers,
        "wrk": run(["wrk", "--version"], capture_output=True, text=True, check=False).stdout.splitlines()[0],
    }


def gunicorn_settings(options) -> str:
    """What differs from gunicorn.conf.py's defaults in this run."""
    changed = [f"{k}={v}" for k, v in sorted(os.environ.items()) if k.startswith("GUNICORN_")]
    return " ".join(changed + options.gunicorn_arg) or "gunicorn.conf.py defaults"


def cmd_run(options) -> None:
    names = [name.strip() for name in options.sets.split(",") if name.strip()]
    scenarios = SCENARIOS if options.scenarios == "all" else [BY_NAME[n.strip()] for n in options.scenarios.split(",")]
    started = time.time()
    results = {
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "machine": machine() | {"load_at_start": Path("/proc/loadavg").read_text().split()[:3]},
        "options": {
            "duration_s": options.duration,
            "warmup_s": options.warmup,
            "connections": options.connections,
            "wrk_threads": options.threads,
            "gunicorn": gunicorn_settings(options),
        },
        "scenarios": {s.name: s.title for s in scenarios},
        "sets": {},
    }
    workdir = Path(tempfile.mkdtemp(prefix="sns-bench-"))
    log(f"work files and server logs: {workdir}")
    jpeg = workdir / "bench-2000x1500.jpg"
    make_jpeg(jpeg)
    runs = [SetRun(options, DATA_SETS[name], index, workdir, jpeg) for index, name in enumerate(names)]
    bench_sets(options, runs, scenarios)
    results["sets"] = {run.data_set.name: run.out for run in runs}
    results["finished_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    results["machine"]["load_at_end"] = Path("/proc/loadavg").read_text().split()[:3]
    RESULTS_DIR.mkdir(exist_ok=True)
    json_path = RESULTS_DIR / f"{options.label}.json"
    json_path.write_text(json.dumps(results, indent=2) + "\n")
    table = report.markdown(results)
    (RESULTS_DIR / f"{options.label}.md").write_text(table)
    print(table)
    log(f"wrote {json_path} and {json_path.with_suffix('.md')}")
    if not options.keep_workdir:
        shutil.rmtree(workdir, ignore_errors=True)


def cmd_seed(options) -> None:
    for name in options.sets.split(","):
        info = ensure_seeded(DATA_SETS[name.strip()], secret=secrets.token_urlsafe(48), reseed=options.reseed)
        print(json.dumps({name: info}))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    seed = commands.add_parser("seed", help="seed the data sets (reused unless --reseed)")
    seed.add_argument("--sets", default="big,small")
    seed.add_argument("--reseed", action="store_true")
    bench = commands.add_parser("run", help="run the scenarios and write benchmarks/results/LABEL.{json,md}")
    bench.add_argument("--sets", default="small,big", help="data sets, in order (default small,big)")
    bench.add_argument("--scenarios", default="all", help=f"comma list of: {', '.join(BY_NAME)}")
    bench.add_argument("--duration", type=int, default=20, help="seconds of load per scenario (default 20)")
    bench.add_argument("--warmup", type=int, default=3, help="unmeasured seconds before each (default 3)")
    bench.add_argument("--connections", type=int, default=10, help="concurrent connections (default 10)")
    bench.add_argument("--threads", type=int, default=1, help="wrk threads (default 1: leave the CPUs to the server)")
    bench.add_argument("--port", type=int, default=18080)
    bench.add_argument("--floor-port", type=int, default=18081)
    bench.add_argument("--label", default="latest", help="results file name (default latest)")
    bench.add_argument("--reseed", action="store_true")
    bench.add_argument("--no-floor", action="store_true")
    bench.add_argument(
        "--gunicorn-arg",
        action="append",
        default=[],
        help="extra gunicorn option for both servers, e.g. --gunicorn-arg=--preload (repeatable)",
    )
    bench.add_argument("--keep-workdir", action="store_true", help="keep server logs and the JPEG")
    options = parser.parse_args(argv)
    {"seed": cmd_seed, "run": cmd_run}[options.command](options)


if __name__ == "__main__":
    main()
