//! A threaded Rust program, the crate at `programs/rust-threads`, built for
//! `wasm32-wasip1-threads` (a shared memory and `wasi.thread-spawn`), which
//! wasi-upgrade must refuse. It runs on no host, so instead of the manifest
//! it gets `rust_threads.rs` in `OUT_DIR`: the constant `RUST_THREADS`, the
//! path of its `.wasm`, which the `threads` tests `include!`.

use std::path::Path;

use super::rust::build_for_target;

const TARGET: &str = "wasm32-wasip1-threads";

pub fn build(crate_dir: &Path, out_dir: &Path) {
    println!("cargo:rerun-if-changed={}", crate_dir.display());
    let built = build_for_target(
        crate_dir,
        "--bins",
        TARGET,
        &out_dir.join("rust-threads"),
        "the threaded Rust test program",
    );
    let wasm = built.join("threads.wasm");
    if !wasm.is_file() {
        super::fail(&format!(
            "the threaded program: cargo produced no {}",
            wasm.display()
        ));
    }
    let source = format!(
        "pub const RUST_THREADS: &str = {:?};\n",
        wasm.display().to_string()
    );
    let path = out_dir.join("rust_threads.rs");
    std::fs::write(&path, source)
        .unwrap_or_else(|e| super::fail(&format!("cannot write {}: {e}", path.display())));
}
