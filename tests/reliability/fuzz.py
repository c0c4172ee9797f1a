"""schemathesis (v4) against the running service's own /api/schema/: every operation, every check.

    .venv/bin/python tests/reliability/fuzz.py [--max-examples 20] [--max-time 150] [--phases ...]

Starts a private PostgreSQL (initdb, own port) and gunicorn with production settings on loopback,
seeds it, registers a user and passes its bearer token to schemathesis. Bounded by examples per
operation and a time budget so it fits CI. Exit status: schemathesis's (0 = no failure).
Its working files (.hypothesis, reports) go to a temporary folder, not the repository.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stack import REPO, AppServer, PrivatePostgres, register_and_login

DEFAULT_SCHEMATHESIS = REPO / ".tools" / "reliability" / "bin" / "schemathesis"
# Where a schema-valid request may still meet a business rule's 400 (weak password, own follow...).
CONFIG = Path(__file__).resolve().parent / "schemathesis.toml"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schemathesis", default=os.environ.get("SCHEMATHESIS", str(DEFAULT_SCHEMATHESIS)))
    parser.add_argument("--max-examples", type=int, default=20, help="test cases per operation and phase")
    parser.add_argument("--max-time", type=int, default=150, help="seconds for the whole run")
    # No stateful phase: it chains operations (a post, then a photo on it) and ignores the per-operation
    # settings of schemathesis.toml, so it reports multipart form values (always text) as accepted
    # type violations. Every operation still gets positive and negative data from the other phases.
    parser.add_argument("--phases", default="examples,coverage,fuzzing")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--report-dir", type=Path, default=REPO / ".tools" / "reliability" / "reports" / "schemathesis")
    args, extra = parser.parse_known_args(argv)

    if not Path(args.schemathesis).exists():
        print(f"schemathesis not found at {args.schemathesis}: run `make -f mk/reliability.mk` tools first")
        return 2
    started = time.monotonic()
    with PrivatePostgres() as pg, tempfile.TemporaryDirectory(prefix="sns-fuzz-") as folder:
        server = AppServer(pg.create_database("sns"), Path(folder) / "app", workers=args.workers)
        server.prepare(seed=True)
        server.start()
        try:
            user = register_and_login(server.base_url, "fuzzer")
            command = [
                args.schemathesis,
                "--config-file",
                str(CONFIG),
                "run",
                f"{server.base_url}/api/schema/",
                "--checks",
                "all",
                "--header",
                f"Authorization: Bearer {user['access']}",
                "--header",
                "Host: 127.0.0.1",
                "--max-examples",
                str(args.max_examples),
                "--max-time",
                str(args.max_time),
                "--phases",
                args.phases,
                "--seed",
                str(args.seed),
                # One schemathesis worker: CPython 3.11's ast.parse is not thread-safe, and hypothesis
                # parses lambdas while describing strategies ("AST constructor recursion depth mismatch").
                "--workers",
                "1",
                "--request-timeout",
                "20",
                "--suppress-health-check",
                "all",
                "--report",
                "junit",
                "--report-dir",
                str(args.report_dir),
                *extra,
            ]
            print(
                "$ " + " ".join(c if "Bearer" not in c else "'Authorization: Bearer ***'" for c in command), flush=True
            )
            env = {**os.environ, "SCHEMATHESIS_HOOKS": "", "NO_COLOR": "1"}
            result = subprocess.run(command, cwd=folder, env=env, check=False)
        finally:
            server.stop()
        errors = [
            line for line in server.log_text().splitlines() if '"level": "ERROR"' in line and "/readyz" not in line
        ]
        if errors:
            print(f"\n{len(errors)} server errors in gunicorn's log, first:\n{errors[0][:3000]}")
    print(f"fuzz: schemathesis exit {result.returncode} in {time.monotonic() - started:.0f}s")
    return result.returncode or (1 if errors else 0)


if __name__ == "__main__":
    sys.exit(main())
