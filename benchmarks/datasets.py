"""Seeds each data set into its own PostgreSQL database once; later runs reuse it.

A database counts as seeded only when its comment carries the data set's fingerprint, written
after `create_dummy_data` and `VACUUM ANALYZE` finished, so an interrupted seed is redone.
"""

import json
import time

import psycopg
from psycopg import sql

from benchmarks.common import PG_ADMIN_URL, PYTHON, DataSet, app_env, log, run


def _admin():
    return psycopg.connect(f"{PG_ADMIN_URL}/postgres", autocommit=True)


def seeded_info(data_set: DataSet) -> dict | None:
    """What the last complete seed recorded (sizes, seconds), or None if the database needs seeding."""
    with _admin() as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [data_set.database],
        ).fetchone()
    if not row or not row[0]:
        return None
    fingerprint, _, payload = row[0].partition(" | ")
    if fingerprint != data_set.fingerprint:
        return None
    try:
        return json.loads(payload)
    except ValueError:
        return None


def migrate(data_set: DataSet, secret: str) -> None:
    """Brings the schema to the code's (a new index reaches a reused database too), then fresh statistics."""
    run([PYTHON, "manage.py", "migrate", "--noinput", "--verbosity", "0"], env=app_env(data_set, secret))
    with psycopg.connect(data_set.url, autocommit=True) as conn:
        conn.execute("ANALYZE")


def ensure_seeded(data_set: DataSet, *, secret: str, reseed: bool = False) -> dict:
    info = None if reseed else seeded_info(data_set)
    if info is not None:
        log(f"{data_set.database}: already seeded ({data_set.fingerprint}), reused; applying new migrations")
        migrate(data_set, secret)
        return {**info, "reused": True}
    return seed(data_set, secret=secret)


def seed(data_set: DataSet, *, secret: str) -> dict:
    log(f"{data_set.database}: (re)creating and seeding: {data_set.fingerprint}")
    name = sql.Identifier(data_set.database)
    with _admin() as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
    env = app_env(data_set, secret)
    timings = {}

    started = time.monotonic()
    migrate(data_set, secret)
    timings["migrate_s"] = round(time.monotonic() - started, 1)

    started = time.monotonic()
    run([PYTHON, "manage.py", "create_dummy_data", *data_set.seed_args()], env=env)
    timings["create_dummy_data_s"] = round(time.monotonic() - started, 1)

    # Fresh statistics and a visibility map, as a long-lived database has; without them the first
    # scenarios would race autovacuum and the planner would guess.
    started = time.monotonic()
    with psycopg.connect(data_set.url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
        counts = conn.execute(
            "SELECT (SELECT count(*) FROM users_user), (SELECT count(*) FROM posts_post),"
            " (SELECT count(*) FROM posts_post WHERE is_hidden), (SELECT count(*) FROM follows_follow),"
            " pg_database_size(current_database())"
        ).fetchone()
    timings["vacuum_analyze_s"] = round(time.monotonic() - started, 1)

    info = {
        **timings,
        "users": counts[0],
        "posts": counts[1],
        "hidden_posts": counts[2],
        "follows": counts[3],
        "database_mb": round(counts[4] / 2**20),
        "seeded_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    comment = f"{data_set.fingerprint} | {json.dumps(info)}"
    with _admin() as conn:
        conn.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(name, sql.Literal(comment)))
    log(f"{data_set.database}: seeded: {info}")
    return {**info, "reused": False}
