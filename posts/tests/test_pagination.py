import pytest

pytestmark = pytest.mark.django_db


def test_pages_neither_repeat_nor_skip_when_posts_arrive_between_them(client_for, make_post, alice, bob):
    originals = [make_post(bob, f"post {n}") for n in range(7)]
    client = client_for(alice)

    seen, url = [], "/api/v1/posts/?page_size=3"
    while url:
        page = client.get(url)
        seen += [post["id"] for post in page.data["results"]]
        make_post(bob, "arrived while paging")
        url = page.data["next"]

    assert seen == [post.pk for post in reversed(originals)]


def test_next_link_keeps_filters_and_is_also_a_link_header(client_for, make_post, alice):
    for n in range(4):
        make_post(alice, f"mine {n}", is_hidden=True)

    response = client_for(alice).get("/api/v1/posts/mine/", {"hidden": "true", "page_size": 2})

    assert response.data["next"].startswith("http://testserver/api/v1/posts/mine/?")
    assert "hidden=true" in response.data["next"] and "page_size=2" in response.data["next"]
    assert response["Link"] == f'<{response.data["next"]}>; rel="next"'
    second = client_for(alice).get(response.data["next"])
    assert 'rel="prev"' in second["Link"] and second.data["previous"]


@pytest.mark.parametrize("page_size", ["0", "-1", "101", "ten"])
def test_page_size_out_of_range_is_400(client_for, alice, page_size):
    response = client_for(alice).get("/api/v1/posts/", {"page_size": page_size})

    assert response.status_code == 400
    assert response.data["errors"][0]["attr"] == "page_size"


@pytest.mark.parametrize("cursor", ["garbage!!", "cD1ub3QtYS1kYXRl", "bz0xJnA9eA=="])
def test_forged_cursors_are_400(client_for, make_post, alice, cursor):
    make_post(alice)

    response = client_for(alice).get("/api/v1/posts/", {"cursor": cursor})

    assert response.status_code == 400
    assert response.data["errors"][0]["attr"] == "cursor"
