//! C++ programs: every `programs/cpp/*.cpp`, compiled by `zig c++` for
//! `wasm32-wasi` against wasi-libc and Zig's libc++, which has no exceptions,
//! no `<filesystem>` and no `<fstream>` on this target.

use std::path::Path;

use super::c::Zig;
use super::manifest::Manifest;

pub fn build(dir: &Path, out_dir: &Path, manifest: &mut Manifest) {
    println!("cargo:rerun-if-changed={}", dir.display());
    let zig = Zig::find(out_dir);
    let out = out_dir.join("cpp-programs");
    super::create_dir(&out);
    for source in super::files_with_extension(dir, "cpp") {
        let name = super::file_stem(&source);
        let wasm = out.join(format!("{name}.wasm"));
        let mut command = zig.command();
        command
            .args(["c++", "-target", "wasm32-wasi", "-O2", "-s", "-std=c++20"])
            .args(["-fno-exceptions", "-Wall", "-Wextra", "-Werror"])
            .arg("-o")
            .arg(&wasm)
            .arg(&source);
        super::run(command, &format!("compiling C++ program {name}"));
        manifest.add(format!("cpp/{name}"), wasm);
    }
}
