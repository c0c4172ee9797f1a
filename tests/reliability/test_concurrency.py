"""Races through the real stack (4 gunicorn workers, PostgreSQL): the invariants hold whatever the order.

Each test fires its requests from threads released together by a barrier, so they reach the
workers at the same moment.
"""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from stack import http, small_png

PARALLEL = 16


def race(*calls):
    """Runs the callables at once; returns their results in order."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def statuses(responses):
    return Counter(response.status for response in responses)


def follow_rows(db, follower, following):
    return int(
        db(
            f"SELECT count(*) FROM follows_follow WHERE follower_id = {follower['id']} "  # noqa: S608 - ids from the API
            f"AND following_id = {following['id']}"
        )[0][0]
    )


def test_a_follow_storm_creates_one_row_and_one_201(make_user, db):
    fan, star = make_user("fan"), make_user("star")
    path = f"/api/v1/users/{star['id']}/follow/"

    results = race(*[lambda: fan["api"].post(path)] * PARALLEL)

    assert statuses(results) == {201: 1, 200: PARALLEL - 1}, statuses(results)
    assert follow_rows(db, fan, star) == 1
    assert star["api"].get("/api/v1/users/me/").json()["followers_count"] == 1


def test_a_follow_unfollow_storm_never_leaves_two_rows_and_ends_consistent(make_user, db):
    fan, star = make_user("fan"), make_user("star")
    path = f"/api/v1/users/{star['id']}/follow/"
    calls = [
        (lambda: fan["api"].post(path)) if n % 2 else (lambda: fan["api"].request("DELETE", path)) for n in range(24)
    ]

    for _ in range(3):
        results = race(*calls)
        assert set(statuses(results)) <= {200, 201, 204}, statuses(results)
        rows = follow_rows(db, fan, star)
        assert rows in (0, 1)
        profile = fan["api"].get(f"/api/v1/users/{star['id']}/").json()
        assert profile["is_following"] is (rows == 1)
        assert profile["followers_count"] == rows


def test_two_users_following_each_other_at_once(make_user, db):
    ann, ben = make_user("ann"), make_user("ben")
    results = race(
        *[lambda: ann["api"].post(f"/api/v1/users/{ben['id']}/follow/")] * 4,
        *[lambda: ben["api"].post(f"/api/v1/users/{ann['id']}/follow/")] * 4,
    )
    assert set(statuses(results)) <= {200, 201}
    assert follow_rows(db, ann, ben) == 1 and follow_rows(db, ben, ann) == 1
    assert ann["api"].get(f"/api/v1/users/{ben['id']}/").json()["follows_you"] is True


def test_parallel_edits_of_one_post_leave_one_of_them_whole(alice, db):
    post = alice["api"].post("/api/v1/posts/", {"content": "original"}).json()
    path = f"/api/v1/posts/{post['id']}/"
    contents = [f"edit number {n} " + "x" * (n + 1) for n in range(PARALLEL)]

    results = race(*[lambda c=c: alice["api"].request("PATCH", path, json_body={"content": c}) for c in contents])

    assert statuses(results) == {200: PARALLEL}
    final = alice["api"].get(path).json()
    assert final["content"] in contents
    assert db(f"SELECT count(*) FROM posts_post WHERE id = {post['id']}") == [["1"]]  # noqa: S608


def test_parallel_hide_and_unhide_keep_visibility_consistent(alice, bob):
    post = alice["api"].post("/api/v1/posts/", {"content": "now you see me"}).json()
    base = f"/api/v1/posts/{post['id']}/"
    results = race(*[(lambda a=action: alice["api"].post(f"{base}{a}/")) for action in ["hide", "unhide"] * 8])
    assert statuses(results) == {200: 16}
    hidden = alice["api"].get(base).json()["is_hidden"]
    assert bob["api"].get(base).status == (404 if hidden else 200)


def _add_image(user, post_id, n):
    return user["api"].upload(
        f"/api/v1/posts/{post_id}/images/",
        {"alt_text": f"photo {n}"},
        [("image", f"{n}.png", small_png(), "image/png")],
    )


def test_parallel_uploads_never_pass_four_photos(server, alice, db):
    post = alice["api"].post("/api/v1/posts/", {"content": "a gallery"}).json()

    results = race(*[lambda n=n: _add_image(alice, post["id"], n) for n in range(12)])

    assert statuses(results) == {201: 4, 400: 8}, statuses(results)
    assert len(alice["api"].get(f"/api/v1/posts/{post['id']}/").json()["images"]) == 4
    rows = db(f"SELECT file, thumbnail FROM posts_postimage WHERE post_id = {post['id']}")  # noqa: S608
    assert len(rows) == 4
    assert all((server.media_root / name).is_file() for pair in rows for name in pair)


def test_parallel_uploads_to_a_post_that_has_photos_stop_at_four(alice, db):
    files = [("images", f"{n}.png", small_png(), "image/png") for n in range(3)]
    post = alice["api"].upload("/api/v1/posts/", {"content": "three already"}, files).json()

    results = race(*[lambda n=n: _add_image(alice, post["id"], n) for n in range(8)])

    assert statuses(results) == {201: 1, 400: 7}
    assert db(f"SELECT count(*) FROM posts_postimage WHERE post_id = {post['id']}") == [["4"]]  # noqa: S608


def test_refused_uploads_leave_no_file_behind(server, alice, db):
    """Every photo file on disk belongs to a row: the 400s above cleaned up after themselves."""
    referenced = {name for pair in db("SELECT file, thumbnail FROM posts_postimage") for name in pair}
    on_disk = {f"images/{path.name}" for path in (server.media_root / "images").glob("*")}
    assert on_disk <= referenced, sorted(on_disk - referenced)[:5]


def test_removing_the_last_photos_of_a_textless_post_at_once_keeps_one(alice):
    files = [("images", f"{n}.png", small_png(), "image/png") for n in range(2)]
    post = alice["api"].upload("/api/v1/posts/", {"content": ""}, files).json()
    paths = [f"/api/v1/posts/{post['id']}/images/{image['id']}/" for image in post["images"]]

    results = race(*[lambda p=p: alice["api"].request("DELETE", p) for p in paths * 3])

    assert set(statuses(results)) <= {204, 400, 404}
    assert len(alice["api"].get(f"/api/v1/posts/{post['id']}/").json()["images"]) == 1


def test_parallel_deletes_of_one_post(alice, db):
    post = (
        alice["api"]
        .upload("/api/v1/posts/", {"content": "doomed"}, [("images", "a.png", small_png(), "image/png")])
        .json()
    )
    results = race(*[lambda: alice["api"].request("DELETE", f"/api/v1/posts/{post['id']}/")] * 8)
    # DELETE is idempotent: those that found the post before it went may say 204 too.
    assert set(statuses(results)) <= {204, 404} and statuses(results)[204] >= 1, statuses(results)
    assert db(f"SELECT count(*) FROM posts_post WHERE id = {post['id']}") == [["0"]]  # noqa: S608
    assert db(f"SELECT count(*) FROM posts_postimage WHERE post_id = {post['id']}") == [["0"]]  # noqa: S608


def test_one_username_registered_at_once_in_every_case_is_one_user(server, db):
    names = ["RaceName", "racename", "RACENAME", "raceName"] * 2
    results = race(
        *[
            lambda n=n: http(
                "POST",
                server.base_url + "/api/v1/auth/register/",
                json_body={"username": n, "password": "Rel1ability-pass-phrase"},
            )
            for n in names
        ]
    )
    assert statuses(results) == {201: 1, 400: len(names) - 1}, statuses(results)
    assert db("SELECT count(*) FROM users_user WHERE lower(username) = 'racename'") == [["1"]]


def test_a_refresh_token_replayed_in_parallel_is_never_a_5xx(server, make_user):
    user = make_user("replay")
    results = race(
        *[
            lambda: http(
                "POST", server.base_url + "/api/v1/auth/token/refresh/", json_body={"refresh": user["refresh"]}
            )
            for _ in range(8)
        ]
    )
    assert set(statuses(results)) <= {200, 401}, statuses(results)
    assert statuses(results)[200] >= 1
