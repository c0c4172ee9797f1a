import pytest
from rest_framework.exceptions import NotFound

from posts import services
from posts.models import Post
from posts.tests import imagebytes as make
from posts.tests.imagebytes import upload

pytestmark = pytest.mark.django_db

POSTS = "/api/v1/posts/"


def ids(response):
    return [post["id"] for post in response.data["results"]]


def test_all_visible_posts_are_listed_newest_first(client_for, make_post, alice, bob):
    first = make_post(alice, "first")
    second = make_post(bob, "second")

    response = client_for(alice).get(POSTS)

    assert response.status_code == 200
    assert ids(response) == [second.pk, first.pk]


def test_post_object_has_the_contract_fields(client_for, make_post, alice):
    make_post(alice)

    post = client_for(alice).get(POSTS).data["results"][0]

    assert set(post) == {"id", "author", "content", "is_hidden", "images", "created_date", "updated_date"}
    assert post["author"] == {"id": alice.pk, "username": "alice", "display_name": "Alice"}
    assert post["images"] == []


def test_create_post_as_the_requester(client_for, alice):
    response = client_for(alice).post(POSTS, {"content": "  hello  "}, format="json")

    assert response.status_code == 201
    assert response.data["content"] == "hello"
    assert response.data["author"]["id"] == alice.pk


def test_someone_elses_id_in_the_body_still_posts_as_yourself(client_for, alice, bob):
    response = client_for(alice).post(
        POSTS, {"content": "mine", "user": bob.pk, "author": {"id": bob.pk}}, format="json"
    )

    assert response.status_code == 201
    assert Post.objects.get(pk=response.data["id"]).user == alice
    assert not Post.objects.filter(user=bob).exists()


@pytest.mark.parametrize("content", ["", "   ", "x" * 501])
def test_content_must_be_1_to_500_characters(client_for, alice, content):
    response = client_for(alice).post(POSTS, {"content": content}, format="json")

    assert response.status_code == 400
    assert response.data["errors"][0]["attr"] == "content"
    assert not Post.objects.exists()


def test_unknown_fields_and_nul_bytes_are_refused(client_for, alice):
    client = client_for(alice)

    assert client.post(POSTS, {"content": "ok", "colour": "red"}, format="json").status_code == 400
    assert client.post(POSTS, {"content": "a\x00b"}, format="json").status_code == 400


def test_only_the_author_edits(client_for, make_post, alice, bob):
    post = make_post(alice, "original")

    by_bob = client_for(bob).patch(f"{POSTS}{post.pk}/", {"content": "hacked"}, format="json")
    by_alice = client_for(alice).patch(f"{POSTS}{post.pk}/", {"content": "edited"}, format="json")

    assert by_bob.status_code == 403
    assert by_alice.status_code == 200 and by_alice.data["content"] == "edited"
    post.refresh_from_db()
    assert post.content == "edited"


def test_put_replaces_content(client_for, make_post, alice):
    post = make_post(alice, "original")

    response = client_for(alice).put(f"{POSTS}{post.pk}/", {"content": "replaced", "is_hidden": False}, format="json")

    assert response.status_code == 200 and response.data["content"] == "replaced"


def test_only_the_author_deletes(client_for, make_post, alice, bob):
    post = make_post(alice)

    assert client_for(bob).delete(f"{POSTS}{post.pk}/").status_code == 403
    assert Post.objects.filter(pk=post.pk).exists()
    assert client_for(alice).delete(f"{POSTS}{post.pk}/").status_code == 204
    assert not Post.objects.filter(pk=post.pk).exists()


def test_hide_and_unhide_are_the_authors(client_for, make_post, alice, bob):
    post = make_post(alice)

    assert client_for(bob).post(f"{POSTS}{post.pk}/hide/").status_code == 403
    hidden = client_for(alice).post(f"{POSTS}{post.pk}/hide/")
    assert hidden.status_code == 200 and hidden.data["is_hidden"] is True
    assert client_for(bob).post(f"{POSTS}{post.pk}/unhide/").status_code == 404
    shown = client_for(alice).post(f"{POSTS}{post.pk}/unhide/")
    assert shown.status_code == 200 and shown.data["is_hidden"] is False


def test_unknown_post_is_404(client_for, alice):
    client = client_for(alice)

    assert client.get(f"{POSTS}424242/").status_code == 404
    assert client.get(f"{POSTS}{2**64}/").status_code == 404
    assert client.delete(f"{POSTS}424242/").status_code == 404


def test_mine_lists_my_posts_with_the_hidden_filter(client_for, make_post, alice, bob):
    shown = make_post(alice, "shown")
    hidden = make_post(alice, "hidden", is_hidden=True)
    make_post(bob, "not mine")
    client = client_for(alice)

    assert set(ids(client.get(f"{POSTS}mine/"))) == {shown.pk, hidden.pk}
    assert ids(client.get(f"{POSTS}mine/", {"hidden": "true"})) == [hidden.pk]
    assert ids(client.get(f"{POSTS}mine/", {"hidden": "false"})) == [shown.pk]
    assert client.get(f"{POSTS}mine/", {"hidden": "maybe"}).status_code == 400


def test_a_users_posts(client_for, make_post, alice, bob):
    bobs = make_post(bob, "by bob")
    make_post(alice, "by alice")

    response = client_for(alice).get(f"/api/v1/users/{bob.pk}/posts/")

    assert ids(response) == [bobs.pk]
    assert client_for(alice).get("/api/v1/users/999999/posts/").status_code == 404


@pytest.mark.parametrize(
    "write",
    [
        lambda post: services.post_update(post=post, content="too late"),
        lambda post: services.post_hide(post=post),
        lambda post: services.post_image_add(post=post, upload=upload(make.jpeg())),
    ],
    ids=["edit", "hide", "add-photo"],
)
def test_a_write_racing_a_delete_is_404_not_500(make_post, alice, write, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    post = make_post(alice)
    Post.objects.filter(pk=post.pk).delete()  # another request deleted it after this one loaded it

    with pytest.raises(NotFound):
        write(post)


def test_the_hidden_filter_refuses_what_is_not_a_boolean(client_for, alice):
    assert client_for(alice).get(f"{POSTS}mine/", {"hidden": "null"}).status_code == 400
