#!/usr/bin/env bash
# Starts (or stops) a ClickHouse server for the tests and benchmarks of the ClickHouse destination.
#
#   bash .ci/clickhouse.sh start   # downloads chDB if needed, builds and starts the server, prints the export line
#   bash .ci/clickhouse.sh env     # prints the export line of a running server
#   bash .ci/clickhouse.sh stop    # stops the server and deletes its data
#
#   eval "$(bash .ci/clickhouse.sh start)"
#
# No registry serves a current ClickHouse server here, but npm serves chDB: ClickHouse 26.7 as a library
# (libchdb.so). tests/MyBi.TestServers.ClickHouse puts the ClickHouse HTTP interface in front of it, enough for the
# unmodified ClickHouse.Driver. It listens on 127.0.0.1 only and keeps its data in a throwaway folder.
# Only the export line goes to stdout; progress goes to stderr. Every command can be repeated safely.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${MYBI_CLICKHOUSE_PORT:-58123}"
CHDB_PACKAGE="@chdb/lib-linux-x64-gnu@26.7.3-stable.1"
CACHE="${MYBI_CHDB_CACHE:-$HOME/.cache/mybi/chdb}/26.7.3-stable.1"
LIBRARY="$CACHE/libchdb.so"
BASE="${MYBI_CLICKHOUSE_DIR:-${TMPDIR:-/tmp}/mybi-clickhouse-$PORT}"
DATA="$BASE/data"
LOG="$BASE/server.log"
PID_FILE="$BASE/server.pid"
ARTIFACTS="$BASE/artifacts"
PROJECT="$ROOT/tests/MyBi.TestServers.ClickHouse/MyBi.TestServers.ClickHouse.csproj"

log() { echo "clickhouse.sh: $*" >&2; }
fail() { log "$*"; exit 1; }

export_line() {
    echo "export MYBI_TEST_CLICKHOUSE=\"Host=127.0.0.1;Port=$PORT;Protocol=http\""
}

# Answers whether /ping returns "Ok." (bash's /dev/tcp: a fresh machine may have neither curl nor wget).
ping_server() {
    (
        exec 3<>"/dev/tcp/127.0.0.1/$PORT" || exit 1
        printf 'GET /ping HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
        timeout 5 cat <&3 | grep -q '^Ok\.'
    ) 2>/dev/null
}

running_pid() {
    if [[ -f "$PID_FILE" ]]; then
        local pid
        pid="$(cat "$PID_FILE")"
        if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
            echo "$pid"
        fi
    fi
}

ensure_library() {
    if [[ -s "$LIBRARY" ]]; then
        return
    fi
    command -v npm >/dev/null || fail "npm is needed to download chDB ($CHDB_PACKAGE); install Node.js and npm."
    log "downloading $CHDB_PACKAGE with npm (about 180 MB)"
    local work
    work="$(mktemp -d)"
    (cd "$work" && npm pack "$CHDB_PACKAGE" --silent >/dev/null) || { rm -rf "$work"; fail "npm pack $CHDB_PACKAGE failed."; }
    tar -xzf "$work"/*.tgz -C "$work" package/libchdb.so || { rm -rf "$work"; fail "the chDB package holds no package/libchdb.so."; }
    mkdir -p "$CACHE"
    mv "$work/package/libchdb.so" "$LIBRARY.partial"
    mv "$LIBRARY.partial" "$LIBRARY"
    rm -rf "$work"
}

build_server() {
    log "building the test server"
    dotnet build "$PROJECT" -c Release --artifacts-path "$ARTIFACTS" -nologo -v q >&2 \
        || fail "building $PROJECT failed."
}

server_dll() {
    find "$ARTIFACTS/bin/MyBi.TestServers.ClickHouse" -name MyBi.TestServers.ClickHouse.dll -path '*release*' | head -n 1
}

start() {
    if [[ -n "$(running_pid)" ]] && ping_server; then
        log "already running on 127.0.0.1:$PORT (pid $(running_pid))"
        export_line
        return
    fi
    if [[ -n "$(running_pid)" ]]; then
        stop
    fi
    if ping_server; then
        fail "port $PORT answers /ping but was not started by this script; stop that server or set MYBI_CLICKHOUSE_PORT."
    fi

    ensure_library
    build_server
    local dll
    dll="$(server_dll)"
    [[ -n "$dll" ]] || fail "the build produced no MyBi.TestServers.ClickHouse.dll under $ARTIFACTS."

    rm -rf "$DATA"
    mkdir -p "$DATA"
    log "starting on 127.0.0.1:$PORT (log: $LOG)"
    nohup dotnet "$dll" --data "$DATA" --chdb "$LIBRARY" --urls "http://127.0.0.1:$PORT" \
        --Logging:LogLevel:Default=Warning >"$LOG" 2>&1 </dev/null &
    echo $! >"$PID_FILE"

    for _ in $(seq 1 120); do
        if ping_server; then
            log "ready"
            export_line
            return
        fi
        if [[ -z "$(running_pid)" ]]; then
            tail -n 20 "$LOG" >&2 || true
            fail "the server exited during start; see $LOG."
        fi
        sleep 0.5
    done
    fail "the server did not answer /ping within 60 s; see $LOG."
}

stop() {
    local pid
    pid="$(running_pid)"
    if [[ -n "$pid" ]]; then
        log "stopping pid $pid"
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 40); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.25
        done
        if kill -0 "$pid" 2>/dev/null; then
            kill -9 "$pid" 2>/dev/null || true
        fi
    fi
    rm -f "$PID_FILE"
    rm -rf "$DATA"
}

env_command() {
    [[ -n "$(running_pid)" ]] && ping_server || fail "no server is running on 127.0.0.1:$PORT; run 'bash .ci/clickhouse.sh start'."
    export_line
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    env) env_command ;;
    *) fail "usage: bash .ci/clickhouse.sh start|stop|env" ;;
esac
