import mimetypes

from django.conf import settings
from django.core import signing
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from posts import services
from posts.media import signed_name_for
from posts.models import Post, PostImage
from posts.serializers import (
    HiddenFilterSerializer,
    PostCreateSerializer,
    PostImageCreateSerializer,
    PostImageSerializer,
    PostSerializer,
    PostTextCreateSerializer,
    PostUpdateSerializer,
)
from sns.pagination import KeysFirstCursorPagination
from sns.parsers import JSONParser
from sns.permissions import IsAuthorOrReadOnly
from sns.schema import USER_REF_PARAMETER
from sns.throttling import ScopedThrottle
from users.selectors import user_for_ref


def visible_posts(request):
    """Every read of posts starts here: the requester's view of the world, joins included."""
    return Post.objects.visible_to(request.user).with_related()


@extend_schema_view(
    list=extend_schema(summary="All posts visible to the requester, newest first"),
    create=extend_schema(
        request={"application/json": PostTextCreateSerializer, "multipart/form-data": PostCreateSerializer},
        responses={201: PostSerializer},
    ),
    update=extend_schema(request=PostUpdateSerializer, responses=PostSerializer),
    partial_update=extend_schema(request=PostUpdateSerializer, responses=PostSerializer),
    mine=extend_schema(
        parameters=[OpenApiParameter("hidden", bool, description="Only hidden (true) or visible (false) posts.")],
        responses=PostSerializer(many=True),
    ),
    hide=extend_schema(request=None, responses=PostSerializer),
    add_image=extend_schema(
        request={"multipart/form-data": PostImageCreateSerializer}, responses={201: PostImageSerializer}
    ),
    delete_image=extend_schema(
        parameters=[OpenApiParameter("image_id", int, OpenApiParameter.PATH)], responses={204: None}
    ),
    unhide=extend_schema(request=None, responses=PostSerializer),
)
@extend_schema(tags=["posts"])
@extend_validation_errors(["invalid"], field_name="hidden", actions=["mine"])
# The last photo of a post without text cannot be removed.
@extend_validation_errors(["invalid"], field_name="image", actions=["delete_image"])
# Photos: an item error is reported on the list field (see ListFieldErrorsOnTheField).
@extend_validation_errors(["invalid", "empty", "no_name", "max_length"], field_name="images", actions=["create"])
@extend_validation_errors(
    ["invalid", "blank", "max_length", "null_characters_not_allowed", "surrogate_characters_not_allowed"],
    field_name="alt_text",
    actions=["create"],
)
class PostViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = PostSerializer
    permission_classes = [*viewsets.GenericViewSet.permission_classes, IsAuthorOrReadOnly]
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return visible_posts(self.request)

    def get_parsers(self):
        # Photos come as multipart when a post is created; every other write is JSON. DRF asks for the
        # parsers before it sets `self.action`, so the action is read from the method here.
        action = getattr(self, "action", None) or self.action_map.get(self.request.method.lower())
        if action == "create":
            return [JSONParser(), MultiPartParser()]
        return super().get_parsers()

    def get_throttles(self):
        throttles = super().get_throttles()
        if self.action == "create":
            self.throttle_scope = "post_create"
            throttles.append(ScopedThrottle())
        return throttles

    def create(self, request, *args, **kwargs):
        with_files = request.content_type.startswith("multipart/")
        serializer = (PostCreateSerializer if with_files else PostTextCreateSerializer)(data=request.data)
        serializer.is_valid(raise_exception=True)
        post = services.post_create(
            author=request.user,
            content=serializer.validated_data["content"],
            images=serializer.validated_data.get("images", []),
            alt_texts=serializer.validated_data.get("alt_text", []),
        )
        return Response(self._read(post), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        post = self.get_object()
        serializer = PostUpdateSerializer(data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        services.post_update(post=post, **serializer.validated_data)
        return Response(self._read(post))

    def perform_destroy(self, instance):
        services.post_delete(post=instance)

    @action(detail=True, methods=["post"])
    def hide(self, request, pk=None):
        post = services.post_hide(post=self.get_object())
        return Response(self._read(post))

    @action(detail=True, methods=["post"])
    def unhide(self, request, pk=None):
        post = services.post_unhide(post=self.get_object())
        return Response(self._read(post))

    @action(detail=True, methods=["post"], url_path="images", parser_classes=[MultiPartParser])
    def add_image(self, request, pk=None):
        """Adds a photo to the requester's post (4 at most)."""
        post = self.get_object()
        serializer = PostImageCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        image = services.post_image_add(
            post=post, upload=serializer.validated_data["image"], alt_text=serializer.validated_data["alt_text"]
        )
        return Response(
            PostImageSerializer(image, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )

    @action(detail=True, methods=["delete"], url_path=r"images/(?P<image_id>[0-9]+)")
    def delete_image(self, request, pk=None, image_id=None):
        """Removes a photo from the requester's post; its files are deleted too."""
        post = self.get_object()
        image = get_object_or_404(post.images.all(), pk=image_id)
        services.post_image_delete(image=image)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=False, methods=["get"])
    def mine(self, request):
        """The requester's own posts, hidden ones included."""
        # A plain dict: a form-style QueryDict would read a missing `hidden` as false.
        filters = HiddenFilterSerializer(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        posts = self.get_queryset().filter(user=request.user)
        if "hidden" in filters.validated_data:
            posts = posts.filter(is_hidden=filters.validated_data["hidden"])
        page = self.paginate_queryset(posts)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def _read(self, post):
        """The post as the response shows it, re-read through the same visibility rules."""
        return PostSerializer(self.get_queryset().get(pk=post.pk), context=self.get_serializer_context()).data


@extend_schema(tags=["posts"], parameters=[USER_REF_PARAMETER])
class UserPostListView(generics.ListAPIView):
    """One user's posts that the requester may see, newest first."""

    serializer_class = PostSerializer

    def get_queryset(self):
        author = user_for_ref(self.kwargs["id"], requester=self.request.user)
        return visible_posts(self.request).filter(user=author)


@extend_schema(tags=["posts"])
class FeedView(generics.ListAPIView):
    """Visible posts by the users the requester follows, newest first."""

    serializer_class = PostSerializer
    pagination_class = KeysFirstCursorPagination

    def get_queryset(self):
        return visible_posts(self.request).by_followed_users_of(self.request.user)


def media_file(request, name):
    """Serves a local photo to whoever holds a valid, unexpired URL issued while it was visible to them."""
    try:
        signed_name, viewer_id = signed_name_for(request.GET.get("token", ""))
    except signing.BadSignature:
        raise Http404 from None
    if signed_name != name:
        raise Http404
    image = PostImage.objects.select_related("post").for_file(name).first()
    # The visibility rule again: a hidden post's photos exist only for its author, old URLs included.
    if image is None or (image.post.is_hidden and str(image.post.user_id) != viewer_id):
        raise Http404
    try:
        handle = default_storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=mimetypes.guess_type(name)[0] or "application/octet-stream")
    response["Cache-Control"] = f"private, max-age={settings.IMAGE_URL_TTL}"
    response["X-Content-Type-Options"] = "nosniff"
    return response
