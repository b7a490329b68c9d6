#!/bin/bash
# no-default-keyring.sh CMD [ARGS...]: runs CMD in a private D-Bus session where the Secret
# Service (gnome-keyring, activated on demand) has no keyring and no display for the password
# prompt it would need to create one: a headless box with a desktop keyring installed. The
# session (and so the daemon it starts) gets a throwaway HOME.
set -euo pipefail
command -v dbus-run-session >/dev/null || { echo "no-default-keyring: dbus-run-session missing" >&2; exit 2; }
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
env -u DISPLAY -u WAYLAND_DISPLAY HOME="$home" XDG_DATA_HOME="$home/.local/share" \
  XDG_RUNTIME_DIR="$home" dbus-run-session -- "$@"
