from django.db import IntegrityError, transaction
from rest_framework.exceptions import ValidationError

from follows.models import Follow

FOLLOW_CREATE_ATTEMPTS = 3


def follow_create(*, follower, following) -> tuple[Follow, bool]:
    """Follows `following`; idempotent. Returns the relation and whether it is new."""
    if follower.pk == following.pk:
        raise ValidationError({"id": ["You cannot follow yourself."]})
    for _ in range(FOLLOW_CREATE_ATTEMPTS):
        try:
            with transaction.atomic():
                return Follow.objects.get_or_create(follower=follower, following=following)
        except IntegrityError:
            # A concurrent request created the same pair first (the unique constraint decided), and a
            # concurrent unfollow may have removed it again since: look again rather than assume it exists.
            continue
    return Follow.objects.get(follower=follower, following=following), False


def follow_delete(*, follower, following) -> None:
    """Unfollows; idempotent (no error when there was nothing to remove)."""
    Follow.objects.filter(follower=follower, following=following).delete()
