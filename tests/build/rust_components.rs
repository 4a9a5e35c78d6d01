//! Programs that are not commands (libraries and an HTTP handler): every
//! member crate of the workspace at `programs/rust-components`, each a
//! `wasm32-wasip1` cdylib, built by a nested cargo with its own target
//! directory.
//!
//! They are not part of the differential corpus (there is no `_start` to
//! run on both hosts), so instead of the manifest they get a file of their
//! own, `rust_components.rs` in `OUT_DIR`: one constant per crate holding
//! the path of its `.wasm` (`file-length` → `FILE_LENGTH`), which the
//! flavour tests `include!`.

use std::path::Path;

use super::rust::build_for_wasm;

pub fn build(workspace: &Path, out_dir: &Path) {
    println!("cargo:rerun-if-changed={}", workspace.display());
    // The HTTP handler's bindings come from the project's WIT.
    let wit = workspace.join("../../../wit");
    println!("cargo:rerun-if-changed={}", wit.display());

    let built = build_for_wasm(
        workspace,
        "--workspace",
        &out_dir.join("rust-components"),
        "the Rust library and handler test programs",
    );
    let mut source = String::from("// The non-command test programs, by crate.\n");
    for member in super::read_dir(workspace).filter(|dir| dir.join("Cargo.toml").is_file()) {
        let name = member
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_else(|| super::fail(&format!("bad crate directory {}", member.display())));
        let wasm = built.join(format!("{}.wasm", name.replace('-', "_")));
        if !wasm.is_file() {
            super::fail(&format!("{name}: cargo produced no {}", wasm.display()));
        }
        source.push_str(&format!(
            "pub const {}: &str = {:?};\n",
            name.replace('-', "_").to_uppercase(),
            wasm.display().to_string()
        ));
    }
    let path = out_dir.join("rust_components.rs");
    std::fs::write(&path, source)
        .unwrap_or_else(|e| super::fail(&format!("cannot write {}: {e}", path.display())));
}
