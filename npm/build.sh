#!/usr/bin/env bash
# Builds the npm package in npm/: the wasi-upgrade library compiled for
# wasm32-wasip2 (the crate in npm/component) and transpiled by jco into
# npm/dist, which npm/bin/wasi-upgrade.mjs runs.
#
#   bash npm/build.sh
#
# Needs Rust through rustup (the wasm32-wasip2 target is added here) and
# Node.js 20 or newer; jco and the WASI shim come from npm/package-lock.json.
# Each step is skipped when its output is current, so running it again is
# cheap. Progress goes to stderr.
set -euo pipefail

npm_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$npm_dir")"
say() { echo "npm/build.sh: $*" >&2; }
die() { echo "npm/build.sh: error: $*" >&2; exit 1; }

command -v rustup >/dev/null || die "rustup is not installed (https://rustup.rs)"
command -v node >/dev/null || die "node is not installed (Node.js 20 or newer)"
command -v npm >/dev/null || die "npm is not installed (it comes with Node.js)"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 20 ] || die "Node.js $(node --version) is too old: 20 or newer is needed"

cd "$repo"
# rustup picks the toolchain of rust-toolchain.toml here; the target must be
# added to that toolchain, not to the default one.
if ! rustup target list --installed | grep -qx wasm32-wasip2; then
  say "rustup target add wasm32-wasip2"
  rustup target add wasm32-wasip2 >&2 || die "cannot add the wasm32-wasip2 target"
fi

# jco (to transpile) and preview2-shim (what the transpiled code imports),
# exactly as the lockfile pins them; `npm ci` only when the lockfile changed.
if ! cmp -s "$npm_dir/package-lock.json" "$npm_dir/node_modules/.installed-from-lock"; then
  say "npm ci in npm/"
  (cd "$npm_dir" && npm ci --no-audit --no-fund --loglevel=error >&2) || die "npm ci in $npm_dir failed"
  cp "$npm_dir/package-lock.json" "$npm_dir/node_modules/.installed-from-lock"
fi

say "cargo build --release --target wasm32-wasip2 -p wasi-upgrade-component"
cargo build --quiet --locked --release --target wasm32-wasip2 -p wasi-upgrade-component
target_dir="$(cargo metadata --format-version 1 --no-deps --locked |
  node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(JSON.parse(s).target_directory))')"
component="$target_dir/wasm32-wasip2/release/wasi_upgrade_component.wasm"
[ -f "$component" ] || die "cargo built no $component"

# Transpile only a component that differs from the one dist/ came from.
stamp="$npm_dir/dist/.built-from"
hash="$(sha256sum "$component" | cut -d' ' -f1) jco $(node -p 'require("'"$npm_dir"'/node_modules/@bytecodealliance/jco/package.json").version')"
if [ "$(cat "$stamp" 2>/dev/null)" != "$hash" ]; then
  say "jco transpile into npm/dist"
  rm -rf "$npm_dir/dist"
  "$npm_dir/node_modules/.bin/jco" transpile "$component" --name upgrader --out-dir "$npm_dir/dist" --quiet >&2 ||
    die "jco transpile failed"
  echo "$hash" >"$stamp"
fi
say "ready: node npm/bin/wasi-upgrade.mjs app.wasm -o app.component.wasm"
