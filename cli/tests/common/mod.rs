//! What the tests of the `wasi-upgrade` command share.

use std::path::Path;
use std::process::{Command, Output};

/// The command under test, as Cargo built it.
pub const WASI_UPGRADE: &str = env!("CARGO_BIN_EXE_wasi-upgrade");

/// Runs `wasi-upgrade` with `args` in `dir`.
pub fn wasi_upgrade(dir: &Path, args: &[&str]) -> Output {
    Command::new(WASI_UPGRADE)
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}
