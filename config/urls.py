from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from posts.views import media_file
from sns import views as sns_views

# Each app owns its routes under /api/v1/.
api_v1 = [
    path("", include("users.urls")),
    path("", include("follows.urls")),
    path("", include("posts.urls")),
]

urlpatterns = [
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    path("media/<path:name>", media_file, name="media-file"),
    path("_test/error", sns_views.test_error, name="test-error"),
    path("admin/", admin.site.urls),
]

# Errors outside the API are JSON too (the API's own come from DRF's exception handler).
handler400 = "sns.views.bad_request"
handler403 = "sns.views.permission_denied"
handler404 = "sns.views.not_found"
handler500 = "sns.views.server_error"
