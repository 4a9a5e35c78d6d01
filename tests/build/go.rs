//! Go programs: every directory under `programs/go` (one module) is a `main`
//! package, built with `GOOS=wasip1 GOARCH=wasm`.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::manifest::Manifest;

/// Names the `go` binary to use; set by ci/setup.sh.
const GO_ENV: &str = "WASI_UPGRADE_GO";

pub fn build(module_dir: &Path, out_dir: &Path, manifest: &mut Manifest) {
    println!("cargo:rerun-if-changed={}", module_dir.display());
    println!("cargo:rerun-if-env-changed={GO_ENV}");
    let go = find_go();
    let out = out_dir.join("go-programs");
    let mut packages: Vec<PathBuf> = super::read_dir(module_dir).filter(|p| p.is_dir()).collect();
    packages.sort();
    for package in packages {
        let name = package
            .file_name()
            .and_then(|n| n.to_str())
            .expect("utf-8 directory name")
            .to_owned();
        let wasm = out.join(format!("{name}.wasm"));
        let mut command = Command::new(&go);
        command
            .current_dir(module_dir)
            .env("GOOS", "wasip1")
            .env("GOARCH", "wasm")
            // Never let go fetch a different toolchain or consult a go.work.
            .env("GOTOOLCHAIN", "local")
            .env("GOWORK", "off")
            .args(["build", "-trimpath", "-o"])
            .arg(&wasm)
            .arg(format!("./{name}"));
        super::run(command, &format!("building Go program {name}"));
        manifest.add(format!("go/{name}"), wasm);
    }
}

/// The Go library at `package_dir`, built with `-buildmode=c-shared` (a
/// preview1 reactor with `//go:wasmexport` functions). It has no `_start` to
/// compare natively, so instead of the manifest it gets `go_library.rs` in
/// `OUT_DIR`: the constant `GO_LIBRARY`, the path of its `.wasm`, which the
/// flavour tests `include!`.
pub fn build_library(package_dir: &Path, out_dir: &Path) {
    println!("cargo:rerun-if-changed={}", package_dir.display());
    let go = find_go();
    let wasm = out_dir.join("go-library.wasm");
    let mut command = Command::new(&go);
    command
        .current_dir(package_dir)
        .env("GOOS", "wasip1")
        .env("GOARCH", "wasm")
        .env("GOTOOLCHAIN", "local")
        .env("GOWORK", "off")
        .args(["build", "-buildmode=c-shared", "-trimpath", "-o"])
        .arg(&wasm)
        .arg(".");
    super::run(command, "building the Go library");
    let source = format!(
        "pub const GO_LIBRARY: &str = {:?};\n",
        wasm.display().to_string()
    );
    let path = out_dir.join("go_library.rs");
    std::fs::write(&path, source)
        .unwrap_or_else(|e| super::fail(&format!("cannot write {}: {e}", path.display())));
}

fn find_go() -> PathBuf {
    let configured = std::env::var_os(GO_ENV).map(PathBuf::from);
    let go = configured.clone().unwrap_or_else(|| PathBuf::from("go"));
    let works = Command::new(&go)
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !works {
        let tried = match configured {
            Some(path) => format!("{GO_ENV}={} does not run", path.display()),
            None => format!("no `go` on PATH and {GO_ENV} is unset"),
        };
        super::fail(&format!(
            "Go toolchain not found ({tried}): run `eval \"$(bash ci/setup.sh)\"` first"
        ));
    }
    go
}
