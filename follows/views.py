from drf_spectacular.utils import extend_schema
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from follows import selectors, services
from sns.pagination import RecentFollowsCursorPagination
from sns.schema import USER_REF_PARAMETER
from users.selectors import user_for_ref, user_profile
from users.serializers import UserSerializer


@extend_schema(tags=["follows"], parameters=[USER_REF_PARAMETER])
@extend_validation_errors(["invalid"], field_name="id", methods=["post"])  # following yourself
class FollowView(APIView):
    @extend_schema(request=None, responses={200: UserSerializer, 201: UserSerializer})
    def post(self, request, id):
        """Follow a user: 201 when new, 200 when already following."""
        target = user_for_ref(id, requester=request.user)
        _, created = services.follow_create(follower=request.user, following=target)
        return Response(
            UserSerializer(user_profile(target, viewer=request.user)).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(responses={204: None})
    def delete(self, request, id):
        """Unfollow a user: 204 whether or not you were following."""
        target = user_for_ref(id, requester=request.user)
        services.follow_delete(follower=request.user, following=target)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["follows"], parameters=[USER_REF_PARAMETER])
class FollowingListView(generics.ListAPIView):
    """Users that {id} follows, most recent first."""

    serializer_class = UserSerializer
    pagination_class = RecentFollowsCursorPagination

    def get_queryset(self):
        user = user_for_ref(self.kwargs["id"], requester=self.request.user)
        return selectors.users_followed_by(user, viewer=self.request.user)


@extend_schema(tags=["follows"], parameters=[USER_REF_PARAMETER])
class FollowerListView(generics.ListAPIView):
    """Users following {id}, most recent first."""

    serializer_class = UserSerializer
    pagination_class = RecentFollowsCursorPagination

    def get_queryset(self):
        user = user_for_ref(self.kwargs["id"], requester=self.request.user)
        return selectors.followers_of(user, viewer=self.request.user)
