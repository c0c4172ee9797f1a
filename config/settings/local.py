"""Developer machine defaults: SQLite, local files and a fixed key, unless the environment says otherwise."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# A fixed key is fine here: local settings never serve real users (production demands its own).
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-development-only-not-a-secret-0123456789abcdef")
AUTO_SEED = env.bool("AUTO_SEED", default=True)
