import pytest

pytestmark = pytest.mark.django_db

USERS = "/api/v1/users/"


def test_user_list_excludes_the_requester(client_for, alice, bob, carol):
    response = client_for(alice).get(USERS)

    assert response.status_code == 200
    assert {user["username"] for user in response.data["results"]} == {"bob", "carol"}


def test_user_list_tells_whom_i_follow_and_who_follows_me(client_for, follow, alice, bob, carol):
    follow(alice, bob)
    follow(carol, alice)

    users = {user["username"]: user for user in client_for(alice).get(USERS).data["results"]}

    assert users["bob"]["is_following"] is True and users["bob"]["follows_you"] is False
    assert users["carol"]["is_following"] is False and users["carol"]["follows_you"] is True


def test_user_object_has_every_contract_field(client_for, alice, bob):
    user = client_for(alice).get(f"{USERS}{bob.pk}/").data

    assert set(user) == {
        "id",
        "username",
        "display_name",
        "bio",
        "followers_count",
        "following_count",
        "posts_count",
        "is_following",
        "follows_you",
    }


def test_search_matches_username_or_display_name(client_for, make_user, alice):
    make_user("zed", display_name="Searchable Person")
    make_user("searchable_handle")
    make_user("other")

    found = client_for(alice).get(USERS, {"search": "searchable"}).data["results"]

    assert {user["username"] for user in found} == {"zed", "searchable_handle"}


def test_counts_follow_the_visibility_rule(client_for, make_post, follow, alice, bob, carol):
    make_post(bob, "public")
    make_post(bob, "secret", is_hidden=True)
    follow(alice, bob)
    follow(carol, bob)

    as_alice = client_for(alice).get(f"{USERS}{bob.pk}/").data
    as_bob = client_for(bob).get(f"{USERS}me/").data

    assert as_alice["posts_count"] == 1
    assert as_bob["posts_count"] == 2
    assert as_alice["followers_count"] == 2 and as_alice["following_count"] == 0


def test_me_and_unknown_ids(client_for, alice):
    client = client_for(alice)

    assert client.get(f"{USERS}me/").data["username"] == "alice"
    assert client.get(f"{USERS}999999/").status_code == 404
    assert client.get(f"{USERS}{2**70}/").status_code == 404
    assert client.get(f"{USERS}abc/").status_code == 404


def test_patch_me_changes_my_profile_only(client_for, alice, bob):
    response = client_for(alice).patch(f"{USERS}me/", {"display_name": "Ali", "bio": "hi"}, format="json")

    assert response.status_code == 200
    assert response.data["display_name"] == "Ali" and response.data["bio"] == "hi"
    bob.refresh_from_db()
    assert bob.display_name == "Bob"


def test_no_route_writes_another_user(client_for, alice, bob):
    client = client_for(alice)

    for method in (client.patch, client.put, client.delete):
        assert method(f"{USERS}{bob.pk}/", {"display_name": "pwned"}, format="json").status_code == 405
    bob.refresh_from_db()
    assert bob.display_name == "Bob"


def test_patch_me_rejects_unknown_and_too_long_fields(client_for, alice):
    client = client_for(alice)

    unknown = client.patch(f"{USERS}me/", {"username": "root"}, format="json")
    too_long = client.patch(f"{USERS}me/", {"bio": "x" * 161}, format="json")

    assert unknown.status_code == 400
    assert unknown.data["errors"][0]["attr"] == "non_field_errors"
    assert "username" in unknown.data["errors"][0]["detail"]
    assert too_long.status_code == 400 and too_long.data["errors"][0]["attr"] == "bio"
    alice.refresh_from_db()
    assert alice.username == "alice"


def test_bad_json_is_a_clear_400(client_for, alice):
    response = client_for(alice).generic("PATCH", f"{USERS}me/", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.data["type"] == "client_error"


def test_unsupported_media_type_is_415(client_for, alice):
    response = client_for(alice).generic("PATCH", f"{USERS}me/", "bio=x", content_type="text/plain")

    assert response.status_code == 415


@pytest.mark.parametrize("page_size", [5, 50])
def test_user_list_runs_a_fixed_number_of_queries(
    client_for, make_user, follow, alice, page_size, django_assert_num_queries
):
    for n in range(60):
        other = make_user(f"member{n}")
        if n % 2:
            follow(alice, other)
    client = client_for(alice)

    with django_assert_num_queries(1):
        response = client.get(USERS, {"page_size": page_size})

    assert len(response.data["results"]) == page_size


def test_json_values_must_have_the_documented_type(client_for, alice, make_post):
    client = client_for(alice)
    post = make_post(alice)

    assert client.patch(f"{USERS}me/", {"bio": 0}, format="json").status_code == 400
    assert client.post("/api/v1/posts/", {"content": 5}, format="json").status_code == 400
    # maxLength counts the text as sent (post content alone counts after trimming, as documented)
    assert client.patch(f"{USERS}me/", {"display_name": " " + "x" * 50}, format="json").status_code == 400
    assert client.post("/api/v1/posts/", {"content": "  " + "x" * 500}, format="json").status_code == 201
    assert client.patch(f"/api/v1/posts/{post.pk}/", {"is_hidden": "yes"}, format="json").status_code == 400
    assert client.patch(f"/api/v1/posts/{post.pk}/", {"is_hidden": True}, format="json").status_code == 200
