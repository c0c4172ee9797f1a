# sns-backend image: Django + DRF served by gunicorn.
#
# Two stages: "builder" (full Debian image with compilers and headers) turns
# requirements.txt into wheels and installs them into a virtualenv; "runtime"
# (slim image, same Python patch release so the venv's interpreter path and ABI
# match) receives only that virtualenv and the application code. No compiler,
# pip cache, wheel or test reaches the final image (see .dockerignore).
#
# Build args for the OCI labels (CI passes them; the defaults are for laptops):
#   docker build --build-arg SOURCE=https://github.com/ORG/REPO \
#     --build-arg REVISION="$(git rev-parse HEAD)" --build-arg VERSION=1.2.3 \
#     --build-arg CREATED="$(date -u +%Y-%m-%dT%H:%M:%SZ)" -t sns-backend:dev .

FROM python:3.11.15-bookworm AS builder

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /build
COPY requirements.txt ./
RUN pip wheel --no-cache-dir --wheel-dir /build/wheels -r requirements.txt \
    && python -m venv /opt/venv \
    && /opt/venv/bin/pip install --no-cache-dir --no-index --find-links /build/wheels -r requirements.txt


FROM python:3.11.15-slim-bookworm AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus \
    PORT=8000

# Numeric uid/gid 10001 (the runtime contract); the code stays owned by root, so
# the process cannot rewrite it; it writes only to /tmp (metrics) and /app/media.
RUN groupadd --system --gid 10001 sns \
    && useradd --system --uid 10001 --gid 10001 --no-create-home \
       --home-dir /nonexistent --shell /usr/sbin/nologin sns

WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
COPY . .

# Static files are collected once, at build time. The secret key and database
# URL below exist only for this RUN (production settings refuse to start without
# them); they never become image ENV. The real ones come from the runtime env.
# MEDIA_ROOT (/app/media) is the one writable directory, for the file-system
# storage fallback when no S3 bucket is configured.
RUN chmod 0755 docker/entrypoint.sh \
    && DJANGO_SECRET_KEY=build-time-only-collectstatic-key-not-a-secret-0123456789 \
       DATABASE_URL=sqlite:// \
       python manage.py collectstatic --noinput --verbosity 0 \
    && install -d -o 10001 -g 10001 -m 0750 /app/media

USER 10001:10001
EXPOSE 8000

# No curl in the slim image: urllib raises (exit 1) on a refused connection or
# any non-2xx answer. /healthz does not touch the database (liveness only).
# It probes $PORT: set PORT, not GUNICORN_BIND, to move the server to another port.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=4)"]

# Declared last: changing them (every commit) invalidates no build cache above.
ARG SOURCE=""
ARG REVISION=unknown
ARG VERSION=dev
ARG CREATED=unknown
LABEL org.opencontainers.image.title="sns-backend" \
      org.opencontainers.image.description="SNS REST API (Django, DRF, gunicorn)" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.created="${CREATED}"

ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["gunicorn", "-c", "/app/gunicorn.conf.py", "config.wsgi:application"]
