#!/usr/bin/env bash
# The benchmark behind README's "Benchmarks" tables, from a clean clone:
#   bash ci/bench.sh [ROUNDS] [WORKLOAD...]
# Release builds of Wasmtime and of the tool, the test programs (as for the
# tests), and the benchmark program for wasm32-wasip2 as the no-adapter floor.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(bash ci/setup.sh)"
rustup target add wasm32-wasip2 >&2
cargo bench -p wasi-upgrade-tests --bench adapters -- "$@"
