import pytest

pytestmark = pytest.mark.django_db

FEED = "/api/v1/feed/"


def test_feed_shows_posts_of_followed_users_newest_first(client_for, make_post, follow, alice, bob, carol):
    follow(alice, bob)
    older = make_post(bob, "older")
    make_post(carol, "not followed")
    make_post(alice, "my own")
    newer = make_post(bob, "newer")

    response = client_for(alice).get(FEED)

    assert [post["id"] for post in response.data["results"]] == [newer.pk, older.pk]


def test_unfollowing_removes_their_posts_from_the_feed(client_for, make_post, follow, alice, bob):
    follow(alice, bob)
    make_post(bob)
    client = client_for(alice)
    client.delete(f"/api/v1/users/{bob.pk}/follow/")

    assert client.get(FEED).data["results"] == []
