#!/usr/bin/env bash
# Runs Skopos: the desktop app when there is a display, otherwise the headless server.
# Extra arguments go to `skopos-server serve` in headless mode (e.g. --collector 0.0.0.0:8787).
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  bash src-tauri/scripts/install-deps.sh desktop
  echo "Starting the Skopos desktop app (the collector runs inside it on ${SKOPOS_COLLECTOR:-127.0.0.1:8787})."
  exec cargo run -p skopos-desktop
else
  bash src-tauri/scripts/install-deps.sh build
  cargo build -p skopos-server
  echo "No display found: running the headless Skopos server instead of the desktop app."
  echo "Open the web dashboard it prints (on this machine, or through an SSH tunnel) and"
  echo "create the owner account there on first run."
  exec "${CARGO_TARGET_DIR:-target}/debug/skopos-server" serve "$@"
fi
