"""Every list runs the same number of SQL queries whatever the page size (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from posts.models import PostImage

pytestmark = pytest.mark.django_db

# The page (posts joined with their authors) and its photos, plus the author lookup for a user's posts.
# The feed finds its page on the keys first (KeysFirstCursorPagination): one query more.
LISTS = [
    ("/api/v1/posts/", 2),
    ("/api/v1/posts/mine/", 2),
    ("/api/v1/feed/", 3),
    ("/api/v1/users/{bob}/posts/", 3),
    ("/api/v1/users/{alice}/posts/", 3),
]


def with_photos(post, count):
    for n in range(count):
        PostImage.objects.create(post=post, file=f"images/p{post.pk}-{n}.jpg", thumbnail="t.jpg", width=4, height=3)


@pytest.fixture
def busy_network(make_user, make_post, follow, alice, bob):
    follow(alice, bob)
    for n in range(30):
        with_photos(make_post(alice, f"alice {n}", is_hidden=n % 5 == 0), n % 3)
        with_photos(make_post(bob, f"bob {n}", is_hidden=n % 7 == 0), n % 4)
    for n in range(15):
        writer = make_user(f"writer{n}")
        follow(alice, writer)
        make_post(writer, "hi")


@pytest.mark.parametrize(("path", "expected_queries"), LISTS)
def test_post_lists_query_count_does_not_grow_with_page_size(
    path, expected_queries, busy_network, client_for, alice, bob
):
    client = client_for(alice)
    url = path.format(alice=alice.pk, bob=bob.pk)
    counts = {}
    for page_size in (5, 50):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, {"page_size": page_size})
        assert response.status_code == 200
        returned = len(response.data["results"])
        assert returned == 5 if page_size == 5 else returned > 5
        counts[page_size] = len(captured.captured_queries)

    assert counts[5] == counts[50] == expected_queries
