from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from posts.models import Post
from sns.serializers import StrictFieldsMixin
from users.serializers import UserSummarySerializer

CONTENT_MAX_LENGTH = 500
# Read-only parts of a post that a client may send back; the author is always the requester.
POST_READ_ONLY_FIELDS = ("id", "author", "user", "images", "created_date", "updated_date")


class PostSerializer(serializers.ModelSerializer):
    """A post as clients see it."""

    author = UserSummarySerializer(source="user", read_only=True)
    images = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = ("id", "author", "content", "is_hidden", "images", "created_date", "updated_date")
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_images(self, post):
        return []


class PostCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    ignored_fields = POST_READ_ONLY_FIELDS
    content = serializers.CharField(max_length=CONTENT_MAX_LENGTH, allow_blank=True, default="")

    def validate(self, attrs):
        if not attrs["content"]:
            raise serializers.ValidationError({"content": ["A post needs content (1 to 500 characters)."]})
        return attrs


class PostUpdateSerializer(StrictFieldsMixin, serializers.Serializer):
    ignored_fields = POST_READ_ONLY_FIELDS
    content = serializers.CharField(max_length=CONTENT_MAX_LENGTH, allow_blank=True, required=False)
    is_hidden = serializers.BooleanField(required=False)

    def validate_content(self, value):
        if not value:
            raise serializers.ValidationError("A post needs content (1 to 500 characters).")
        return value


class HiddenFilterSerializer(serializers.Serializer):
    hidden = serializers.BooleanField(required=False, allow_null=True, default=None)
