from django.urls import path
from rest_framework.routers import SimpleRouter

from posts import views

router = SimpleRouter()
router.register("posts", views.PostViewSet, basename="post")

urlpatterns = [
    path("feed/", views.FeedView.as_view(), name="feed"),
    path("users/<user_ref:id>/posts/", views.UserPostListView.as_view(), name="user-posts"),
    *router.urls,
]
