"""The floor: the feed's first page and the user list with hand-written SQL, raw psycopg and json.

A WSGI app with nothing between the socket and the database but gunicorn: no framework, no ORM,
no middleware. Served by the same gunicorn config as the API, it is what this stack can do at
best on this machine, so each API twin is reported as a share of its requests/s.

It does the work a correct answer needs and nothing else: verifies the JWT (HS256 with the
app's secret, expiry, token type), checks the requester is active, applies the visibility rule,
returns the same JSON shape as the API (cursor, `next`, a `Link` header) in ONE query per request
(photos aggregated with json_agg) over a persistent connection with prepared statements.

    DATABASE_URL=... DJANGO_SECRET_KEY=... gunicorn -c gunicorn.conf.py benchmarks.floor:application
"""

import base64
import hashlib
import hmac
import json
import os
import threading
import time
from datetime import datetime
from urllib.parse import parse_qs, urlencode

import psycopg

SECRET = os.environ.get("DJANGO_SECRET_KEY", "").encode()
DATABASE_URL = os.environ.get("DATABASE_URL", "")
PAGE_SIZE, MAX_PAGE_SIZE = 20, 100

_local = threading.local()


# Nobody follows themselves (a check constraint), so the feed never holds the requester's own
# hidden posts: `NOT is_hidden` is the whole visibility rule here. The EXISTS is the check
# JWTAuthentication makes: the requester still exists and is active. The page is found first with
# the newest `window` posts of each followed user (an index range each, merged), and only its
# rows are then joined to their authors and photos.
FEED_SQL = """
WITH page AS MATERIALIZED (
    SELECT p.id, p.created_date
      FROM follows_follow f
     CROSS JOIN LATERAL (
            SELECT p.id, p.created_date FROM posts_post p
             WHERE p.user_id = f.following_id AND NOT p.is_hidden AND p.created_date < %(before)s
             ORDER BY p.created_date DESC, p.id DESC
             LIMIT %(window)s) p
     WHERE f.follower_id = %(me)s AND EXISTS (SELECT 1 FROM users_user r WHERE r.id = %(me)s AND r.is_active)
     ORDER BY p.created_date DESC, p.id DESC
     LIMIT %(limit)s OFFSET %(offset)s)
SELECT p.id, p.content, p.is_hidden, p.created_date, p.updated_date, u.id, u.username, u.display_name,
       (SELECT json_agg(json_build_array(i.id, i.file, i.thumbnail, i.width, i.height, i.alt_text) ORDER BY i.id)
          FROM posts_postimage i WHERE i.post_id = p.id)
  FROM page JOIN posts_post p ON p.id = page.id JOIN users_user u ON u.id = p.user_id
 ORDER BY page.created_date DESC, page.id DESC
"""

USERS_SQL = """
SELECT u.id, u.username, u.display_name, u.bio,
       (SELECT count(*) FROM follows_follow f WHERE f.following_id = u.id),
       (SELECT count(*) FROM follows_follow f WHERE f.follower_id = u.id),
       (SELECT count(*) FROM posts_post p WHERE p.user_id = u.id AND NOT p.is_hidden),
       EXISTS (SELECT 1 FROM follows_follow f WHERE f.follower_id = %(me)s AND f.following_id = u.id),
       EXISTS (SELECT 1 FROM follows_follow f WHERE f.follower_id = u.id AND f.following_id = %(me)s)
  FROM users_user u
 WHERE u.id <> %(me)s AND u.id < %(before)s AND EXISTS (SELECT 1 FROM users_user r WHERE r.id = %(me)s AND r.is_active)
 ORDER BY u.id DESC
 LIMIT %(limit)s
"""

FAR_FUTURE = datetime.fromisoformat("9999-12-31T00:00:00+00:00")


def _conn():
    conn = getattr(_local, "conn", None)
    if conn is None or conn.closed:
        conn = _local.conn = psycopg.connect(DATABASE_URL, autocommit=True)
    return conn


def _b64url_decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def requester_id(environ) -> int | None:
    """The user id of a valid, unexpired HS256 access token, as simplejwt issues them."""
    header = environ.get("HTTP_AUTHORIZATION", "")
    if not header.startswith("Bearer "):
        return None
    try:
        head, payload, signature = header[7:].split(".")
        expected = hmac.new(SECRET, f"{head}.{payload}".encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _b64url_decode(signature)):
            return None
        if json.loads(_b64url_decode(head)).get("alg") != "HS256":
            return None
        claims = json.loads(_b64url_decode(payload))
        if claims.get("token_type") != "access" or claims.get("exp", 0) < time.time():
            return None
        return int(claims["user_id"])
    except (ValueError, KeyError, TypeError):
        return None


def _iso(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def _image_url(name: str, viewer: int, base: str) -> str:
    # Stands in for the app's signed media URL: one HMAC per URL, as the app computes.
    token = hmac.new(SECRET, f"{name}|{viewer}".encode(), hashlib.sha256).hexdigest()
    return f"{base}/media/{name}?token={token}"


def _page_size(query) -> int:
    size = int(query.get("page_size", [PAGE_SIZE])[0])
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise ValueError("page_size")
    return size


def _cursor(query) -> tuple[str | None, int]:
    """DRF's cursor format: base64 of `p=<position>&o=<offset>`."""
    raw = query.get("cursor", [None])[0]
    if raw is None:
        return None, 0
    tokens = parse_qs(base64.b64decode(raw.encode("ascii")).decode("ascii"))
    return tokens.get("p", [None])[0], int(tokens.get("o", ["0"])[0])


def _link(base: str, path: str, query, position, offset: int = 0) -> str:
    fields = {"p": position}
    if offset:
        fields["o"] = offset
    cursor = base64.b64encode(urlencode(fields).encode("ascii")).decode("ascii")
    params = {key: values[0] for key, values in query.items() if key != "cursor"}
    return f"{base}{path}?{urlencode({**params, 'cursor': cursor})}"


def feed(me: int, query, base: str):
    size = _page_size(query)
    position, offset = _cursor(query)
    before = datetime.fromisoformat(position.replace("Z", "+00:00")) if position else FAR_FUTURE
    rows = (
        _conn()
        .execute(
            FEED_SQL, {"me": me, "before": before, "window": size + 1 + offset, "limit": size + 1, "offset": offset}
        )
        .fetchall()
    )
    results = [
        {
            "id": row[0],
            "author": {"id": row[5], "username": row[6], "display_name": row[7]},
            "content": row[1],
            "is_hidden": row[2],
            "images": [
                {
                    "id": image[0],
                    "url": _image_url(image[1], me, base),
                    "thumbnail_url": _image_url(image[2], me, base),
                    "width": image[3],
                    "height": image[4],
                    "alt_text": image[5],
                }
                for image in row[8] or ()
            ],
            "created_date": _iso(row[3]),
            "updated_date": _iso(row[4]),
        }
        for row in rows[:size]
    ]
    next_link = None
    if len(rows) > size:
        last = rows[size - 1][3]
        ties = sum(1 for row in rows[:size] if row[3] == last)
        next_link = _link(base, "/api/v1/feed/", query, _iso(last), ties + (offset if position == _iso(last) else 0))
    return results, next_link


def users(me: int, query, base: str):
    size = _page_size(query)
    position, _ = _cursor(query)
    before = int(position) if position else 2**62
    rows = _conn().execute(USERS_SQL, {"me": me, "before": before, "limit": size + 1}).fetchall()
    keys = (
        "id",
        "username",
        "display_name",
        "bio",
        "followers_count",
        "following_count",
        "posts_count",
        "is_following",
        "follows_you",
    )
    results = [dict(zip(keys, row, strict=True)) for row in rows[:size]]
    next_link = _link(base, "/api/v1/users/", query, rows[size - 1][0]) if len(rows) > size else None
    return results, next_link


ROUTES = {"/api/v1/feed/": feed, "/api/v1/users/": users}


def _respond(start_response, status: str, body: dict, headers=()):
    payload = json.dumps(body, separators=(",", ":")).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload))), *headers])
    return [payload]


def application(environ, start_response):
    path = environ.get("PATH_INFO", "")
    if path == "/healthz":
        return _respond(start_response, "200 OK", {"status": "ok"})
    view = ROUTES.get(path)
    if view is None:
        return _respond(start_response, "404 Not Found", {"detail": "Not found."})
    me = requester_id(environ)
    if me is None:
        return _respond(start_response, "401 Unauthorized", {"detail": "Not authenticated."})
    scheme = environ.get("HTTP_X_FORWARDED_PROTO") or environ.get("wsgi.url_scheme", "http")
    base = f"{scheme}://{environ.get('HTTP_HOST', 'localhost')}"
    query = parse_qs(environ.get("QUERY_STRING", ""))
    try:
        results, next_link = view(me, query, base)
    except (ValueError, UnicodeError):
        return _respond(start_response, "400 Bad Request", {"detail": "Invalid page_size or cursor."})
    except psycopg.OperationalError:
        _local.conn = None  # reconnect on the next request
        raise
    headers = [("Link", f'<{next_link}>; rel="next"')] if next_link else []
    return _respond(start_response, "200 OK", {"next": next_link, "previous": None, "results": results}, headers)
