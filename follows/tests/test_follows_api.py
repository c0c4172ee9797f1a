import threading

import pytest
from django.db import connection

from follows import services
from follows.models import Follow

pytestmark = pytest.mark.django_db


def follow_url(user):
    return f"/api/v1/users/{user.pk}/follow/"


def test_follow_is_201_then_200_and_creates_one_row(client_for, alice, bob):
    client = client_for(alice)

    first = client.post(follow_url(bob))
    again = client.post(follow_url(bob))

    assert first.status_code == 201 and first.data["is_following"] is True
    assert again.status_code == 200
    assert Follow.objects.filter(follower=alice, following=bob).count() == 1


def test_unfollow_is_204_even_when_not_following(client_for, follow, alice, bob):
    follow(alice, bob)
    client = client_for(alice)

    assert client.delete(follow_url(bob)).status_code == 204
    assert client.delete(follow_url(bob)).status_code == 204
    assert not Follow.objects.exists()


def test_following_yourself_is_400(client_for, alice):
    client = client_for(alice)

    assert client.post(follow_url(alice)).status_code == 400
    assert client.post("/api/v1/users/me/follow/").status_code == 400
    assert not Follow.objects.exists()


def test_following_an_unknown_user_is_404(client_for, alice):
    assert client_for(alice).post("/api/v1/users/987654/follow/").status_code == 404
    assert client_for(alice).delete("/api/v1/users/987654/follow/").status_code == 404


def test_following_and_followers_lists(client_for, follow, alice, bob, carol):
    follow(alice, bob)
    follow(alice, carol)
    follow(carol, alice)
    client = client_for(alice)

    following = client.get("/api/v1/users/me/following/").data["results"]
    followers = client.get("/api/v1/users/me/followers/").data["results"]
    bobs_followers = client.get(f"/api/v1/users/{bob.pk}/followers/").data["results"]

    assert [user["username"] for user in following] == ["carol", "bob"]  # most recent first
    assert [user["username"] for user in followers] == ["carol"]
    assert followers[0]["is_following"] is True and followers[0]["follows_you"] is True
    assert [user["username"] for user in bobs_followers] == ["alice"]


def test_the_database_refuses_self_follows_and_duplicates(alice, bob):
    from django.db import IntegrityError, transaction

    Follow.objects.create(follower=alice, following=bob)
    with pytest.raises(IntegrityError), transaction.atomic():
        Follow.objects.create(follower=alice, following=bob)
    with pytest.raises(IntegrityError), transaction.atomic():
        Follow.objects.create(follower=alice, following=alice)


@pytest.mark.parametrize("path", ["following", "followers"])
@pytest.mark.parametrize("page_size", [5, 50])
def test_follow_lists_query_count_is_fixed(
    make_user, follow, client_for, alice, path, page_size, django_assert_num_queries
):
    for n in range(60):
        other = make_user(f"fan{n}")
        follow(other, alice)
        follow(alice, other)

    with django_assert_num_queries(1):
        response = client_for(alice).get(f"/api/v1/users/me/{path}/", {"page_size": page_size})

    assert len(response.data["results"]) == page_size


@pytest.mark.django_db(transaction=True)
def test_concurrent_follows_of_the_same_pair_never_fail(make_user):
    if connection.vendor != "postgresql":
        pytest.skip("needs a server database for real concurrency")
    follower, target = make_user("racer"), make_user("target")
    results, errors = [], []
    barrier = threading.Barrier(8)

    def follow_once():
        try:
            barrier.wait()
            results.append(services.follow_create(follower=follower, following=target)[1])
        except Exception as exc:  # the assertion below reports it
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=follow_once) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert results.count(True) == 1
    assert Follow.objects.filter(follower=follower, following=target).count() == 1
