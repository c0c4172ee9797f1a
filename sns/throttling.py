"""DRF throttles that a single setting (THROTTLE_ENABLED) switches off, e.g. for load tests."""

from django.conf import settings
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle


class _Switchable:
    def allow_request(self, request, view):
        if not settings.THROTTLE_ENABLED:
            return True
        return super().allow_request(request, view)


class DefaultRateThrottle(_Switchable, SimpleRateThrottle):
    """Everything else: per user when authenticated, per client IP otherwise."""

    def get_rate(self):
        # The scope is decided per request, so the rate is looked up there too.
        return None

    def allow_request(self, request, view):
        self.scope = "user" if request.user and request.user.is_authenticated else "anon"
        self.rate = self.THROTTLE_RATES[self.scope]
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        authenticated = request.user and request.user.is_authenticated
        ident = request.user.pk if authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class ScopedThrottle(_Switchable, ScopedRateThrottle):
    """Per view scope (`throttle_scope`: register, login, post_create), per user or IP."""


class LoginUsernameThrottle(_Switchable, SimpleRateThrottle):
    """Limits password guesses against one account, whichever IPs they come from."""

    scope = "login_username"

    def get_cache_key(self, request, view):
        username = request.data.get("username") if hasattr(request.data, "get") else None
        if not isinstance(username, str) or not username:
            return None
        return self.cache_format % {"scope": self.scope, "ident": username.strip().lower()[:150]}
