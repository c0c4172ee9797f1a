from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Lower


class UserQuerySet(models.QuerySet):
    def with_profile(self, viewer):
        """Counts and relationship flags for `viewer`, computed in the same query as the users."""
        from follows.models import Follow
        from posts.models import Post

        def count_of(queryset, column):
            # COUNT(*), not COUNT(id): nothing outside the index is read, so PostgreSQL counts a
            # user's follows with an index-only scan instead of visiting every row.
            counted = queryset.order_by().values(column).annotate(n=models.Count("*")).values("n")
            return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))

        return self.annotate(
            followers_count=count_of(Follow.objects.filter(following=OuterRef("pk")), "following"),
            following_count=count_of(Follow.objects.filter(follower=OuterRef("pk")), "follower"),
            # Hidden posts count only when the viewer is their author: the same rule as every read.
            posts_count=count_of(Post.objects.visible_to(viewer).filter(user=OuterRef("pk")), "user"),
            is_following=Exists(Follow.objects.filter(follower=viewer.pk, following=OuterRef("pk"))),
            follows_you=Exists(Follow.objects.filter(follower=OuterRef("pk"), following=viewer.pk)),
        )

    def search(self, term):
        term = term.strip()
        if not term:
            return self
        return self.filter(models.Q(username__icontains=term) | models.Q(display_name__icontains=term))


class UserManagerWithQueries(UserManager.from_queryset(UserQuerySet)):
    """Django's user manager (create_user...) plus the queryset's methods."""


class User(AbstractUser):
    display_name = models.CharField(max_length=50, blank=True)
    bio = models.CharField(max_length=160, blank=True)

    objects = UserManagerWithQueries()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("username"), name="users_user_username_ci_unique"),
        ]

    def __str__(self):
        return self.username
