from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from sns.pagination import NewestUsersCursorPagination
from sns.schema import USER_ID_PARAMETER, ErrorResponse401Serializer
from sns.throttling import LoginUsernameThrottle, ScopedThrottle
from users import services
from users.models import User
from users.selectors import user_for_ref, user_profile
from users.serializers import (
    LogoutSerializer,
    TokenPairSerializer,
    TokenRefreshResponseSerializer,
    UserProfileUpdateSerializer,
    UserRegisterSerializer,
    UserSerializer,
)

INVALID_REFRESH = "Token is invalid, expired, or not yours."


class RegisterView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedThrottle]
    throttle_scope = "register"

    @extend_schema(request=UserRegisterSerializer, responses={201: UserSerializer}, tags=["auth"])
    def post(self, request):
        serializer = UserRegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_create(**serializer.validated_data)
        profile = user_profile(user, viewer=user)
        return Response(UserSerializer(profile).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["auth"], responses={200: TokenPairSerializer, 401: ErrorResponse401Serializer})
class LoginView(TokenObtainPairView):
    """Exchanges a username and password for a JWT pair."""

    throttle_classes = [ScopedThrottle, LoginUsernameThrottle]
    throttle_scope = "login"


@extend_schema(tags=["auth"], responses={200: TokenRefreshResponseSerializer, 401: ErrorResponse401Serializer})
class RefreshView(TokenRefreshView):
    """Exchanges a refresh token for a new pair; the old refresh token is blacklisted (rotation)."""

    throttle_classes = [ScopedThrottle]
    throttle_scope = "login"


class LogoutView(APIView):
    """Blacklists the requester's refresh token, so it can no longer be used."""

    @extend_schema(
        request=LogoutSerializer,
        responses={204: None},
        tags=["auth"],
    )
    def post(self, request):
        serializer = LogoutSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            token = RefreshToken(serializer.validated_data["refresh"])
        except TokenError:
            raise ValidationError({"refresh": [INVALID_REFRESH]}) from None
        if str(token.get("user_id")) != str(request.user.pk):
            raise ValidationError({"refresh": [INVALID_REFRESH]})
        token.blacklist()
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    get=extend_schema(
        parameters=[OpenApiParameter("search", str, description="Matches username or display name.")],
        tags=["users"],
    )
)
class UserListView(generics.ListAPIView):
    """Every user except the requester, newest first."""

    serializer_class = UserSerializer
    pagination_class = NewestUsersCursorPagination

    def get_queryset(self):
        requester = self.request.user
        return (
            User.objects.exclude(pk=requester.pk)
            .search(self.request.query_params.get("search", ""))
            .with_profile(requester)
        )


@extend_schema(tags=["users"])
class MeView(APIView):
    """The requester's own profile; the only profile anyone can change."""

    @extend_schema(responses=UserSerializer)
    def get(self, request):
        return Response(UserSerializer(user_profile(request.user, viewer=request.user)).data)

    @extend_schema(request=UserProfileUpdateSerializer, responses=UserSerializer)
    def patch(self, request):
        serializer = UserProfileUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.user_update_profile(user=request.user, **serializer.validated_data)
        return Response(UserSerializer(user_profile(request.user, viewer=request.user)).data)


@extend_schema(tags=["users"], parameters=[USER_ID_PARAMETER])
class UserDetailView(APIView):
    @extend_schema(responses=UserSerializer)
    def get(self, request, id):
        user = user_for_ref(id, requester=request.user)
        return Response(UserSerializer(user_profile(user, viewer=request.user)).data)
