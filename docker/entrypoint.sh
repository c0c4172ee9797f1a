#!/bin/sh
# Container entrypoint for sns-backend (also run on the host by tests/docker).
#
#   1. wait for the database, at most DB_WAIT_TIMEOUT seconds (default 60; 0 = don't wait)
#   2. RUN_MIGRATIONS=true -> manage.py migrate   (compose: on; Kubernetes: off, a Job migrates)
#   3. AUTO_SEED=true      -> manage.py create_dummy_data --if-empty (no-op on a non-empty DB)
#   4. PROMETHEUS_MULTIPROC_DIR set -> create it and drop metric files of a previous run
#   5. exec gunicorn, or exec the command given as arguments (e.g. a migration Job's
#      `python manage.py migrate --noinput`); arguments starting with "-" are passed to gunicorn.
#
# Paths are relative to this script, so it works in /app and in a checkout alike.
set -eu

APP_DIR=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd)
cd "$APP_DIR"

PYTHON=${PYTHON:-python}
DB_WAIT_TIMEOUT=${DB_WAIT_TIMEOUT:-60}
RUN_MIGRATIONS=${RUN_MIGRATIONS:-false}
AUTO_SEED=${AUTO_SEED:-false}
DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-config.settings.production}
export DJANGO_SETTINGS_MODULE

log() {
    printf '%s entrypoint[%s]: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$$" "$*" >&2
}

die() {
    log "error: $*"
    exit 1
}

is_true() {
    case "$1" in
        [Tt][Rr][Uu][Ee] | [Yy][Ee][Ss] | [Oo][Nn] | 1) return 0 ;;
        *) return 1 ;;
    esac
}

# A shell running as PID 1 ignores SIGTERM unless it traps it. Each step runs in
# the background and is waited for, so `docker stop` during a long wait or
# migration stops the step at once instead of waiting for SIGKILL.
child=''
on_signal() {
    log "received $1 during startup, stopping"
    if [ -n "$child" ]; then
        kill -TERM "$child" 2>/dev/null || true
        wait "$child" 2>/dev/null || true
    fi
    exit 143
}
trap 'on_signal TERM' TERM
trap 'on_signal INT' INT

run() {
    "$@" &
    child=$!
    status=0
    wait "$child" || status=$?
    child=''
    return "$status"
}

case "$DB_WAIT_TIMEOUT" in
    '' | *[!0-9]*) die "DB_WAIT_TIMEOUT must be a whole number of seconds, got '$DB_WAIT_TIMEOUT'" ;;
esac

if [ -n "${PROMETHEUS_MULTIPROC_DIR:-}" ]; then
    # Must exist before any Django process starts: prometheus_client writes there.
    mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
fi

if [ "$DB_WAIT_TIMEOUT" -gt 0 ]; then
    log "waiting up to ${DB_WAIT_TIMEOUT}s for the database"
    run "$PYTHON" "$APP_DIR/docker/wait_for_db.py" --timeout "$DB_WAIT_TIMEOUT" \
        || die "database not reachable within ${DB_WAIT_TIMEOUT}s"
fi

if is_true "$RUN_MIGRATIONS"; then
    log "applying migrations"
    run "$PYTHON" manage.py migrate --noinput || die "migrations failed"
fi

if is_true "$AUTO_SEED"; then
    log "seeding demo data if the database is empty"
    run "$PYTHON" manage.py create_dummy_data --if-empty || die "seeding failed"
fi

if [ -n "${PROMETHEUS_MULTIPROC_DIR:-}" ]; then
    # Metric files left by a previous run or by the steps above would be summed
    # into this run's counters. Only prometheus_client's *.db files are removed.
    find "$PROMETHEUS_MULTIPROC_DIR" -maxdepth 1 -type f -name '*.db' -exec rm -f {} +
fi

trap - TERM INT

if [ "$#" -eq 0 ]; then
    set -- "$PYTHON" -m gunicorn -c "$APP_DIR/gunicorn.conf.py" config.wsgi:application
elif [ "${1#-}" != "$1" ]; then
    set -- "$PYTHON" -m gunicorn -c "$APP_DIR/gunicorn.conf.py" config.wsgi:application "$@"
fi

log "starting: $*"
exec "$@"
