//! Zig programs: every `programs/zig/*.zig`, built by `zig build-exe` for
//! `wasm32-wasi` with Zig's own standard library (no libc), which talks to
//! preview1 directly.

use std::path::Path;

use super::c::Zig;
use super::manifest::Manifest;

pub fn build(dir: &Path, out_dir: &Path, manifest: &mut Manifest) {
    println!("cargo:rerun-if-changed={}", dir.display());
    let zig = Zig::find(out_dir);
    let out = out_dir.join("zig-programs");
    super::create_dir(&out);
    for source in super::files_with_extension(dir, "zig") {
        let name = super::file_stem(&source);
        let wasm = out.join(format!("{name}.wasm"));
        let mut command = zig.command();
        command
            .args(["build-exe", "-target", "wasm32-wasi", "-O", "ReleaseSafe"])
            .arg(format!("-femit-bin={}", wasm.display()))
            .arg(&source);
        super::run(command, &format!("compiling Zig program {name}"));
        manifest.add(format!("zig/{name}"), wasm);
    }
}
