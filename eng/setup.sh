#!/usr/bin/env bash
# Installs what Herald's tests need and the machine lacks. Tests never install anything themselves:
# a test whose prerequisite is missing fails with a one-line hint that points here.
# Idempotent: on a machine that has everything it installs nothing. Needs root (or sudo) to install.
set -euo pipefail

missing=()

# The interop tests drive Herald with an independent client: Debian's Python with `websockets`.
if ! /usr/bin/python3 -c 'import websockets' 2>/dev/null; then
  missing+=(python3-websockets)
fi

# The multi-node tests run Herald on real NATS JetStream servers: Debian's nats-server.
if ! command -v nats-server >/dev/null 2>&1; then
  missing+=(nats-server)
fi

# The benchmark's quick mode (tests/Herald.Benchmarks.Tests) runs every reference: the Node ones (`ws`, Socket.IO,
# installed by bench/setup.sh from the committed lockfile) and the floor server, a C program built with gcc.
if ! command -v node >/dev/null 2>&1; then
  missing+=(nodejs)
fi
if ! command -v npm >/dev/null 2>&1; then
  missing+=(npm)
fi
if ! command -v cc >/dev/null 2>&1; then
  missing+=(gcc)
fi

# The dashboard's end-to-end tests drive Debian's Chromium headless through Playwright (never a downloaded browser).
if [ ! -x /usr/bin/chromium ]; then
  missing+=(chromium)
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "eng/setup.sh: installing ${missing[*]}" >&2
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The benchmark's own set-up: npm packages of the Node references (does nothing when they are current).
"$(dirname "$0")/../bench/setup.sh"
