from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from posts import media
from posts.models import Post, PostImage
from sns.serializers import ListFieldErrorsOnTheField, StrictFieldsMixin
from users.serializers import UserSummarySerializer

CONTENT_MAX_LENGTH = 500
ALT_TEXT_MAX_LENGTH = 1000
# Read-only parts of a post that a client may send back; the author is always the requester.
POST_READ_ONLY_FIELDS = ("id", "author", "user", "created_date", "updated_date")


@extend_schema_field({"type": "string", "description": f"1 to {CONTENT_MAX_LENGTH} characters after trimming."})
class PostContentField(serializers.CharField):
    """Post text; its length counts after trimming, so the schema cannot state it as a raw maxLength."""

    length_after_trimming = True

    def __init__(self, **kwargs):
        super().__init__(max_length=CONTENT_MAX_LENGTH, allow_blank=True, **kwargs)


class PostImageSerializer(serializers.ModelSerializer):
    """A photo: URLs are signed for the requester and expire (IMAGE_URL_TTL)."""

    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = PostImage
        fields = ("id", "url", "thumbnail_url", "width", "height", "alt_text")
        read_only_fields = fields

    @extend_schema_field(serializers.URLField())
    def get_url(self, image):
        return self._url(image.file.name)

    @extend_schema_field(serializers.URLField())
    def get_thumbnail_url(self, image):
        return self._url(image.thumbnail.name)

    def _url(self, name):
        request = self.context.get("request")
        return media.file_url(name, viewer=request.user if request else None, request=request)


class PostSerializer(serializers.ModelSerializer):
    """A post as clients see it."""

    author = UserSummarySerializer(source="user", read_only=True)
    images = PostImageSerializer(many=True, read_only=True)

    class Meta:
        model = Post
        fields = ("id", "author", "content", "is_hidden", "images", "created_date", "updated_date")
        read_only_fields = fields


class PostTextCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    """A new post as JSON: `{content}`."""

    ignored_fields = POST_READ_ONLY_FIELDS

    content = PostContentField(default="")


class PostCreateSerializer(PostTextCreateSerializer):
    """A new post as multipart: `content`, up to 4 `images` and one `alt_text` per image, in order."""

    images = ListFieldErrorsOnTheField(
        child=serializers.FileField(allow_empty_file=False),
        required=False,
        default=list,
        max_length=settings.IMAGE_MAX_PER_POST,
    )
    alt_text = ListFieldErrorsOnTheField(
        child=serializers.CharField(max_length=ALT_TEXT_MAX_LENGTH, allow_blank=True),
        required=False,
        default=list,
        max_length=settings.IMAGE_MAX_PER_POST,
    )


class PostUpdateSerializer(StrictFieldsMixin, serializers.Serializer):
    ignored_fields = (*POST_READ_ONLY_FIELDS, "images")

    content = PostContentField(required=False)
    is_hidden = serializers.BooleanField(required=False)


class PostImageCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    image = serializers.FileField(allow_empty_file=False)
    alt_text = serializers.CharField(max_length=ALT_TEXT_MAX_LENGTH, allow_blank=True, required=False, default="")


class HiddenFilterSerializer(serializers.Serializer):
    hidden = serializers.BooleanField(required=False)
