from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class Follow(models.Model):
    follower = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="following_relations")
    following = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follower_relations")
    created_date = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "following"], name="follow_unique_pair"),
            models.CheckConstraint(condition=~Q(follower=F("following")), name="follow_not_self"),
        ]
        indexes = [
            # Followers of a user, most recent first (the unique pair serves "whom I follow").
            models.Index(fields=["following", "-created_date"], name="follow_following_recent_idx"),
        ]

    def __str__(self):
        return f"{self.follower_id} follows {self.following_id}"
