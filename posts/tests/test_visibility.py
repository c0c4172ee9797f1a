"""A hidden post exists only for its author, on every path that can return a post or count one."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def secret(make_post, alice):
    return make_post(alice, "secret", is_hidden=True)


@pytest.fixture
def bob_follows_alice(follow, alice, bob):
    return follow(bob, alice)


def listed(client, path):
    return [post["id"] for post in client.get(path).data["results"]]


def test_other_users_never_see_a_hidden_post(client_for, secret, alice, bob, bob_follows_alice):
    client = client_for(bob)

    assert secret.pk not in listed(client, "/api/v1/posts/")
    assert secret.pk not in listed(client, "/api/v1/feed/")
    assert secret.pk not in listed(client, f"/api/v1/users/{alice.pk}/posts/")
    assert client.get(f"/api/v1/posts/{secret.pk}/").status_code == 404
    assert client.get(f"/api/v1/users/{alice.pk}/").data["posts_count"] == 0


def test_writes_on_a_hidden_post_by_others_are_404_not_403(client_for, secret, bob):
    client = client_for(bob)

    assert client.patch(f"/api/v1/posts/{secret.pk}/", {"content": "x"}, format="json").status_code == 404
    assert client.delete(f"/api/v1/posts/{secret.pk}/").status_code == 404
    assert client.post(f"/api/v1/posts/{secret.pk}/hide/").status_code == 404


def test_the_author_still_sees_it_everywhere(client_for, secret, alice):
    client = client_for(alice)

    assert secret.pk in listed(client, "/api/v1/posts/")
    assert secret.pk in listed(client, "/api/v1/posts/mine/")
    assert secret.pk in listed(client, f"/api/v1/users/{alice.pk}/posts/")
    assert client.get(f"/api/v1/posts/{secret.pk}/").data["is_hidden"] is True
    assert client.get("/api/v1/users/me/").data["posts_count"] == 1


def test_unhiding_makes_it_visible_again(client_for, secret, alice, bob):
    client_for(alice).post(f"/api/v1/posts/{secret.pk}/unhide/")

    assert client_for(bob).get(f"/api/v1/posts/{secret.pk}/").status_code == 200
