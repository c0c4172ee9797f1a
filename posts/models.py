from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class PostQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one visibility rule: a hidden post exists only for its author."""
        if user is None or not user.is_authenticated:
            return self.filter(is_hidden=False)
        return self.filter(Q(is_hidden=False) | Q(user=user.pk))

    def with_related(self):
        """What serializing a post needs, loaded in a fixed number of queries."""
        return self.select_related("user").prefetch_related("images")

    def by_followed_users_of(self, user):
        from follows.models import Follow

        return self.filter(user__in=Follow.objects.filter(follower=user.pk).values("following"))

    def newest_first(self):
        return self.order_by("-created_date", "-id")


class Post(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts")
    content = models.TextField(max_length=500, blank=True)
    is_hidden = models.BooleanField(default=False)
    # A default rather than auto_now_add, so bulk seeding can spread posts over time.
    created_date = models.DateTimeField(default=timezone.now, editable=False)
    updated_date = models.DateTimeField(auto_now=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ("-created_date", "-id")
        indexes = [
            # A user's posts and the feed (user IN followed), newest first.
            models.Index(fields=["user", "-created_date", "-id"], name="post_user_newest_idx"),
            # Every post newest first, with the columns the visibility rule and the feed filter on, so
            # a page is found by an index-only scan. Not partial: `visible_to()` reads `NOT is_hidden
            # OR user = me`, which a `WHERE NOT is_hidden` index cannot serve (PostgreSQL sorted the
            # whole table). Key columns rather than INCLUDE: the same plans, and SQLite takes it too.
            models.Index(fields=["-created_date", "-id", "user", "is_hidden"], name="post_newest_idx"),
        ]

    def __str__(self):
        return f"Post {self.pk} by {self.user_id}"


class PostImageQuerySet(models.QuerySet):
    def for_file(self, name):
        return self.filter(Q(file=name) | Q(thumbnail=name))


class PostImage(models.Model):
    """A photo on a post. Files are stored under random names; see posts/media.py for their URLs."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="images")
    file = models.FileField(max_length=200)
    thumbnail = models.FileField(max_length=200)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    alt_text = models.CharField(max_length=1000, blank=True)
    created_date = models.DateTimeField(default=timezone.now, editable=False)

    objects = PostImageQuerySet.as_manager()

    class Meta:
        ordering = ("id",)
        indexes = [
            models.Index(fields=["file"], name="postimage_file_idx"),
            models.Index(fields=["thumbnail"], name="postimage_thumbnail_idx"),
        ]

    def __str__(self):
        return f"Image {self.pk} of post {self.post_id}"
