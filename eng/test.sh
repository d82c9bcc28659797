#!/usr/bin/env bash
# The test command: installs what the tests need (eng/setup.sh), builds everything once, then runs every test project.
# Extra arguments go to `dotnet test`, e.g. `eng/test.sh --filter FullyQualifiedName~Sessions`.
set -euo pipefail
cd "$(dirname "$0")/.."
eng/setup.sh
# One parallel build first: `dotnet test` building as it goes runs the test projects one after another.
dotnet build Herald.slnx
# Then the test projects side by side (-m): much of their time is spent waiting on servers, browsers and child
# processes rather than computing, so three at once keep two cores busy. Tests that share a machine resource take
# their own (ports from the OS, temporary directories, their own tmpfs).
dotnet test Herald.slnx --no-build -m:3 "$@"
