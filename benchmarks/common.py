"""Paths, data set sizes and the environment every benchmark process shares."""

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "benchmarks"
RESULTS_DIR = BENCH_DIR / "results"
PYTHON = os.environ.get("BENCH_APP_PYTHON") or str(ROOT / ".venv" / "bin" / "python")
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")


@dataclass(frozen=True)
class DataSet:
    """One seeded database; `big` is the issue's scale, `small` is 1/100 of it."""

    name: str
    users: int
    posts_per_user: int
    follows_per_user: int
    hidden_ratio: float = 0.05
    seed: int = 42

    @property
    def database(self) -> str:
        return f"sns_bench_{self.name}"

    @property
    def url(self) -> str:
        return f"{PG_ADMIN_URL}/{self.database}"

    @property
    def fingerprint(self) -> str:
        """Written as the database's comment once seeding finished: a half-seeded database has none."""
        return (
            f"sns-bench users={self.users} posts_per_user={self.posts_per_user} "
            f"follows_per_user={self.follows_per_user} hidden_ratio={self.hidden_ratio} seed={self.seed}"
        )

    def seed_args(self) -> list[str]:
        return [
            "--users",
            str(self.users),
            "--posts-per-user",
            str(self.posts_per_user),
            "--follows-per-user",
            str(self.follows_per_user),
            "--hidden-ratio",
            str(self.hidden_ratio),
            "--seed",
            str(self.seed),
        ]


# 10,000 users x 100 posts = 1,000,000 posts; 48 random follows each plus the command's skew
# (5 accounts followed by a fifth of users, 3 users following 5,000) = about 505,000 follows.
DATA_SETS = {
    "big": DataSet("big", users=10_000, posts_per_user=100, follows_per_user=48),
    "small": DataSet("small", users=100, posts_per_user=100, follows_per_user=48),
}


def app_env(data_set: DataSet, secret: str, **extra: str) -> dict[str, str]:
    """The app's environment as deployed (production settings), pointed at a bench database."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "GUNICORN_", "DATABASE_", "SNS_", "AWS_", "SENTRY_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secret,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=data_set.url,
        REDIS_URL=REDIS_URL,
        THROTTLE_ENABLED="false",
        # Tokens fetched once at the start must outlive every scenario of the run.
        JWT_ACCESS_MINUTES="240",
        LOG_LEVEL=os.environ.get("LOG_LEVEL", "INFO").upper(),  # Django wants upper case
        PYTHONDONTWRITEBYTECODE="1",
    )
    # Gunicorn knobs given to `make bench` (GUNICORN_WORKERS=3 ...) reach both servers alike.
    env.update({key: value for key, value in os.environ.items() if key.startswith("GUNICORN_")})
    env.update(extra)
    return env


def run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Runs a fixed command of the harness (never shell, never user-supplied strings)."""
    kwargs.setdefault("check", True)
    return subprocess.run(args, cwd=kwargs.pop("cwd", ROOT), **kwargs)  # noqa: S603


def popen(args: list[str], **kwargs) -> subprocess.Popen:
    return subprocess.Popen(args, cwd=kwargs.pop("cwd", ROOT), **kwargs)  # noqa: S603


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)
