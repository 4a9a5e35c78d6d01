//! Compiles the test-program corpus with the real toolchains and writes a
//! manifest (`programs.rs` in `OUT_DIR`) naming every program's `.wasm` file.
//!
//! Binaries are never committed: every test build produces them from the
//! sources under `programs/`. A missing toolchain fails the build, because a
//! corpus that silently shrinks would let the tests pass without testing.

mod assemblyscript;
mod c;
mod cpp;
mod go;
mod manifest;
mod rust;
mod rust_components;
mod rust_threads;
mod wat;
mod zig;

use std::path::{Path, PathBuf};
use std::process::Command;

use manifest::Manifest;

fn main() {
    let manifest_dir = PathBuf::from(env("CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(env("OUT_DIR"));
    let programs = manifest_dir.join("programs");

    let mut manifest = Manifest::default();
    rust::build(&programs.join("rust"), &out_dir, &mut manifest);
    go::build(&programs.join("go"), &out_dir, &mut manifest);
    c::build(&programs.join("c"), &out_dir, &mut manifest);
    cpp::build(&programs.join("cpp"), &out_dir, &mut manifest);
    zig::build(&programs.join("zig"), &out_dir, &mut manifest);
    wat::build(&programs.join("wat"), &out_dir, &mut manifest);
    assemblyscript::build(
        &programs.join("assemblyscript"),
        &manifest_dir.join("assemblyscript"),
        &out_dir,
        &mut manifest,
    );
    manifest.write(&out_dir.join("programs.rs"));
    rust_components::build(&programs.join("rust-components"), &out_dir);
    go::build_library(&programs.join("go-library"), &out_dir);
    rust_threads::build(&programs.join("rust-threads"), &out_dir);
}

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| fail(&format!("cargo did not set {name}")))
}

/// Stops the build with a one-line reason.
fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1)
}

/// Runs `command`, failing the build with its output if it does not succeed.
fn run(mut command: Command, what: &str) {
    let output = command.output().unwrap_or_else(|e| {
        fail(&format!(
            "{what}: cannot start {:?}: {e}",
            command.get_program()
        ))
    });
    if !output.status.success() {
        eprintln!("{}", String::from_utf8_lossy(&output.stdout));
        eprintln!("{}", String::from_utf8_lossy(&output.stderr));
        fail(&format!("{what} failed ({})", output.status));
    }
}

fn create_dir(path: &Path) {
    std::fs::create_dir_all(path)
        .unwrap_or_else(|e| fail(&format!("cannot create {}: {e}", path.display())));
}

/// The files directly in `dir` whose name ends in `.{extension}`, sorted.
fn files_with_extension(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = read_dir(dir)
        .filter(|path| path.is_file() && path.extension().is_some_and(|e| e == extension))
        .collect();
    files.sort();
    files
}

fn read_dir(dir: &Path) -> impl Iterator<Item = PathBuf> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| fail(&format!("cannot list {}: {e}", dir.display())))
        .map(|entry| {
            entry
                .unwrap_or_else(|e| fail(&format!("cannot list: {e}")))
                .path()
        })
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_else(|| fail(&format!("bad file name {}", path.display())))
        .to_owned()
}
