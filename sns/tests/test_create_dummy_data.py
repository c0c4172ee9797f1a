import pytest
from django.core.management import CommandError, call_command

from follows.models import Follow
from posts.models import Post
from users.models import User

pytestmark = pytest.mark.django_db


def seed(*args):
    call_command("create_dummy_data", *args, verbosity=0)


def snapshot():
    return (
        list(User.objects.order_by("username").values_list("username", "display_name", "bio")),
        sorted(Post.objects.values_list("user__username", "content", "is_hidden")),
        sorted(Follow.objects.values_list("follower__username", "following__username")),
    )


def test_defaults_make_a_small_realistic_network():
    seed()

    assert User.objects.count() >= 10
    assert all(user.posts.count() >= 3 for user in User.objects.all())
    assert Post.objects.filter(is_hidden=True).exists()
    assert Follow.objects.count() >= User.objects.count()
    demo = User.objects.get(username="demo")
    assert demo.check_password("demo-password-2024")
    assert Follow.objects.filter(follower=demo).exists()
    assert not Follow.objects.filter(follower=demo, following=demo).exists()


def test_the_same_seed_makes_the_same_data():
    seed("--seed", "7", "--users", "30")
    first = snapshot()
    User.objects.all().delete()

    seed("--seed", "7", "--users", "30")

    assert snapshot() == first


def test_another_seed_makes_other_data():
    seed("--seed", "1")
    first = snapshot()
    User.objects.all().delete()

    seed("--seed", "2")

    assert snapshot() != first


def test_options_set_the_sizes():
    seed("--users", "20", "--posts-per-user", "4", "--follows-per-user", "5", "--hidden-ratio", "0")

    assert User.objects.count() == 20
    assert Post.objects.count() == 80
    assert not Post.objects.filter(is_hidden=True).exists()
    assert Follow.objects.filter(follower__username="demo").count() == 5


def test_a_non_empty_database_is_refused_or_left_alone(make_user):
    make_user("existing")

    with pytest.raises(CommandError):
        seed()
    seed("--if-empty")

    assert User.objects.count() == 1
