from rest_framework import serializers

from sns.serializers import StrictFieldsMixin
from users.models import User


class UserSummarySerializer(serializers.ModelSerializer):
    """Who wrote a post: enough to show a name."""

    class Meta:
        model = User
        fields = ("id", "username", "display_name")
        read_only_fields = fields


class UserSerializer(serializers.ModelSerializer):
    """A profile as the requester sees it; counts and flags come from `User.objects.with_profile()`."""

    followers_count = serializers.IntegerField(read_only=True)
    following_count = serializers.IntegerField(read_only=True)
    posts_count = serializers.IntegerField(read_only=True)
    is_following = serializers.BooleanField(read_only=True, help_text="The requester follows this user.")
    follows_you = serializers.BooleanField(read_only=True, help_text="This user follows the requester.")

    class Meta:
        model = User
        fields = (
            "id",
            "username",
            "display_name",
            "bio",
            "followers_count",
            "following_count",
            "posts_count",
            "is_following",
            "follows_you",
        )
        read_only_fields = fields


class UserRegisterSerializer(StrictFieldsMixin, serializers.Serializer):
    username = serializers.RegexField(
        r"^[\w.@+-]+\Z",
        max_length=150,
        error_messages={"invalid": "Letters, digits and @/./+/-/_ only."},
    )
    password = serializers.CharField(
        write_only=True, max_length=128, trim_whitespace=False, style={"input_type": "password"}
    )
    email = serializers.EmailField(required=False, allow_blank=True)
    display_name = serializers.CharField(required=False, allow_blank=True, max_length=50)


class UserProfileUpdateSerializer(StrictFieldsMixin, serializers.Serializer):
    display_name = serializers.CharField(required=False, allow_blank=True, max_length=50)
    bio = serializers.CharField(required=False, allow_blank=True, max_length=160)


class LogoutSerializer(StrictFieldsMixin, serializers.Serializer):
    refresh = serializers.CharField(write_only=True)


class TokenPairSerializer(serializers.Serializer):
    """What a login returns: a short-lived access token and a refresh token."""

    access = serializers.CharField(read_only=True)
    refresh = serializers.CharField(read_only=True)


class TokenRefreshResponseSerializer(serializers.Serializer):
    """A new access token and, with rotation, a new refresh token (the old one is blacklisted)."""

    access = serializers.CharField(read_only=True)
    refresh = serializers.CharField(read_only=True)
