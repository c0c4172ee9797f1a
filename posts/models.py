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
        return self.select_related("user")

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
            # Everyone's visible posts, newest first.
            models.Index(fields=["-created_date", "-id"], name="post_visible_newest_idx", condition=Q(is_hidden=False)),
        ]

    def __str__(self):
        return f"Post {self.pk} by {self.user_id}"
