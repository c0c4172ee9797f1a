from django.db import transaction
from django.utils import timezone

from posts.models import Post


@transaction.atomic
def post_create(*, author, content: str) -> Post:
    """Publishes a post; the author is always the requester, never a value from the body."""
    return Post.objects.create(user=author, content=content)


@transaction.atomic
def post_update(*, post: Post, content: str | None = None, is_hidden: bool | None = None) -> Post:
    fields = ["updated_date"]
    if content is not None:
        post.content = content
        fields.append("content")
    if is_hidden is not None:
        post.is_hidden = is_hidden
        fields.append("is_hidden")
    post.updated_date = timezone.now()
    post.save(update_fields=fields)
    return post


def post_hide(*, post: Post) -> Post:
    return post_update(post=post, is_hidden=True)


def post_unhide(*, post: Post) -> Post:
    return post_update(post=post, is_hidden=False)


@transaction.atomic
def post_delete(*, post: Post) -> None:
    post.delete()
