//! Runs a nested cargo that builds `adapter/` for wasm32-unknown-unknown.
//!
//! The nested build must see the adapter's own profile and link flags only:
//! a `cargo run` of this tool (or a user's shell) hands it the host build's
//! configuration through the environment, and the nested cargo would apply
//! it to the wasm build.

use std::env;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

const TARGET: &str = "wasm32-unknown-unknown";

/// What rustc names the cdylib of `adapter/Cargo.toml`'s package.
const ARTIFACT: &str = "wasi_upgrade_adapter.wasm";

/// Variables through which the host build's flags, target, output directory
/// or compiler wrapper (sccache, clippy-driver under `cargo clippy`) would
/// reach the nested build.
const HOST_ONLY_VARS: &[&str] = &[
    "RUSTFLAGS",
    "CARGO_ENCODED_RUSTFLAGS",
    "RUSTDOCFLAGS",
    "CARGO_ENCODED_RUSTDOCFLAGS",
    "RUSTC_WRAPPER",
    "RUSTC_WORKSPACE_WRAPPER",
];

/// Prefixes of cargo's configuration variables that address the build rather
/// than the user's environment: `CARGO_BUILD_TARGET`, `CARGO_BUILD_RUSTFLAGS`,
/// `CARGO_TARGET_DIR`, `CARGO_TARGET_<triple>_*`, `CARGO_PROFILE_RELEASE_*`
/// (a `STRIP` there would remove the name section the finishing step needs).
const HOST_ONLY_PREFIXES: &[&str] = &["CARGO_BUILD_", "CARGO_TARGET_", "CARGO_PROFILE_"];

/// Checks once that the nested builds can succeed at all.
pub fn check_toolchain() -> Result<()> {
    let rustc = env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    ensure_target_installed(&rustc)
}

/// Builds the adapter in `adapter_dir` with the cargo `features` given (none
/// for the default build) into `target_dir`, and returns the module rustc
/// produced. Cargo's own freshness check makes this a no-op when nothing
/// changed; each feature set needs a `target_dir` of its own, or every build
/// would overwrite the others' output and none would ever be fresh.
pub fn compile(adapter_dir: &Path, features: &[&str], target_dir: &Path) -> Result<Vec<u8>> {
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(&cargo);
    command
        .current_dir(adapter_dir)
        .args(["build", "--release", "--target", TARGET, "--manifest-path"])
        .arg(adapter_dir.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(target_dir);
    if !features.is_empty() {
        command.arg("--features").arg(features.join(","));
    }
    for (name, _) in env::vars_os() {
        if is_host_only(&name) {
            command.env_remove(&name);
        }
    }
    // Captured, so that only a failing build's messages are shown.
    let output = command
        .output()
        .with_context(|| format!("running {}", Path::new(&cargo).display()))?;
    if !output.status.success() {
        eprintln!("{}", String::from_utf8_lossy(&output.stderr));
        return Err(NestedBuildFailed.into());
    }

    let artifact = target_dir.join(TARGET).join("release").join(ARTIFACT);
    std::fs::read(&artifact).with_context(|| format!("reading {}", artifact.display()))
}

/// The nested cargo failed; its output is already on stderr.
#[derive(Debug)]
pub struct NestedBuildFailed;

impl std::fmt::Display for NestedBuildFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("building the adapter failed; the compiler's output is above")
    }
}

impl std::error::Error for NestedBuildFailed {}

fn is_host_only(name: &OsString) -> bool {
    let Some(name) = name.to_str() else {
        return false;
    };
    HOST_ONLY_VARS.contains(&name)
        || HOST_ONLY_PREFIXES
            .iter()
            .any(|prefix| name.starts_with(prefix))
}

/// A missing target otherwise surfaces as "can't find crate for `core`" deep
/// inside the nested build's output.
fn ensure_target_installed(rustc: &OsString) -> Result<()> {
    let output = Command::new(rustc)
        .args(["--print", "target-libdir", "--target", TARGET])
        .output()
        .with_context(|| format!("running {}", Path::new(rustc).display()))?;
    let libdir = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    if !output.status.success() || !libdir.is_dir() {
        bail!("the {TARGET} target is not installed: run `rustup target add {TARGET}`");
    }
    Ok(())
}
