"""Test helpers shared by every app: users on demand and API clients acting as them."""

import itertools

import pytest
from rest_framework.test import APIClient

from follows.models import Follow
from posts.models import Post
from users.models import User

_numbers = itertools.count(1)


@pytest.fixture
def make_user(db):
    def make(username=None, **fields):
        username = username or f"user{next(_numbers)}"
        return User.objects.create_user(username=username, password="a-Strong-passw0rd", **fields)

    return make


@pytest.fixture
def make_post(db):
    def make(user, content="hello world", **fields):
        return Post.objects.create(user=user, content=content, **fields)

    return make


@pytest.fixture
def follow(db):
    def make(follower, following):
        return Follow.objects.create(follower=follower, following=following)

    return make


@pytest.fixture
def client_for():
    """An API client authenticated as `user` (anonymous for None)."""

    def make(user=None):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def alice(make_user):
    return make_user("alice", display_name="Alice")


@pytest.fixture
def bob(make_user):
    return make_user("bob", display_name="Bob")


@pytest.fixture
def carol(make_user):
    return make_user("carol", display_name="Carol")
