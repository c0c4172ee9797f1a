from contextlib import contextmanager

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework.exceptions import NotFound, ValidationError

from posts import media
from posts.images import ProcessedImage, process_image
from posts.models import Post, PostImage

CONTENT_REQUIRED = "A post needs content (1 to 500 characters) unless it has a photo."


def post_create(*, author, content: str, images=(), alt_texts=()) -> Post:
    """Publishes a post, with up to 4 photos; the author is always the requester, never a value from the body."""
    if len(images) > settings.IMAGE_MAX_PER_POST:
        raise ValidationError({"images": [f"A post can have at most {settings.IMAGE_MAX_PER_POST} images."]})
    if len(alt_texts) > len(images):
        raise ValidationError({"alt_text": ["One alt text per image at most."]})
    if not content and not images:
        raise ValidationError({"content": [CONTENT_REQUIRED]})
    # Every photo is checked before anything is written: one bad file refuses the whole post.
    processed = [process_image(upload, field="images") for upload in images]
    alt_texts = list(alt_texts) + [""] * (len(processed) - len(alt_texts))
    with _files_removed_on_failure() as stored, transaction.atomic():
        post = Post.objects.create(user=author, content=content)
        for image, alt_text in zip(processed, alt_texts, strict=True):
            _attach(post, image, alt_text, stored)
    return post


def post_update(*, post: Post, content: str | None = None, is_hidden: bool | None = None) -> Post:
    with transaction.atomic():
        post = _locked(post.pk)
        fields = ["updated_date"]
        if content is not None:
            if not content and not post.images.exists():
                raise ValidationError({"content": [CONTENT_REQUIRED]})
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


def post_delete(*, post: Post) -> None:
    """Deletes the post and, once that is committed, its photo files."""
    with transaction.atomic():
        names = [name for image in post.images.all() for name in (image.file.name, image.thumbnail.name)]
        post.delete()
        media.delete_files_after_commit(names)


def user_photo_files_delete(*, user) -> None:
    """Schedules the deletion of every photo file of `user`'s posts, for when the account goes."""
    images = PostImage.objects.filter(post__user=user).values_list("file", "thumbnail")
    media.delete_files_after_commit([name for pair in images for name in pair])


def post_image_add(*, post: Post, upload, alt_text: str = "") -> PostImage:
    processed = process_image(upload, field="image")
    with _files_removed_on_failure() as stored, transaction.atomic():
        # Lock the post, then count in the database: concurrent uploads cannot together pass the limit
        # (the caller's `post` may carry a prefetched list of images read before the lock).
        if _locked(post.pk).images.count() >= settings.IMAGE_MAX_PER_POST:
            raise ValidationError({"image": [f"A post can have at most {settings.IMAGE_MAX_PER_POST} images."]})
        return _attach(post, processed, alt_text, stored)


def post_image_delete(*, image: PostImage, allow_last: bool = False) -> None:
    """Removes a photo and then its files; the last photo of a post without text stays unless `allow_last`."""
    with transaction.atomic():
        post = _locked(image.post_id)
        if not allow_last and not post.content and post.images.count() == 1:
            raise ValidationError({"image": ["The post has no content: its last photo cannot be removed."]})
        image.delete()
        media.delete_files_after_commit([image.file.name, image.thumbnail.name])


def _locked(post_id) -> Post:
    """The post, locked until the transaction ends; 404 when a concurrent request deleted it."""
    post = Post.objects.select_for_update().filter(pk=post_id).first()
    if post is None:
        raise NotFound("No Post matches the given query.")
    return post


def _attach(post: Post, image: ProcessedImage, alt_text: str, stored: list) -> PostImage:
    file_name = media.store(image.full)
    stored.append(file_name)
    thumbnail_name = media.store(image.thumbnail)
    stored.append(thumbnail_name)
    return PostImage.objects.create(
        post=post,
        file=file_name,
        thumbnail=thumbnail_name,
        width=image.full.width,
        height=image.full.height,
        alt_text=alt_text,
    )


@contextmanager
def _files_removed_on_failure():
    """Collects the names of files stored inside the block; deletes them if the block fails."""
    names = []
    try:
        yield names
    except BaseException:
        media.delete_files_now(names)
        raise
