#!/usr/bin/env bash
# The tracking script's checks: installs what is missing (npm packages, Debian's Chromium),
# then the stale-bundle and size checks, then the suite in real Chromium against the real
# collector (SKOPOS_SERVER_BIN, default the debug build in CARGO_TARGET_DIR or target/).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
apt_install() {
  echo "installing: $*" >&2
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  apt_install nodejs npm
fi
if [ ! -x "${CHROMIUM_BIN:-/usr/bin/chromium}" ]; then
  apt_install chromium
fi
for dir in "$root/script" "$here"; do
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done

echo "== script: committed bundles fresh and within budget"
node "$root/script/build.mjs" --check
echo "== script: build checks and Chromium suite"
cd "$here"
node --test --test-concurrency=1 build.test.mjs browser.test.mjs
