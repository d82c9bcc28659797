#!/usr/bin/env bash
# The test command: installs what the tests need (eng/setup.sh), then builds and runs every test.
# Extra arguments go to `dotnet test`, e.g. `eng/test.sh --filter FullyQualifiedName~Sessions`.
set -euo pipefail
cd "$(dirname "$0")/.."
eng/setup.sh
dotnet test Herald.slnx "$@"
