//! Rust programs: every `src/bin/*.rs` of the crate at `programs/rust`, built
//! for `wasm32-wasip1` by a nested cargo with its own target directory.

use std::path::Path;
use std::process::Command;

use super::manifest::Manifest;

/// Settings of the outer (host) build that must not leak into a wasm build.
pub const HOST_BUILD_ENV: &[&str] = &[
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

    let target_dir = out_dir.join("rust-programs");
    let mut cargo = Command::new(super::env("CARGO"));
    cargo
        .current_dir(crate_dir)
        .args([
            "build",
            "--release",
            "--locked",
            "--bins",
            "--target",
            TARGET,
            "--target-dir",
        ])
        .arg(&target_dir);
    for name in HOST_BUILD_ENV {
        cargo.env_remove(name);
    }
    super::run(
        cargo,
        &format!(
            "building the Rust test programs (needs `rustup target add {TARGET}`; see ci/setup.sh)"
        ),
    );

    let built = target_dir.join(TARGET).join("release");
    for source in super::files_with_extension(&crate_dir.join("src").join("bin"), "rs") {
        let name = super::file_stem(&source);
        manifest.add(format!("rust/{name}"), built.join(format!("{name}.wasm")));
    }
}
