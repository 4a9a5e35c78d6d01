//! The library, without its default features, is light enough for toolchains
//! to bundle: it depends on the wasm toolchain crates and nothing that runs
//! components (Wasmtime, Tokio, Hyper) or parses command lines (clap).

use std::collections::BTreeSet;
use std::process::Command;

/// What `wasi-upgrade` with `default-features = false` may depend on directly.
const ALLOWED_DIRECT: &[&str] = &[
    "anyhow",
    "wasm-encoder",
    "wasmparser",
    "wat",
    "wit-component",
    "wit-parser",
];

/// Crates that must not appear anywhere in the light library's tree.
const FORBIDDEN_ANYWHERE: &[&str] = &[
    "wasmtime",
    "wasmtime-wasi",
    "wasmtime-wasi-http",
    "cranelift-codegen",
    "tokio",
    "hyper",
    "clap",
    "tempfile",
];

/// The names of the packages `cargo tree` lists for the light library, down
/// to `depth` levels (`None`: the whole tree).
fn light_library_tree(depth: Option<u32>) -> BTreeSet<String> {
    let mut command = Command::new(env!("CARGO"));
    command
        .args(["tree", "--offline", "--locked", "--manifest-path"])
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .args([
            "-p",
            "wasi-upgrade",
            "--no-default-features",
            "-e",
            "normal",
        ])
        .args(["--prefix", "none", "--format", "{p}"]);
    if let Some(depth) = depth {
        command.arg("--depth").arg(depth.to_string());
    }
    let output = command.output().expect("cannot run cargo tree");
    assert!(
        output.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .expect("cargo tree printed non-UTF-8")
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "wasi-upgrade")
        .map(str::to_owned)
        .collect()
}

#[test]
fn direct_dependencies_are_the_wasm_toolchain_crates() {
    let direct = light_library_tree(Some(1));
    let allowed: BTreeSet<String> = ALLOWED_DIRECT.iter().map(|s| s.to_string()).collect();
    assert_eq!(direct, allowed);
}

#[test]
fn no_host_or_command_line_crate_anywhere() {
    let tree = light_library_tree(None);
    let found: Vec<&&str> = FORBIDDEN_ANYWHERE
        .iter()
        .filter(|name| tree.contains(**name))
        .collect();
    assert!(found.is_empty(), "the light library pulls in {found:?}");
}
