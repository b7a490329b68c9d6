#!/usr/bin/env bash
# Installs every Debian package KrakenTerm needs to build, run and test.
# Idempotent and non-interactive; safe to run on a machine that already has them.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config git clang-format
  # Qt 6: Core, Network, Widgets, Sql, Test (qt6-base-dev), WebSockets, Charts, HttpServer
  qt6-base-dev qt6-base-dev-tools qt6-websockets-dev qt6-charts-dev qt6-httpserver-dev
  libqt6sql6-sqlite qt6-qpa-plugins libgl-dev libqt6opengl6-dev
  # protocol libraries
  libssl-dev zlib1g-dev libsimdjson-dev qtkeychain-qt6-dev
  # benchmarks
  libbenchmark-dev
  # headless tests: X server, a private D-Bus session and a real Secret Service
  xvfb xauth dbus dbus-x11 gnome-keyring libsecret-tools
)

# The interoperability test runs ccxt (npm) against the paper exchange; use the machine's
# Node.js when it has one, Debian's otherwise.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
else
  SUDO=
  if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; fi
  export DEBIAN_FRONTEND=noninteractive
  echo "install-deps: installing ${missing[*]}"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# ccxt for tests/interop, at the version package-lock.json pins.
ccxt_dir="$(dirname "$0")/../tests/interop/ccxt"
if [[ -f "$ccxt_dir/package-lock.json" && ! -d "$ccxt_dir/node_modules/ccxt" ]]; then
  echo "install-deps: npm ci in tests/interop/ccxt"
  npm ci --prefix "$ccxt_dir" --no-audit --no-fund --loglevel=error
fi
