#!/usr/bin/env bash
# Upgrades the bundled hello world (cli/examples/hello.wat) and runs it on the
# embedded Wasmtime through WASI 0.2. Needs only rustup's stable toolchain.
set -euo pipefail
cd "$(dirname "$0")/.."

# The adapters ship prebuilt in cli/adapters/, so no wasm target is needed.
# The same build cache as ci/test.sh, so either command reuses the other's work.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${WASI_UPGRADE_CACHE:-$HOME/.cache/wasi-upgrade}/target}"
cargo run --quiet -p wasi-upgrade -- run cli/examples/hello.wat -- "$@"
