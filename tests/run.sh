#!/usr/bin/env bash
# The whole test suite: installs what is missing, then formatting and lints, unit and
# integration tests, the UI's type check and bundle freshness, the tracking script and the
# web dashboard in real Chromium against the real server, and the desktop app in a real
# window under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."

bash src-tauri/scripts/install-deps.sh test
rustup component add rustfmt clippy >/dev/null 2>&1 || true

echo "== format and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --quiet -- -D warnings

echo "== unit and integration tests"
# The integration tests drive the real skopos-server binary, so build it first.
cargo build --quiet -p skopos-server -p skopos-desktop
cargo test --workspace --quiet

echo "== dashboard UI: type check, ui/dist fresh"
if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules ]; then
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
fi
(cd ui && npm run --silent check && npm run --silent verify)

echo "== tracking script"
bash tests/script/run.sh

echo "== web dashboard"
bash tests/web/run.sh

echo "== desktop smoke test"
desktop="${CARGO_TARGET_DIR:-target}/debug/skopos-desktop"
bash tests/desktop/smoke.sh "$desktop"

echo "== desktop end to end (tauri-driver)"
xvfb-run -a -s "-screen 0 1280x860x24 -nolisten tcp" dbus-run-session -- \
  node tests/desktop/e2e.mjs "$(cd "$(dirname "$desktop")" && pwd)/$(basename "$desktop")" 2>"${TMPDIR:-/tmp}/skopos-e2e-session.log" \
  || { tail -n 30 "${TMPDIR:-/tmp}/skopos-e2e-session.log"; exit 1; }
