"""Wait until Django's database answers a query, or give up after a bounded time.

Used by docker/entrypoint.sh before migrations and gunicorn. Exit status 0 when
the database answered, 1 when it did not within --timeout seconds. A settings or
configuration error is raised at once rather than retried.

    python docker/wait_for_db.py --timeout 60
"""

import argparse
import os
import sys
import time
from pathlib import Path

APP_DIR = Path(__file__).resolve().parent.parent
# Each attempt is bounded too, so an address that drops packets cannot hang it.
MAX_CONNECT_TIMEOUT = 5


def _parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--timeout",
        type=float,
        default=float(os.environ.get("DB_WAIT_TIMEOUT", "60")),
        help="seconds to keep trying (default: DB_WAIT_TIMEOUT or 60)",
    )
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between attempts")
    parser.add_argument("--database", default="default", help="database alias")
    return parser.parse_args(argv)


def _log(message):
    print(f"wait_for_db: {message}", file=sys.stderr, flush=True)


def wait_for_db(alias, timeout, interval):
    import django
    from django.db import Error as DatabaseError
    from django.db import connections

    django.setup()
    connection = connections[alias]
    deadline = time.monotonic() + timeout
    attempt = 0
    while True:
        attempt += 1
        remaining = deadline - time.monotonic()
        if connection.vendor == "postgresql":
            options = connection.settings_dict.setdefault("OPTIONS", {})
            options["connect_timeout"] = max(1, min(MAX_CONNECT_TIMEOUT, round(remaining)))
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except DatabaseError as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                _log(f"gave up after {attempt} attempts in {timeout:g}s: {reason}")
                return False
            _log(f"database not ready (attempt {attempt}): {reason}")
            time.sleep(min(interval, remaining))
        else:
            _log(f"database ready after {attempt} attempt(s)")
            return True
        finally:
            connection.close()


def main(argv=None):
    args = _parse_args(argv)
    sys.path.insert(0, str(APP_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    return 0 if wait_for_db(args.database, args.timeout, args.interval) else 1


if __name__ == "__main__":
    sys.exit(main())
