"""Photos: processing rules, limits, storage on the local filesystem and signed URLs."""

import io
import re
from pathlib import Path

import pytest
from PIL import Image

from posts import services
from posts.models import Post, PostImage
from posts.tests import imagebytes as make
from posts.tests.imagebytes import upload

pytestmark = pytest.mark.django_db

POSTS = "/api/v1/posts/"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root):
    return sorted(p for p in Path(root).rglob("*") if p.is_file())


def post_with_images(client, *files, content="with photos", **extra):
    return client.post(POSTS, {"content": content, "images": list(files), **extra}, format="multipart")


def fetch(client, url):
    response = client.get(url.removeprefix("http://testserver"))
    body = b"".join(response.streaming_content) if response.status_code == 200 else b""
    return response.status_code, body


def test_post_with_photos_returns_them_with_working_urls(client_for, alice):
    client = client_for(alice)

    response = post_with_images(client, upload(make.jpeg(64, 48)), upload(make.png(), "b.png"), alt_text=["a red box"])

    assert response.status_code == 201
    first, second = response.data["images"]
    assert (first["width"], first["height"], first["alt_text"]) == (64, 48, "a red box")
    assert second["alt_text"] == ""
    status, body = fetch(client, first["url"])
    assert status == 200 and Image.open(io.BytesIO(body)).size == (64, 48)
    status, body = fetch(client, first["thumbnail_url"])
    assert status == 200 and Image.open(io.BytesIO(body)).format == "JPEG"


@pytest.mark.parametrize(
    "content",
    [make.jpeg(), make.png(), make.png(alpha=True), make.webp(), make.animated_gif()],
    ids=["jpeg", "png", "png-alpha", "webp", "gif"],
)
def test_accepted_formats_are_detected_from_content(client_for, alice, content):
    response = post_with_images(client_for(alice), upload(content, "no-extension", "application/octet-stream"))

    assert response.status_code == 201
    assert len(response.data["images"]) == 1


def test_a_post_may_be_only_photos(client_for, alice):
    response = post_with_images(client_for(alice), upload(make.jpeg()), content="")

    assert response.status_code == 201 and response.data["content"] == ""


def test_exif_and_gps_are_stripped_but_the_colour_profile_is_kept(client_for, alice, media_root):
    response = post_with_images(client_for(alice), upload(make.jpeg(gps=True, icc=True)))

    assert response.status_code == 201
    image = PostImage.objects.get()
    with Image.open(Path(media_root) / image.file.name) as stored:
        assert dict(stored.getexif()) == {}
        assert stored.getexif().get_ifd(make.GPS_IFD) == {}
        assert stored.info.get("icc_profile")
        assert b"Exif" not in Path(media_root, image.file.name).read_bytes()


def test_exif_orientation_is_applied(client_for, alice):
    response = post_with_images(client_for(alice), upload(make.jpeg(40, 20, orientation=6)))

    assert (response.data["images"][0]["width"], response.data["images"][0]["height"]) == (20, 40)


def test_large_images_are_downscaled_and_thumbnailed(client_for, alice, settings, media_root):
    settings.IMAGE_MAX_DIMENSION = 100
    settings.IMAGE_THUMBNAIL_SIZE = 30

    response = post_with_images(client_for(alice), upload(make.jpeg(300, 150)))

    assert (response.data["images"][0]["width"], response.data["images"][0]["height"]) == (100, 50)
    image = PostImage.objects.get()
    with Image.open(Path(media_root) / image.thumbnail.name) as thumbnail:
        assert thumbnail.size == (30, 15)


def test_file_names_are_random_and_reveal_nothing(client_for, alice):
    post_with_images(client_for(alice), upload(make.jpeg(), "my-holiday-secret.jpg"))

    image = PostImage.objects.get()
    for name in (image.file.name, image.thumbnail.name):
        # 24 random bytes, URL-safe: nothing of the upload's name or the post in it.
        assert re.fullmatch(r"images/[A-Za-z0-9_-]{32}\.(jpg|png)", name), name
    assert image.file.name != image.thumbnail.name


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"just some text, not an image", "fake.jpg"),
        (make.truncated_jpeg(), "cut.jpg"),
        (make.png_bomb(), "bomb.png"),
        (b"%PDF-1.4\n" + make.jpeg(), "polyglot.jpg"),
        (b"", "empty.jpg"),
    ],
    ids=["text-named-jpg", "truncated", "decompression-bomb", "pdf-polyglot", "empty"],
)
def test_bad_files_are_400_naming_the_field_and_nothing_is_kept(client_for, alice, media_root, content, name):
    response = post_with_images(client_for(alice), upload(make.jpeg(), "good.jpg"), upload(content, name))

    assert response.status_code == 400
    assert response.data["errors"][0]["attr"].startswith("images")
    assert not Post.objects.exists() and not PostImage.objects.exists()
    assert stored_files(media_root) == []


def test_an_image_past_the_byte_limit_is_413(client_for, alice, settings, media_root):
    settings.IMAGE_MAX_BYTES = 1000

    response = post_with_images(client_for(alice), upload(make.jpeg(300, 300, colour=(9, 99, 199)) + b"\0" * 2000))

    assert response.status_code == 413
    assert not Post.objects.exists() and stored_files(media_root) == []


def test_a_request_past_the_body_limit_is_413_before_it_is_read(client_for, alice, settings):
    settings.REQUEST_MAX_BYTES = 2048

    response = post_with_images(client_for(alice), upload(b"x" * 5000))

    assert response.status_code == 413
    assert response.json()["errors"][0]["code"] == "request_too_large"


def test_at_most_four_photos_per_post(client_for, alice):
    client = client_for(alice)

    five = post_with_images(client, *[upload(make.jpeg()) for _ in range(5)])
    four = post_with_images(client, *[upload(make.jpeg()) for _ in range(4)])
    fifth = client.post(f"{POSTS}{four.data['id']}/images/", {"image": upload(make.jpeg())}, format="multipart")

    assert five.status_code == 400 and five.data["errors"][0]["attr"] == "images"
    assert four.status_code == 201
    assert fifth.status_code == 400 and fifth.data["errors"][0]["attr"] == "image"
    assert PostImage.objects.count() == 4


def test_the_author_adds_and_removes_photos(client_for, alice, bob, media_root, django_capture_on_commit_callbacks):
    client = client_for(alice)
    post = client.post(POSTS, {"content": "text"}, format="json").data

    added = client.post(
        f"{POSTS}{post['id']}/images/", {"image": upload(make.png()), "alt_text": "blue"}, format="multipart"
    )
    by_bob = client_for(bob).post(f"{POSTS}{post['id']}/images/", {"image": upload(make.png())}, format="multipart")
    assert added.status_code == 201 and added.data["alt_text"] == "blue"
    assert by_bob.status_code == 403
    assert len(stored_files(media_root)) == 2

    assert client_for(bob).delete(f"{POSTS}{post['id']}/images/{added.data['id']}/").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        removed = client.delete(f"{POSTS}{post['id']}/images/{added.data['id']}/")
    assert removed.status_code == 204
    assert stored_files(media_root) == []
    assert client.delete(f"{POSTS}{post['id']}/images/{added.data['id']}/").status_code == 404


def test_the_last_photo_of_a_post_without_text_stays(client_for, alice):
    client = client_for(alice)
    post = post_with_images(client, upload(make.jpeg()), content="").data

    response = client.delete(f"{POSTS}{post['id']}/images/{post['images'][0]['id']}/")

    assert response.status_code == 400
    assert PostImage.objects.count() == 1


def test_deleting_a_post_deletes_its_files(client_for, alice, media_root, django_capture_on_commit_callbacks):
    client = client_for(alice)
    post = post_with_images(client, upload(make.jpeg()), upload(make.webp())).data
    assert len(stored_files(media_root)) == 4

    with django_capture_on_commit_callbacks(execute=True):
        assert client.delete(f"{POSTS}{post['id']}/").status_code == 204

    assert stored_files(media_root) == []


def test_a_failed_write_leaves_no_file_behind(alice, media_root, monkeypatch):
    def database_fails(**fields):
        raise RuntimeError("database went away")

    monkeypatch.setattr(PostImage.objects, "create", database_fails)

    with pytest.raises(RuntimeError):
        services.post_create(author=alice, content="x", images=[upload(make.jpeg())])

    assert stored_files(media_root) == []
    assert not Post.objects.exists()


def test_photo_urls_are_signed_expire_and_obey_visibility(client_for, alice, bob, settings):
    author, other = client_for(alice), client_for(bob)
    post = post_with_images(author, upload(make.jpeg())).data
    others_url = other.get(f"{POSTS}{post['id']}/").data["images"][0]["url"]
    authors_url = post["images"][0]["url"]

    assert fetch(other, others_url)[0] == 200
    assert fetch(other, others_url.replace("token=", "token=x"))[0] == 404
    assert fetch(other, others_url.split("?")[0])[0] == 404

    author.post(f"{POSTS}{post['id']}/hide/")
    assert fetch(other, others_url)[0] == 404  # an old URL stops working once the post is hidden
    assert fetch(author, authors_url)[0] == 200
    assert other.get(f"{POSTS}{post['id']}/").status_code == 404

    settings.IMAGE_URL_TTL = -1
    assert fetch(author, authors_url)[0] == 404  # expired


def test_the_schema_describes_multipart_uploads(client_for, alice):
    schema = client_for(alice).get("/api/schema/?format=json").json()

    create = schema["paths"]["/api/v1/posts/"]["post"]["requestBody"]["content"]
    add = schema["paths"]["/api/v1/posts/{id}/images/"]["post"]["requestBody"]["content"]
    images = create["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert schema["components"]["schemas"][images]["properties"]["images"]["items"]["format"] == "binary"
    assert "multipart/form-data" in add


def test_deleting_through_the_admin_deletes_files_too(
    admin_client, client_for, alice, media_root, django_capture_on_commit_callbacks
):
    post = post_with_images(client_for(alice), upload(make.jpeg())).data
    other = post_with_images(client_for(alice), upload(make.png())).data

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"/admin/posts/post/{post['id']}/delete/", {"post": "yes"})
    assert len(stored_files(media_root)) == 2

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"/admin/users/user/{alice.pk}/delete/", {"post": "yes"})
    assert not Post.objects.filter(pk=other["id"]).exists()
    assert stored_files(media_root) == []
