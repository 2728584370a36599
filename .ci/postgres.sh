#!/usr/bin/env bash
# Starts (or stops) a throwaway PostgreSQL cluster for the tests and benchmarks of the PostgreSQL destination.
#
#   bash .ci/postgres.sh start   # installs PostgreSQL if needed, starts the cluster, prints the export line
#   bash .ci/postgres.sh env     # prints the export line of a running cluster
#   bash .ci/postgres.sh stop    # stops the cluster and deletes its folder
#
#   eval "$(bash .ci/postgres.sh start)"
#
# The cluster listens on 127.0.0.1 only. Local users are trusted, except the role mybi_password_test, which must
# give its password over TCP (used by the wrong-credentials tests). No systemd is needed: pg_ctl runs the server.
# Only the export line goes to stdout; progress goes to stderr. Every command can be repeated safely.
set -euo pipefail

PORT="${MYBI_PG_PORT:-55432}"
BASE="${MYBI_PG_DIR:-${TMPDIR:-/tmp}/mybi-postgres-$PORT}"
DATA="$BASE/data"
LOG="$BASE/server.log"
PASSWORD_ROLE="mybi_password_test"
PASSWORD_ROLE_SECRET="mybi-test-password"

log() { echo "postgres.sh: $*" >&2; }
fail() { log "$*"; exit 1; }

find_bin_dir() {
    local initdb
    initdb="$(ls -1d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)"
    if [[ -n "$initdb" ]]; then
        dirname "$initdb"
    fi
}

ensure_installed() {
    if [[ -n "$(find_bin_dir)" ]]; then
        return
    fi
    [[ "$(id -u)" == "0" ]] || fail "PostgreSQL is not installed and installing it needs root: run 'apt-get install -y postgresql' as root."
    log "installing PostgreSQL with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
    [[ -n "$(find_bin_dir)" ]] || fail "apt-get installed postgresql but no /usr/lib/postgresql/*/bin/initdb was found."
}

# Runs a PostgreSQL program as the owner of the cluster: postgres refuses to run as root.
as_owner() {
    if [[ "$(id -u)" == "0" ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

export_line() {
    echo "export MYBI_TEST_POSTGRES=\"Host=127.0.0.1;Port=$PORT;Username=postgres;Database=postgres\""
}

is_running() {
    local bin="$1"
    [[ -f "$DATA/PG_VERSION" ]] && as_owner "$bin/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

psql_local() {
    local bin="$1"
    shift
    as_owner "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$BASE" -p "$PORT" -U postgres -d postgres "$@"
}

create_cluster() {
    local bin="$1"
    log "creating a cluster in $DATA"
    rm -rf "$BASE"
    mkdir -p "$BASE"
    if [[ "$(id -u)" == "0" ]]; then
        chown postgres:postgres "$BASE"
    fi
    chmod 700 "$BASE"
    as_owner "$bin/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    # A throwaway cluster for tests: durability is not needed, so commits skip the disk flush.
    cat >>"$DATA/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$BASE'
password_encryption = 'scram-sha-256'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
max_wal_size = '2GB'
EOF
    # First match wins: the password role needs its password over TCP, everyone else is trusted.
    cat >"$DATA/pg_hba.conf" <<EOF
local   all   all                          trust
host    all   $PASSWORD_ROLE   127.0.0.1/32   scram-sha-256
host    all   $PASSWORD_ROLE   ::1/128        scram-sha-256
host    all   all              127.0.0.1/32   trust
host    all   all              ::1/128        trust
EOF
}

wait_ready() {
    local bin="$1"
    for _ in $(seq 1 60); do
        if as_owner "$bin/pg_isready" -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres; then
            return
        fi
        sleep 0.5
    done
    tail -n 20 "$LOG" >&2 || true
    fail "PostgreSQL did not become ready on 127.0.0.1:$PORT within 30 s (log: $LOG)."
}

ensure_password_role() {
    local bin="$1"
    psql_local "$bin" -v role="$PASSWORD_ROLE" -v secret="$PASSWORD_ROLE_SECRET" <<'EOF'
SELECT format('CREATE ROLE %I LOGIN', :'role')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SET password_encryption = 'scram-sha-256';
SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', :'role', :'secret') \gexec
EOF
}

start() {
    ensure_installed
    local bin
    bin="$(find_bin_dir)"
    if is_running "$bin"; then
        log "already running on 127.0.0.1:$PORT ($DATA)"
    else
        if [[ ! -f "$DATA/PG_VERSION" || "$(cat "$DATA/PG_VERSION")" != "$(basename "$(dirname "$bin")")" ]]; then
            create_cluster "$bin"
        fi
        rm -f "$DATA/postmaster.pid"
        log "starting on 127.0.0.1:$PORT"
        as_owner "$bin/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start >/dev/null ||
            { tail -n 20 "$LOG" >&2 || true; fail "pg_ctl could not start PostgreSQL (log: $LOG)."; }
    fi
    wait_ready "$bin"
    ensure_password_role "$bin"
    export_line
}

stop() {
    local bin
    bin="$(find_bin_dir)"
    if [[ -n "$bin" ]] && is_running "$bin"; then
        log "stopping the cluster on port $PORT"
        as_owner "$bin/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
    fi
    rm -rf "$BASE"
}

env_line() {
    local bin
    bin="$(find_bin_dir)"
    if [[ -z "$bin" ]] || ! is_running "$bin"; then
        log "no cluster runs on port $PORT; run 'bash .ci/postgres.sh start'"
    fi
    export_line
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    env) env_line ;;
    *) fail "usage: bash .ci/postgres.sh start|stop|env" ;;
esac
