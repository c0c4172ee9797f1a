from django.shortcuts import get_object_or_404

from users.models import User


def user_for_ref(ref: str, *, requester) -> User:
    """The user a URL names: `me` is the requester; an unknown id is a 404."""
    if ref == "me":
        return requester
    return get_object_or_404(User, pk=int(ref))


def user_profile(user: User, *, viewer) -> User:
    """`user` with the counts and flags that `viewer` sees."""
    return User.objects.with_profile(viewer).get(pk=user.pk)
