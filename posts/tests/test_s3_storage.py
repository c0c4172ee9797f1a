"""The S3 path of photo storage, against a real S3-protocol server (moto) over loopback HTTP."""

import io
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import boto3
import pytest
from django.core.files.storage import storages
from PIL import Image

from posts.models import PostImage
from posts.tests import imagebytes as make
from posts.tests.imagebytes import upload

pytestmark = pytest.mark.django_db

BUCKET = "sns-photos-test"
KEYS = {"aws_access_key_id": "test-access-key", "aws_secret_access_key": "test-secret-key"}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    port = free_port()
    command = shutil.which("moto_server", path=str(Path(sys.executable).parent)) or "moto_server"
    server = subprocess.Popen(
        [command, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(endpoint, timeout=1)
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("moto_server did not start")
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def s3(settings, s3_endpoint):
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", **KEYS)
    client.create_bucket(Bucket=BUCKET)
    settings.MEDIA_PRESIGNED_BY_STORAGE = True
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "access_key": KEYS["aws_access_key_id"],
                "secret_key": KEYS["aws_secret_access_key"],
                "addressing_style": "path",
                "signature_version": "s3v4",
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": 60,
                "file_overwrite": False,
            },
        },
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys(client):
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def http_get(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def test_photos_go_to_the_bucket_and_come_back_through_presigned_urls(s3, client_for, alice):
    assert type(storages["default"]).__name__ == "S3Storage"

    response = client_for(alice).post(
        "/api/v1/posts/", {"content": "to the cloud", "images": [upload(make.jpeg(gps=True))]}, format="multipart"
    )

    assert response.status_code == 201
    image = PostImage.objects.get()
    assert keys(s3) == sorted([image.file.name, image.thumbnail.name])
    stored = s3.get_object(Bucket=BUCKET, Key=image.file.name)["Body"].read()
    assert b"Exif" not in stored

    url = response.data["images"][0]["url"]
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=60" in url
    status, body = http_get(url)
    assert status == 200
    assert Image.open(io.BytesIO(body)).size == (64, 48)
    assert http_get(response.data["images"][0]["thumbnail_url"])[0] == 200


def test_the_bucket_is_private_without_a_signature(s3, s3_endpoint, client_for, alice):
    client_for(alice).post("/api/v1/posts/", {"content": "x", "images": [upload(make.png())]}, format="multipart")
    key = PostImage.objects.get().file.name

    acl = s3.get_object_acl(Bucket=BUCKET, Key=key)
    public = [grant for grant in acl["Grants"] if "AllUsers" in grant["Grantee"].get("URI", "")]
    assert public == []


def test_deleting_a_post_deletes_its_objects(s3, client_for, alice, django_capture_on_commit_callbacks):
    client = client_for(alice)
    post = client.post(
        "/api/v1/posts/", {"content": "x", "images": [upload(make.jpeg()), upload(make.webp())]}, format="multipart"
    ).data
    assert len(keys(s3)) == 4

    with django_capture_on_commit_callbacks(execute=True):
        assert client.delete(f"/api/v1/posts/{post['id']}/").status_code == 204

    assert keys(s3) == []
