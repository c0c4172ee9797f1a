from django.db.models import F

from users.models import User


def users_followed_by(user, *, viewer):
    """Whom `user` follows, most recent first, with `viewer`'s profile flags."""
    return (
        User.objects.filter(follower_relations__follower=user)
        .annotate(followed_at=F("follower_relations__created_date"))
        .with_profile(viewer)
    )


def followers_of(user, *, viewer):
    """Who follows `user`, most recent first, with `viewer`'s profile flags."""
    return (
        User.objects.filter(following_relations__following=user)
        .annotate(followed_at=F("following_relations__created_date"))
        .with_profile(viewer)
    )
