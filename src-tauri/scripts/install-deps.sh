#!/usr/bin/env bash
# Installs what Skopos needs to build and run on Debian/Ubuntu, skipping what is present.
#   install-deps.sh build     compilers and tools for the headless crates
#   install-deps.sh desktop   + WebKitGTK and tray libraries for the Tauri app
#   install-deps.sh test      + Xvfb, D-Bus, xdotool, ImageMagick, python3-xlib,
#                               WebKitWebDriver and tauri-driver for the desktop tests
set -euo pipefail

level="${1:-build}"
packages=(build-essential pkg-config curl ca-certificates)
case "$level" in
  build) ;;
  desktop) packages+=(libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev libssl-dev) ;;
  test) packages+=(libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev libssl-dev
                   xvfb xauth dbus-x11 xdotool imagemagick webkit2gtk-driver python3-xlib) ;;
  *) echo "usage: $0 build|desktop|test" >&2; exit 2 ;;
esac

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "installing the Rust toolchain from Debian (rustup's is preferred when you can reach it)" >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq cargo rustc >/dev/null
fi

# tauri-driver bridges WebDriver clients to WebKitWebDriver for the desktop end-to-end test.
if [ "$level" = test ] && ! command -v tauri-driver >/dev/null 2>&1; then
  echo "installing tauri-driver (cargo install, a few minutes once)" >&2
  cargo install tauri-driver --locked --quiet
fi
