from django.urls import path

from follows import views

urlpatterns = [
    path("users/<user_ref:id>/follow/", views.FollowView.as_view(), name="user-follow"),
    path("users/<user_ref:id>/following/", views.FollowingListView.as_view(), name="user-following"),
    path("users/<user_ref:id>/followers/", views.FollowerListView.as_view(), name="user-followers"),
]
