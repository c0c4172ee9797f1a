"""SQL queries per request: each scenario once through Django's test client, queries captured.

Run by bench.py with the app's production environment (same database, same settings):

    python -m benchmarks.querycount SPEC.json   ->  prints {"scenario": {"page_20": n, "page_100": m}, ...}

Lists are counted at the default page size and at the largest (100): a constant count is the
proof of no N+1. The JWT authentication's user lookup is included, as it runs on every request.
"""

import json
import sys

import django


def _count(client, connection, request: dict) -> tuple[int, int]:
    from django.test.utils import CaptureQueriesContext

    headers = {"HTTP_AUTHORIZATION": f"Bearer {request['token']}", "HTTP_X_FORWARDED_PROTO": "https"}
    with CaptureQueriesContext(connection) as captured:
        if request["mode"] == "post_image":
            with open(request["image"], "rb") as jpeg:
                response = client.post(request["path"], {"content": "A photo", "images": [jpeg]}, **headers)
        elif request["mode"] == "post_json":
            response = client.post(request["path"], request["body"], content_type="application/json", **headers)
        else:
            response = client.generic(request["method"], request["path"], **headers)
    return response.status_code, len(captured.captured_queries)


def main(spec_path: str) -> None:
    django.setup()
    from django.db import connection
    from django.test import Client

    with open(spec_path, encoding="utf-8") as handle:
        spec = json.load(handle)
    client = Client(HTTP_HOST="127.0.0.1")
    counts = {}
    for name, requests in spec.items():
        counts[name] = {}
        for label, request in requests.items():
            status, queries = _count(client, connection, request)
            if str(status) not in request["expect"].split(","):
                raise SystemExit(f"{name} {label}: {request['method']} {request['path']} answered {status}")
            counts[name][label] = queries
    json.dump(counts, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
