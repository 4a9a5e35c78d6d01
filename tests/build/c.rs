//! C programs: every `programs/c/*.c` (one translation unit each, plus the
//! headers beside it), compiled against wasi-libc by `zig cc` for
//! `wasm32-wasi`, which produces preview1 modules.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::manifest::Manifest;

/// Names the `zig` binary to use; set by ci/setup.sh.
const ZIG_ENV: &str = "WASI_UPGRADE_ZIG";
/// Where ci/setup.sh keeps downloads and caches between runs.
const CACHE_ENV: &str = "WASI_UPGRADE_CACHE";

/// Zig's name for wasm32 with wasi-libc: its `wasi` OS is preview1 (Zig does
/// not accept `wasip1`).
const TARGET: &str = "wasm32-wasi";

pub fn build(dir: &Path, out_dir: &Path, manifest: &mut Manifest) {
    println!("cargo:rerun-if-changed={}", dir.display());
    let zig = Zig::find(out_dir);
    let out = out_dir.join("c-programs");
    super::create_dir(&out);
    for source in super::files_with_extension(dir, "c") {
        let name = super::file_stem(&source);
        let wasm = out.join(format!("{name}.wasm"));
        let mut command = zig.command();
        command
            .args(["cc", "-target", TARGET, "-O2", "-s"])
            .args(["-Wall", "-Wextra", "-Werror"])
            .arg("-I")
            .arg(dir)
            .arg("-o")
            .arg(&wasm)
            .arg(&source);
        super::run(command, &format!("compiling C program {name}"));
        manifest.add(format!("c/{name}"), wasm);
    }
}

/// The `zig` binary ci/setup.sh installed, with the cache its builds share
/// (C, C++ and Zig programs all go through it).
pub struct Zig {
    binary: PathBuf,
    cache: PathBuf,
}

impl Zig {
    /// Fails the build with one line if `zig` is not installed.
    pub fn find(out_dir: &Path) -> Zig {
        println!("cargo:rerun-if-env-changed={ZIG_ENV}");
        println!("cargo:rerun-if-env-changed={CACHE_ENV}");
        // Zig builds wasi-libc itself on first use (about a minute); a cache
        // that outlives this OUT_DIR makes later builds take a second.
        let cache = match std::env::var_os(CACHE_ENV) {
            Some(root) => PathBuf::from(root).join("zig"),
            None => out_dir.join("zig-cache"),
        };
        super::create_dir(&cache);
        Zig {
            binary: find_zig(),
            cache,
        }
    }

    /// A `zig` command using the shared cache.
    pub fn command(&self) -> Command {
        let mut command = Command::new(&self.binary);
        command
            .env("ZIG_GLOBAL_CACHE_DIR", &self.cache)
            .env("ZIG_LOCAL_CACHE_DIR", &self.cache);
        command
    }
}

fn find_zig() -> PathBuf {
    let Some(zig) = std::env::var_os(ZIG_ENV).map(PathBuf::from) else {
        super::fail(&format!(
            "{ZIG_ENV} is unset (the C, C++ and Zig test programs are built with it): run `eval \"$(bash ci/setup.sh)\"` first"
        ));
    };
    let works = Command::new(&zig)
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !works {
        super::fail(&format!(
            "{ZIG_ENV}={} does not run: run `eval \"$(bash ci/setup.sh)\"` first",
            zig.display()
        ));
    }
    zig
}
