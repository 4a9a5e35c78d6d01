#!/usr/bin/env bash
# The CI entry point: installs the toolchains, then runs every test.
# Extra arguments go to `cargo test` (e.g. `bash ci/test.sh -- native::`).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

exports="$(bash ci/setup.sh)"
eval "$exports"
# Keep builds outside the checkout so CI can cache and reuse them.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$WASI_UPGRADE_CACHE/target}"
echo "ci/test.sh: CARGO_TARGET_DIR=$CARGO_TARGET_DIR WASI_UPGRADE_GO=$WASI_UPGRADE_GO" >&2

# --no-fail-fast: report every failing test binary, not just the first.
exec cargo test --workspace --no-fail-fast "$@"
