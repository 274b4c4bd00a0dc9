#!/usr/bin/env bash
# The web dashboard end to end: installs what is missing (npm packages, Debian's Chromium),
# then drives the real skopos-server's dashboard in Chromium (SKOPOS_SERVER_BIN, default the
# debug build in CARGO_TARGET_DIR or target/). Screenshots go to $OUT (default a temp folder).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
apt_install() {
  echo "installing: $*" >&2
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
[ -x "${CHROMIUM_BIN:-/usr/bin/chromium}" ] || apt_install chromium
if [ ! -d "$here/node_modules" ] || [ "$here/package-lock.json" -nt "$here/node_modules" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi
export OUT="${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/skopos-web.XXXXXX")}"
echo "== web dashboard in Chromium (screenshots in $OUT)"
cd "$here"
node --test --test-concurrency=1 dashboard.test.mjs
