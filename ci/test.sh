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

# Formatting and lints, for the workspace and for the adapter (its own
# workspace, built for wasm only).
cargo fmt --all --check
cargo fmt --manifest-path adapter/Cargo.toml --check
cargo clippy --quiet --workspace --all-targets -- -D warnings
# Every feature set the adapter ships in: some code (the proxy build's
# stand-ins, the listener's set-up) exists in one build only.
for features in "" proxy listener legacy-exit stdio preopens; do
  (unset CARGO_TARGET_DIR; cargo clippy --quiet --manifest-path adapter/Cargo.toml \
    --target wasm32-unknown-unknown --target-dir "$WASI_UPGRADE_CACHE/target/adapter-clippy" \
    ${features:+--features "$features"} -- -D warnings)
done

# The library's documentation: every public item documented (the lib's
# `missing_docs` lint, denied by clippy above), and no broken links.
RUSTDOCFLAGS="-D warnings" cargo doc --quiet --no-deps -p wasi-upgrade

# The adapters shipped in cli/adapters/ must be exactly what the source builds.
cargo run --quiet -p wasi-upgrade-adapter-build -- --check

# The published crate must package and build on its own (what `cargo install` does).
cargo package --quiet --allow-dirty -p wasi-upgrade

# The workspace's tests include adapter-build's host-side checks of the
# adapter's source: its module layers (no cycle, no upward arrow), its crate
# map, and its pure logic compiled for the host (adapter-build/tests/).
# --no-fail-fast: report every failing test binary, not just the first.
exec cargo test --workspace --no-fail-fast "$@"
