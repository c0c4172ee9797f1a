#!/usr/bin/env bash
# Registry bookkeeping that lets production take exactly the image staging tested.
# The image is built once (cd.yml, job build) and pushed as REPOSITORY:SHA. Nothing
# here builds: tags are added to the existing manifest with `docker buildx imagetools`.
#
#   release_image.sh staging-passed REPOSITORY SHA
#       after staging's smoke test passed: tag REPOSITORY:SHA as REPOSITORY:staging-SHA
#   release_image.sh verify REPOSITORY SHA [VERSION]
#       before production: REPOSITORY:SHA must exist and REPOSITORY:staging-SHA must be
#       the same manifest; with VERSION (a v* git tag) also tag it REPOSITORY:VERSION
#
# Needs a `docker login` to the registry (docker/login-action) and docker buildx.
set -euo pipefail

usage() {
  echo "usage: release_image.sh staging-passed|verify REPOSITORY SHA [VERSION]" >&2
  exit 2
}
command="${1:-}"
repository="${2:-}"
sha="${3:-}"
version="${4:-}"
[ -n "$command" ] && [ -n "$repository" ] && [ -n "$sha" ] || usage
[[ "$sha" =~ ^[0-9a-f]{7,40}$ ]] || { echo "not a git SHA: '${sha}'" >&2; exit 2; }

# digest IMAGE: the manifest digest, or nothing when the registry has no such tag.
digest() {
  docker buildx imagetools inspect --format '{{json .Manifest}}' "$1" 2>/dev/null |
    jq -r '.digest // empty' 2>/dev/null || true
}

# retag SOURCE NEW: copies SOURCE's manifest bytes as they are (same digest) under NEW;
# --prefer-index=false keeps a single-platform manifest from being wrapped in a new index.
retag() { docker buildx imagetools create --prefer-index=false --tag "$2" "$1"; }

case "$command" in
  staging-passed)
    [ -n "$(digest "${repository}:${sha}")" ] || { echo "${repository}:${sha} is not in the registry" >&2; exit 1; }
    retag "${repository}:${sha}" "${repository}:staging-${sha}"
    echo "${repository}:${sha} passed staging"
    ;;
  verify)
    built="$(digest "${repository}:${sha}")"
    if [ -z "$built" ]; then
      echo "${repository}:${sha} is not in the registry. Only cd.yml builds images, from" >&2
      echo "commits on main that passed CI: release a commit that went through staging." >&2
      exit 1
    fi
    tested="$(digest "${repository}:staging-${sha}")"
    if [ "$tested" != "$built" ]; then
      echo "${repository}:${sha} (${built}) has not passed staging's smoke test" >&2
      echo "(${repository}:staging-${sha} is ${tested:-missing})." >&2
      exit 1
    fi
    echo "${repository}:${sha} is ${built}, tested on staging"
    if [ -n "$version" ]; then
      [[ "$version" =~ ^v[0-9A-Za-z._-]{1,127}$ ]] || { echo "not a release tag: '${version}'" >&2; exit 2; }
      retag "${repository}:${sha}" "${repository}:${version}"
      echo "tagged ${repository}:${version}"
    fi
    ;;
  *) usage ;;
esac
