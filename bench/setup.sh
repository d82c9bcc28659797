#!/usr/bin/env bash
# Installs what the benchmark's references need beyond .NET (bench/README.md): the Node references' packages from
# the committed lockfile (npm ci; the registry must be reachable), and checks for the C compiler the floor server is
# built with and for nats-server. eng/setup.sh runs this, so the quick mode in the test suite has every reference.
# Idempotent: does nothing when node_modules matches the lockfile.
set -euo pipefail
cd "$(dirname "$0")"

for tool in node npm cc nats-server; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "bench/setup.sh: $tool is missing; run eng/setup.sh (it installs Debian's nodejs, npm, gcc and nats-server)" >&2
    exit 1
  fi
done

# npm ci writes node_modules/.package-lock.json; when it equals the committed lockfile's packages, nothing changed.
if [ ! -f node/node_modules/.package-lock.json ] || [ node/package-lock.json -nt node/node_modules/.package-lock.json ]; then
  (cd node && npm ci --no-audit --no-fund --loglevel=error)
fi
