//! Hand-written programs: every `programs/wat/*.wat`, assembled by the `wat` crate.

use std::path::Path;

use super::manifest::Manifest;

pub fn build(dir: &Path, out_dir: &Path, manifest: &mut Manifest) {
    println!("cargo:rerun-if-changed={}", dir.display());
    let out = out_dir.join("wat-programs");
    std::fs::create_dir_all(&out)
        .unwrap_or_else(|e| super::fail(&format!("cannot create {}: {e}", out.display())));
    for source in super::files_with_extension(dir, "wat") {
        let name = super::file_stem(&source);
        let wasm = ::wat::parse_file(&source)
            .unwrap_or_else(|e| super::fail(&format!("assembling {name}: {e}")));
        let path = out.join(format!("{name}.wasm"));
        std::fs::write(&path, wasm)
            .unwrap_or_else(|e| super::fail(&format!("cannot write {}: {e}", path.display())));
        manifest.add(format!("wat/{name}"), path);
    }
}
