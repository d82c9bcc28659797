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

# The dashboard's end-to-end tests drive Debian's Chromium headless through Playwright (never a downloaded browser).
if [ ! -x /usr/bin/chromium ]; then
  missing+=(chromium)
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "eng/setup.sh: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
