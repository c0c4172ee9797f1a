from rest_framework.permissions import SAFE_METHODS, BasePermission


class IsAuthorOrReadOnly(BasePermission):
    """Anyone who can see an object may read it; only its author (`obj.user`) may change it.

    Objects the requester cannot see never get here: querysets filter them out first (404).
    """

    message = "Only the author can change this post."

    def has_object_permission(self, request, view, obj):
        return request.method in SAFE_METHODS or obj.user_id == request.user.pk
