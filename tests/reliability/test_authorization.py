"""Who may do what: every write operation of the live OpenAPI schema, tried as its owner, as
another user and anonymously, against visible and hidden posts.

A write operation added to the API without a row here fails `test_every_write_operation_is_in_the_matrix`.
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from stack import Api, http, register_and_login, small_png

WRITE_METHODS = {"post", "put", "patch", "delete"}
PNG = [("image", "a.png", small_png(), "image/png")]


@dataclass(frozen=True)
class Rule:
    setup: Callable  # (owner, other, server) -> context dict
    call: Callable  # (api, context) -> Response
    owner: int
    other: int
    anonymous: int = 401
    unchanged: Callable | None = None  # (owner, context) -> None: asserts others' calls left the owner's things alone


def a_post(owner, other, server, *, hidden=False, images=0, content="owned by alice"):
    files = [("images", f"{n}.png", small_png(), "image/png") for n in range(images)]
    post = owner["api"].upload("/api/v1/posts/", {"content": content}, files).json()
    if hidden:
        owner["api"].post(f"/api/v1/posts/{post['id']}/hide/")
    return {"post": post, "path": f"/api/v1/posts/{post['id']}/"}


def post_unchanged(owner, context, *, hidden=False):
    post = owner["api"].get(context["path"]).json()
    assert post["content"] == context["post"]["content"]
    assert post["is_hidden"] is hidden
    assert len(post["images"]) == len(context["post"]["images"])


def rules_for_post(hidden):
    refused = 404 if hidden else 403  # a hidden post does not exist for others
    setup = lambda o, x, s: a_post(o, x, s, hidden=hidden)  # noqa: E731
    with_image = lambda o, x, s: a_post(o, x, s, hidden=hidden, images=2)  # noqa: E731
    same = lambda o, c: post_unchanged(o, c, hidden=hidden)  # noqa: E731
    return {
        ("patch", "/api/v1/posts/{id}/"): Rule(
            setup, lambda api, c: api.request("PATCH", c["path"], json_body={"content": "changed"}), 200, refused,
            unchanged=same,
        ),
        ("put", "/api/v1/posts/{id}/"): Rule(
            setup, lambda api, c: api.request("PUT", c["path"], json_body={"content": "replaced"}), 200, refused,
            unchanged=same,
        ),
        ("delete", "/api/v1/posts/{id}/"): Rule(
            setup, lambda api, c: api.request("DELETE", c["path"]), 204, refused, unchanged=same
        ),
        ("post", "/api/v1/posts/{id}/hide/"): Rule(
            setup, lambda api, c: api.post(c["path"] + "hide/"), 200, refused, unchanged=same
        ),
        ("post", "/api/v1/posts/{id}/unhide/"): Rule(
            setup, lambda api, c: api.post(c["path"] + "unhide/"), 200, refused, unchanged=same
        ),
        ("post", "/api/v1/posts/{id}/images/"): Rule(
            setup, lambda api, c: api.upload(c["path"] + "images/", {}, PNG), 201, refused, unchanged=same
        ),
        ("delete", "/api/v1/posts/{id}/images/{image_id}/"): Rule(
            with_image,
            lambda api, c: api.request("DELETE", f"{c['path']}images/{c['post']['images'][0]['id']}/"),
            204,
            refused,
            unchanged=same,
        ),
    }  # fmt: skip


def a_refresh_token(owner, other, server):
    tokens = http(
        "POST",
        server.base_url + "/api/v1/auth/token/",
        json_body={"username": owner["username"], "password": owner["password"]},
    ).json()
    return {"refresh": tokens["refresh"]}


def refresh_still_works(owner, context):
    assert http("POST", owner["api"].base_url + "/api/v1/auth/token/refresh/", json_body=context).status == 200


def profile_unchanged(owner, context):
    assert owner["api"].get("/api/v1/users/me/").json()["bio"] == context["bio"]


def a_target(owner, other, server):
    return {"owner": owner, "target": register_and_login(server.base_url, f"target-{secrets.token_hex(5)}")}


def a_followed_target(owner, other, server):
    context = a_target(owner, other, server)
    assert owner["api"].post(f"/api/v1/users/{context['target']['id']}/follow/").status == 201
    return context


def owner_not_following(owner, context):
    assert owner["api"].get(f"/api/v1/users/{context['target']['id']}/").json()["is_following"] is False


def owner_still_following(owner, context):
    assert owner["api"].get(f"/api/v1/users/{context['target']['id']}/").json()["is_following"] is True


def nobody(owner, other, server):
    return {"owner": owner, "bio": owner["api"].get("/api/v1/users/me/").json()["bio"]}


USER_AND_AUTH_RULES = {
    # Public: anyone may register or log in; "owner" and "other" are just callers here.
    ("post", "/api/v1/auth/register/"): Rule(
        nobody,
        lambda api, c: api.post(
            "/api/v1/auth/register/", {"username": f"new-{secrets.token_hex(5)}", "password": "Rel1ability-pass-phrase"}
        ),
        201, 201, anonymous=201,
    ),
    ("post", "/api/v1/auth/token/"): Rule(
        nobody,
        lambda api, c: api.post(
            "/api/v1/auth/token/", {"username": c["owner"]["username"], "password": c["owner"]["password"]}
        ),
        200, 200, anonymous=200,
    ),
    ("post", "/api/v1/auth/token/refresh/"): Rule(
        a_refresh_token, lambda api, c: api.post("/api/v1/auth/token/refresh/", c), 200, 200, anonymous=200
    ),
    # Only the token's own user may log it out.
    ("post", "/api/v1/auth/logout/"): Rule(
        a_refresh_token, lambda api, c: api.post("/api/v1/auth/logout/", c), 204, 400, unchanged=refresh_still_works
    ),
    # /users/me/ is always the requester: "other" changes only their own profile, never the owner's.
    ("patch", "/api/v1/users/me/"): Rule(
        nobody, lambda api, c: api.request("PATCH", "/api/v1/users/me/", json_body={"bio": "edited"}), 200, 200,
        unchanged=profile_unchanged,
    ),
    # Following is always as the requester: "other" follows or unfollows for themselves only.
    ("post", "/api/v1/users/{id}/follow/"): Rule(
        a_target, lambda api, c: api.post(f"/api/v1/users/{c['target']['id']}/follow/"), 201, 201,
        unchanged=owner_not_following,
    ),
    ("delete", "/api/v1/users/{id}/follow/"): Rule(
        a_followed_target, lambda api, c: api.request("DELETE", f"/api/v1/users/{c['target']['id']}/follow/"), 204, 204,
        unchanged=owner_still_following,
    ),
    ("post", "/api/v1/posts/"): Rule(
        nobody, lambda api, c: api.post("/api/v1/posts/", {"content": "a new post"}), 201, 201
    ),
}  # fmt: skip

MATRIX = {**USER_AND_AUTH_RULES, **rules_for_post(hidden=False)}
HIDDEN_MATRIX = rules_for_post(hidden=True)
ACTORS = ("owner", "other", "anonymous")


@pytest.fixture(scope="module")
def actors(server, make_user):
    owner, other = make_user("owner"), make_user("other")
    return {"owner": owner, "other": other, "anonymous": None, "server": server}


def api_of(actors, who):
    user = actors[who]
    return user["api"] if user else Api(actors["server"].base_url)


def write_operations(server):
    schema = http("GET", server.base_url + "/api/schema/?format=json").json()
    return {
        (method, path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in WRITE_METHODS
    }


def test_every_write_operation_is_in_the_matrix(server):
    operations = write_operations(server)
    assert operations, "no write operation found in the schema"
    assert operations == set(MATRIX), {
        "in the schema, not in the matrix": sorted(operations - set(MATRIX)),
        "in the matrix, not in the schema": sorted(set(MATRIX) - operations),
    }


def _check(rules, operation, who, actors):
    rule = rules[operation]
    owner, other, server = actors["owner"], actors["other"], actors["server"]
    context = rule.setup(owner, other, server)
    response = rule.call(api_of(actors, who), context)
    expected = getattr(rule, who)
    assert response.status == expected, (operation, who, response.status, response.body[:300])
    if expected >= 400:
        assert response.json()["errors"], response.body[:300]
    if who != "owner" and rule.unchanged:
        rule.unchanged(owner, context)


@pytest.mark.parametrize("who", ACTORS)
@pytest.mark.parametrize("operation", sorted(MATRIX), ids=lambda op: f"{op[0].upper()} {op[1]}")
def test_write_operation_on_visible_things(actors, operation, who):
    _check(MATRIX, operation, who, actors)


@pytest.mark.parametrize("who", ACTORS)
@pytest.mark.parametrize("operation", sorted(HIDDEN_MATRIX), ids=lambda op: f"{op[0].upper()} {op[1]}")
def test_write_operation_on_a_hidden_post(actors, operation, who):
    _check(HIDDEN_MATRIX, operation, who, actors)


@pytest.mark.parametrize("method", ["PATCH", "PUT", "DELETE", "POST"])
def test_no_route_changes_another_users_profile(actors, method):
    owner, other = actors["owner"], actors["other"]
    before = owner["api"].get("/api/v1/users/me/").json()["bio"]
    response = other["api"].request(method, f"/api/v1/users/{owner['id']}/", json_body={"bio": "pwned"})
    assert response.status == 405
    assert owner["api"].get("/api/v1/users/me/").json()["bio"] == before


def test_a_post_is_always_written_by_the_requester(actors):
    owner, other = actors["owner"], actors["other"]
    response = other["api"].post("/api/v1/posts/", {"content": "impersonation", "author": owner["id"]})
    assert response.status in (201, 400)
    if response.status == 201:
        assert response.json()["author"]["id"] == other["id"]
