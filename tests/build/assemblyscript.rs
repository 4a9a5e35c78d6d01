//! AssemblyScript programs: every `programs/assemblyscript/*.ts`, compiled
//! by `asc` with `@assemblyscript/wasi-shim` (which turns its console,
//! process and Date into preview1 calls), both pinned by
//! `assemblyscript/package-lock.json` and installed by ci/setup.sh.

use std::path::Path;
use std::process::Command;

use super::manifest::Manifest;

/// The shim's `asc` configuration, relative to `tests/assemblyscript`.
const SHIM_CONFIG: &str = "node_modules/@assemblyscript/wasi-shim/asconfig.json";

pub fn build(dir: &Path, compiler_dir: &Path, out_dir: &Path, manifest: &mut Manifest) {
    println!("cargo:rerun-if-changed={}", dir.display());
    println!(
        "cargo:rerun-if-changed={}",
        compiler_dir.join("package-lock.json").display()
    );
    let asc = compiler_dir.join("node_modules/assemblyscript/bin/asc.js");
    let shim = compiler_dir.join(SHIM_CONFIG);
    if !asc.is_file() || !shim.is_file() {
        super::fail(&format!(
            "the AssemblyScript compiler is not installed in {}: run `eval \"$(bash ci/setup.sh)\"` first",
            compiler_dir.display()
        ));
    }
    let out = out_dir.join("assemblyscript-programs");
    super::create_dir(&out);
    for source in super::files_with_extension(dir, "ts") {
        let name = super::file_stem(&source);
        let wasm = out.join(format!("{name}.wasm"));
        let mut command = Command::new("node");
        // asc finds the shim's library only through a configuration path
        // relative to the working directory.
        command
            .current_dir(compiler_dir)
            .arg(&asc)
            .arg(&source)
            .args(["--config", SHIM_CONFIG, "-O3", "--outFile"])
            .arg(&wasm);
        super::run(command, &format!("compiling AssemblyScript program {name}"));
        manifest.add(format!("assemblyscript/{name}"), wasm);
    }
}
