from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from rest_framework.exceptions import ValidationError

from users.models import User

USERNAME_TAKEN = "A user with that username already exists."


def user_create(*, username: str, password: str, email: str = "", display_name: str = "") -> User:
    """Registers a user; the password goes through Django's validators and is stored hashed."""
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": [USERNAME_TAKEN]})
    user = User(username=username, email=email, display_name=display_name)
    try:
        validate_password(password, user=user)
    except DjangoValidationError as exc:
        raise ValidationError({"password": list(exc.messages)}) from exc
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        # Two registrations raced for the same name: the unique index decided.
        raise ValidationError({"username": [USERNAME_TAKEN]}) from exc
    return user


def user_update_profile(*, user: User, display_name: str | None = None, bio: str | None = None) -> User:
    """Changes the requester's own profile; fields left as None stay as they are."""
    changes = {name: value for name, value in (("display_name", display_name), ("bio", bio)) if value is not None}
    for name, value in changes.items():
        setattr(user, name, value)
    if changes:
        user.save(update_fields=list(changes))
    return user


def user_delete(*, user: User) -> None:
    """Deletes an account with its posts, follows and photo files (after commit)."""
    from posts.services import user_photo_files_delete

    with transaction.atomic():
        user_photo_files_delete(user=user)
        user.delete()
