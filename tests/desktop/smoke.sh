#!/usr/bin/env bash
# Smoke test of the desktop shell: runs the real binary in a virtual X display and checks
#   1. the in-process collector answers /health and a window titled "Skopos" appears
#      (a screenshot is saved for a person to look at);
#   2. SIGTERM quits it cleanly (the collector stops and the store is closed);
#   3. with the collector port already taken, the app stays up (it shows the error).
#
# Usage: tests/desktop/smoke.sh [BINARY]
#   BINARY defaults to ${CARGO_TARGET_DIR:-target}/debug/skopos-desktop.
#   OUT=dir keeps screenshots and logs there (default: a new temp folder, printed).
#   SKOPOS_SERVER_BIN=path, or a skopos-server next to BINARY, adds a site first so the
#   screenshot shows the site list.
# Needs: xvfb-run, dbus-run-session, xdotool, import (ImageMagick), curl, python3.
set -euo pipefail

# Everything runs inside one X server and one session bus (re-invoking this script), so
# xdotool sees the app's window and no helper outlives the run.
if [[ "${1:-}" != "--inside" ]]; then
    bin="${1:-${CARGO_TARGET_DIR:-target}/debug/skopos-desktop}"
    if [[ ! -x "$bin" ]]; then
        echo "no executable at $bin: build it with 'cargo build -p skopos-desktop'" >&2
        exit 2
    fi
    missing=()
    for tool in xvfb-run dbus-run-session xdotool import curl python3; do
        command -v "$tool" >/dev/null || missing+=("$tool")
    done
    if ((${#missing[@]})); then
        echo "missing tools: ${missing[*]} (apt-get install xvfb dbus-x11 xdotool imagemagick curl python3)" >&2
        exit 2
    fi
    out="${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/skopos-smoke.XXXXXX")}"
    mkdir -p "$out"
    bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
    out="$(cd "$out" && pwd)"
    # The session's own chatter (dbus, portals, WebKit) goes to a log; the test's report
    # comes back on fd 3.
    status=0
    xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
        dbus-run-session -- bash "$0" --inside "$bin" "$out" \
        3>&1 >"$out/session.log" 2>&1 || status=$?
    if ((status != 0)); then
        echo "smoke test failed (exit $status); session log: $out/session.log" >&2
        tail -n 20 "$out/session.log" >&2 || true
    fi
    exit "$status"
fi

bin="$2"
out="$3"
exec 1>&3 3>&-
work="$(mktemp -d "${TMPDIR:-/tmp}/skopos-smoke-work.XXXXXX")"
passed=0
failed=0
pids=()

cleanup() {
    local pid
    for pid in "${pids[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        for _ in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

pass() {
    passed=$((passed + 1))
    echo "ok - $1"
}

fail() {
    failed=$((failed + 1))
    echo "FAIL - $1"
    shift
    local log
    for log in "$@"; do
        echo "--- last lines of $log"
        tail -n 20 "$log" || true
    done
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

alive() {
    kill -0 "$1" 2>/dev/null
}

# Starts the app with its own data folder and collector address; sets $app_pid.
start_app() {
    local name="$1" address="$2"
    SKOPOS_DATA_DIR="$work/$name-data" SKOPOS_COLLECTOR="$address" SKOPOS_LOG=info \
        SKOPOS_DESKTOP_SETTINGS="$work/$name-settings.json" SKOPOS_UPDATE_ENDPOINT=http://127.0.0.1:9/none \
        WEBKIT_DISABLE_DMABUF_RENDERER=1 NO_AT_BRIDGE=1 \
        "$bin" >"$out/$name.log" 2>&1 &
    app_pid=$!
    pids+=("$app_pid")
}

# Waits up to $2 seconds for a window titled exactly "Skopos" owned by pid $1.
wait_for_window() {
    local pid="$1" seconds="$2" i
    for i in $(seq $((seconds * 5))); do
        if xdotool search --pid "$pid" --name '^Skopos$' >/dev/null 2>&1; then
            return 0
        fi
        alive "$pid" || return 1
        sleep 0.2
    done
    return 1
}

# Stops pid $1 with SIGTERM; true if it exits within $2 seconds.
stop_within() {
    local pid="$1" seconds="$2" i
    kill -TERM "$pid" 2>/dev/null || return 0
    for i in $(seq $((seconds * 10))); do
        if ! alive "$pid"; then
            wait "$pid" 2>/dev/null || true
            return 0
        fi
        sleep 0.1
    done
    return 1
}

echo "binary: $bin"
echo "output: $out"

# Optionally add a site so the window has something to list.
server="${SKOPOS_SERVER_BIN:-$(dirname "$bin")/skopos-server}"
if [[ -x "$server" ]]; then
    if SKOPOS_DATA_DIR="$work/main-data" "$server" site add \
        --name "Smoke test blog" --domain example.com >"$out/site-add.log" 2>&1; then
        echo "added a site with $server"
    else
        echo "note: could not add a site with $server (see $out/site-add.log); the list stays empty"
    fi
fi

# 1. The collector answers and the window appears.
port="$(free_port)"
start_app main "127.0.0.1:$port"
main_pid=$app_pid
health=""
for _ in $(seq 120); do
    if health="$(curl -fsS --max-time 2 "http://127.0.0.1:$port/health" 2>/dev/null)"; then
        break
    fi
    health=""
    alive "$main_pid" || break
    sleep 0.5
done
if [[ "$health" == *'"status":"ok"'* ]] && wait_for_window "$main_pid" 30; then
    sleep 2
    import -window root "$out/desktop.png"
    pass "collector answers /health on port $port and the Skopos window is shown (screenshot: $out/desktop.png)"
else
    fail "collector /health on port $port or the Skopos window (health: ${health:-no answer})" "$out/main.log"
fi

# 2. SIGTERM quits it cleanly: the store is closed on the way out.
if alive "$main_pid" && stop_within "$main_pid" 15 && grep -q "store closed" "$out/main.log"; then
    pass "SIGTERM stops the collector and closes the store"
else
    fail "clean quit on SIGTERM" "$out/main.log"
fi

# 3. A taken port is reported in the window instead of ending the app.
busy="$(free_port)"
(cd "$work" && exec python3 -m http.server --bind 127.0.0.1 "$busy") >"$out/http-server.log" 2>&1 &
pids+=("$!")
for _ in $(seq 50); do
    curl -fsS --max-time 1 "http://127.0.0.1:$busy/" >/dev/null 2>&1 && break
    sleep 0.1
done
start_app busy "127.0.0.1:$busy"
busy_pid=$app_pid
sleep 5
if alive "$busy_pid" && wait_for_window "$busy_pid" 30 && grep -q "cannot listen" "$out/busy.log"; then
    sleep 2
    import -window root "$out/port-in-use.png"
    pass "with port $busy taken the app keeps running and reports it (screenshot: $out/port-in-use.png)"
else
    fail "the app survives a taken port $busy" "$out/busy.log"
fi
stop_within "$busy_pid" 15 || true

echo "screenshots and logs: $out"
echo "$passed passed, $failed failed"
((failed == 0))
