#!/usr/bin/env bash
# Values for the image's OCI labels (Dockerfile build args), written as step
# outputs. CREATED is the commit time, not the build time, so that rebuilding
# one commit gives the same labels.
set -euo pipefail

: "${GITHUB_OUTPUT:?run this inside a GitHub Actions step}"

source_url="${GITHUB_SERVER_URL:-https://github.com}/${GITHUB_REPOSITORY:-sns/sns-backend}"
if [ "${GITHUB_REF_TYPE:-}" = "tag" ]; then
  version="${GITHUB_REF_NAME}"
else
  version="$(git rev-parse --short=12 HEAD)"
fi
created="$(TZ=UTC0 git log -1 --format=%cd --date=format-local:%Y-%m-%dT%H:%M:%SZ)"

{
  echo "source=${source_url}"
  echo "version=${version}"
  echo "created=${created}"
} >>"$GITHUB_OUTPUT"
