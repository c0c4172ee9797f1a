#!/usr/bin/env bash
# Smoke test of a deployed stage through its load balancer:
#   1. GET  /readyz                 -> 200 (retried while the new version comes up)
#   2. POST /api/v1/auth/token/     -> 200 with an access token (the smoke-test account)
#   3. GET  /api/v1/feed/           -> 200 with a "results" list, using that token
# Usage: smoke_test.sh BASE_URL     (e.g. https://staging.example.com, no trailing path)
# Env:   SMOKE_USERNAME, SMOKE_PASSWORD (required; an ordinary account that exists on the stage)
#        SMOKE_READY_URL      where to ask /readyz (default BASE_URL/readyz; the Kubernetes
#                             path asks the Service through kubectl port-forward instead)
#        SMOKE_READY_TIMEOUT  seconds to wait for /readyz (default 300)
#        SMOKE_RETRY_INTERVAL seconds between /readyz tries (default 5)
#        SMOKE_REQUEST_TIMEOUT seconds for one request (default 10)
# Exit 0 when all three pass, 1 otherwise. The password and the token are never printed.
set -euo pipefail

base_url="${1:?usage: smoke_test.sh BASE_URL}"
base_url="${base_url%/}"
: "${SMOKE_USERNAME:?SMOKE_USERNAME is required}"
: "${SMOKE_PASSWORD:?SMOKE_PASSWORD is required}"
ready_timeout="${SMOKE_READY_TIMEOUT:-300}"
retry_interval="${SMOKE_RETRY_INTERVAL:-5}"
request_timeout="${SMOKE_REQUEST_TIMEOUT:-10}"
ready_url="${SMOKE_READY_URL:-${base_url}/readyz}"

workdir="$(mktemp -d)"
trap 'rm -rf "$workdir"' EXIT
body="$workdir/body"

# request METHOD URL [curl args...]: prints the HTTP status ("000" when no answer), body in $body.
request() {
  local method="$1" url="$2" code
  shift 2
  code="$(curl --silent --show-error --max-time "$request_timeout" \
    --request "$method" --output "$body" --write-out '%{http_code}' \
    --header 'Accept: application/json' "$@" "$url")" || true
  printf '%s' "${code:-000}"
}

fail() {
  echo "smoke test FAILED: $*" >&2
  if [ -s "$body" ]; then
    echo "--- response body (first 500 bytes) ---" >&2
    head -c 500 "$body" >&2
    echo >&2
  fi
  exit 1
}

echo "smoke test against ${base_url}"

# 1. readiness: the load balancer may still route to instances that are starting.
deadline=$((SECONDS + ready_timeout))
while :; do
  status="$(request GET "$ready_url")"
  if [ "$status" = "200" ]; then
    echo "ok   GET ${ready_url} -> 200"
    break
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    fail "GET ${ready_url} answered ${status} for ${ready_timeout}s"
  fi
  echo "wait GET ${ready_url} -> ${status}; retrying in ${retry_interval}s"
  sleep "$retry_interval"
done

# 2. login. The JSON is built by jq (any character in the password is safe) and
# sent on stdin, so the password is on no command line.
status="$(jq -n --arg u "$SMOKE_USERNAME" --arg p "$SMOKE_PASSWORD" '{username: $u, password: $p}' |
  request POST "${base_url}/api/v1/auth/token/" --header 'Content-Type: application/json' --data-binary @-)"
[ "$status" = "200" ] || fail "POST /api/v1/auth/token/ -> ${status} (expected 200)"
access="$(jq -r '.access // empty' "$body" 2>/dev/null || true)"
[ -n "$access" ] || fail "POST /api/v1/auth/token/ -> 200 without an access token"
if [ -n "${GITHUB_ACTIONS:-}" ]; then
  echo "::add-mask::${access}"
fi
: >"$body"
echo "ok   POST /api/v1/auth/token/ -> 200"

# 3. an authenticated read that touches the database: the feed.
printf 'header = "Authorization: Bearer %s"\n' "$access" >"$workdir/auth.curlrc"
status="$(request GET "${base_url}/api/v1/feed/" --config "$workdir/auth.curlrc")"
[ "$status" = "200" ] || fail "GET /api/v1/feed/ -> ${status} (expected 200)"
jq -e '.results | type == "array"' "$body" >/dev/null 2>&1 ||
  fail "GET /api/v1/feed/ -> 200 but the body has no results list"
echo "ok   GET /api/v1/feed/ -> 200"

echo "smoke test passed"
