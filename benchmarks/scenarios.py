"""What is measured: the issue's ten scenarios, and the floor's two twins."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    mode: str  # get | post_json | post_image | follow_unfollow (see wrk/scenario.lua)
    path: str = ""  # formatted with the actors of the data set ({author}, {celebrity}, {feed_page_10})
    actor: str = "demo"  # whose token: demo (follows ~48) or power (follows 5,000)
    expect: str = "200"
    is_list: bool = False
    floor_twin: bool = False  # the floor answers the same request

    @property
    def method(self) -> str:
        return "GET" if self.mode == "get" else "POST"


SCENARIOS = [
    Scenario("feed_first", "Feed, first page", "get", "/api/v1/feed/", is_list=True, floor_twin=True),
    Scenario("feed_deep", "Feed, 10 pages deep", "get", "{feed_page_10}", is_list=True),
    Scenario("feed_power", "Feed of a user following 5,000", "get", "/api/v1/feed/", actor="power", is_list=True),
    Scenario("posts_all", "All posts", "get", "/api/v1/posts/", is_list=True),
    Scenario("users_list", "User list with is_following", "get", "/api/v1/users/", is_list=True, floor_twin=True),
    Scenario("user_posts", "A user's posts", "get", "/api/v1/users/{author}/posts/", is_list=True),
    Scenario("followers", "Followers of a celebrity", "get", "/api/v1/users/{celebrity}/followers/", is_list=True),
    Scenario("post_create", "Create a post", "post_json", "/api/v1/posts/", expect="201"),
    Scenario("follow_unfollow", "Follow then unfollow", "follow_unfollow", expect="200,201,204"),
    Scenario("post_image", "Create a post with a 2000x1500 JPEG", "post_image", "/api/v1/posts/", expect="201"),
]
BY_NAME = {scenario.name: scenario for scenario in SCENARIOS}
