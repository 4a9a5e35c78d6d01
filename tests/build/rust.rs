//! Rust programs: every `src/bin/*.rs` of the crate at `programs/rust`, built
//! for `wasm32-wasip1` by a nested cargo with its own target directory.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::manifest::Manifest;

/// Settings of the outer (host) build that must not leak into a wasm build.
const HOST_BUILD_ENV: &[&str] = &[
    "RUSTFLAGS",
    "CARGO_ENCODED_RUSTFLAGS",
    "CARGO_BUILD_RUSTFLAGS",
    "RUSTDOCFLAGS",
    "CARGO_ENCODED_RUSTDOCFLAGS",
    "CARGO_TARGET_DIR",
    "CARGO_BUILD_TARGET_DIR",
    "CARGO_BUILD_TARGET",
    "CARGO_PROFILE_RELEASE_DEBUG",
    "CARGO_PROFILE_RELEASE_OPT_LEVEL",
];

pub const TARGET: &str = "wasm32-wasip1";

pub fn build(crate_dir: &Path, out_dir: &Path, manifest: &mut Manifest) {
    println!(
        "cargo:rerun-if-changed={}",
        crate_dir.join("Cargo.toml").display()
    );
    println!(
        "cargo:rerun-if-changed={}",
        crate_dir.join("Cargo.lock").display()
    );
    println!("cargo:rerun-if-changed={}", crate_dir.join("src").display());

    let built = build_for_wasm(
        crate_dir,
        "--bins",
        &out_dir.join("rust-programs"),
        "the Rust test programs",
    );
    for source in super::files_with_extension(&crate_dir.join("src").join("bin"), "rs") {
        let name = super::file_stem(&source);
        manifest.add(format!("rust/{name}"), built.join(format!("{name}.wasm")));
    }
}

/// Builds `what` (the `selection` of crates in `dir`) for `TARGET` with a
/// nested cargo in `target_dir`, untouched by the host build's settings, and
/// says where the `.wasm` files are.
pub fn build_for_wasm(dir: &Path, selection: &str, target_dir: &Path, what: &str) -> PathBuf {
    build_for_target(dir, selection, TARGET, target_dir, what)
}

/// [`build_for_wasm`] for the wasm target `target`.
pub fn build_for_target(
    dir: &Path,
    selection: &str,
    target: &str,
    target_dir: &Path,
    what: &str,
) -> PathBuf {
    let mut cargo = Command::new(super::env("CARGO"));
    cargo
        .current_dir(dir)
        .args([
            "build",
            "--release",
            "--locked",
            selection,
            "--target",
            target,
            "--target-dir",
        ])
        .arg(target_dir);
    for name in HOST_BUILD_ENV {
        cargo.env_remove(name);
    }
    super::run(
        cargo,
        &format!("building {what} (needs `rustup target add {target}`; see ci/setup.sh)"),
    );
    target_dir.join(target).join("release")
}
