#!/usr/bin/env bash
# Starts `krakenterm-cli sim` on free ports, exports what it prints (URLs and the paper
# credentials) and runs the given command against it; stops the sim afterwards.
# Usage: run-against-sim.sh KRAKENTERM_CLI COMMAND [ARGS...]
set -euo pipefail
cli="$1"
shift
out="$(mktemp)"
"$cli" sim --port 0 >"$out" 2>&1 &
sim=$!
trap 'kill "$sim" 2>/dev/null || true; wait "$sim" 2>/dev/null || true; rm -f "$out"' EXIT
for _ in $(seq 1 600); do
    [ "$(grep -c '^KRAKEN_' "$out" || true)" -ge 5 ] && break
    kill -0 "$sim" 2>/dev/null || { echo "sim exited early:"; cat "$out"; exit 1; }
    sleep 0.1
done
[ "$(grep -c '^KRAKEN_' "$out" || true)" -ge 5 ] || { echo "sim printed no URLs:"; cat "$out"; exit 1; }
set -a
# shellcheck disable=SC1090
source <(grep '^KRAKEN_' "$out")
set +a
"$@"
