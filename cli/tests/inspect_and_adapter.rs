//! `wasi-upgrade inspect` and `wasi-upgrade adapter`, and the README's
//! function table that both draw on.

mod common;

use std::process::Output;

use common::wasi_upgrade;
const HELLO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/hello.wat");

/// A module that imports a function no WASI host provides.
const FOREIGN_IMPORT: &str = r#"(module
  (import "env" "now" (func (result i64)))
  (memory (export "memory") 1)
  (func (export "_start")))"#;

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn inspect_tells_functions_kind_and_imports() {
    let dir = tempfile::tempdir().unwrap();
    let output = wasi_upgrade(dir.path(), &["inspect", HELLO]);
    assert!(output.status.success(), "{output:?}");
    let text = stdout(&output);
    for expected in [
        "component: command (it exports `_start`",
        "adapter: stdio (",
        "preview1 functions imported: 4",
        "  args_get: No limit",
        "  fd_write: Every iovec in one host call",
        "  wasi:cli/stdout@0.2.12",
        "  wasi:cli/run@0.2.12",
    ] {
        assert!(text.contains(expected), "no {expected:?} in:\n{text}");
    }
    // Only stdio can be reached: nothing else is imported.
    assert!(!text.contains("wasi:filesystem/"), "{text}");
    assert!(!text.contains("wasi:sockets/"), "{text}");
    assert!(output.stderr.is_empty());
    assert!(
        dir.path().read_dir().unwrap().next().is_none(),
        "inspect wrote a file"
    );
}

/// A program that may reach a preopen by its number but can open nothing
/// gets the preopens build, and `inspect` says so.
#[test]
fn inspect_names_the_preopens_build() {
    let dir = tempfile::tempdir().unwrap();
    let module = dir.path().join("closes.wat");
    std::fs::write(
        &module,
        r#"(module
  (import "wasi_snapshot_preview1" "fd_close" (func (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")))"#,
    )
    .unwrap();
    let module = module.to_str().unwrap();
    let output = wasi_upgrade(dir.path(), &["inspect", module]);
    assert!(output.status.success(), "{output:?}");
    let text = stdout(&output);
    assert!(text.contains("adapter: preopens ("), "{text}");
    assert!(text.contains("wasi:filesystem/preopens@0.2.12"), "{text}");
    let output = wasi_upgrade(dir.path(), &["inspect", "--json", module]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(json["adapter"], "preopens");
}

#[test]
fn inspect_json_has_every_field() {
    let dir = tempfile::tempdir().unwrap();
    let output = wasi_upgrade(
        dir.path(),
        &["inspect", "--json", "--world", "reactor", HELLO],
    );
    assert!(output.status.success(), "{output:?}");
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(json["world"], "reactor");
    assert_eq!(json["world_reason"], "asked for (--world)");
    assert_eq!(json["serves_sockets"], false);
    assert_eq!(json["adapter"], "stdio");
    assert_eq!(json["preview1_functions"][0]["name"], "fd_write");
    assert!(json["preview1_functions"][0]["notes"].is_string());
    assert!(
        json["component_imports"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i == "wasi:cli/stdout@0.2.12")
    );
    assert_eq!(json["component_exports"].as_array().unwrap().len(), 0);
    assert_eq!(json["problem"], serde_json::Value::Null);
}

#[test]
fn inspect_reports_what_stops_the_upgrade_with_the_same_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("in.wat"), FOREIGN_IMPORT).unwrap();
    let upgrade = wasi_upgrade(dir.path(), &["in.wat", "-o", "out.wasm"]);
    let inspect = wasi_upgrade(dir.path(), &["inspect", "in.wat"]);
    assert_eq!(inspect.status.code(), Some(1));
    assert_eq!(inspect.stderr, upgrade.stderr);
    assert!(stdout(&inspect).contains("component: none"));

    let json = wasi_upgrade(dir.path(), &["inspect", "--json", "in.wat"]);
    assert_eq!(json.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    let line = String::from_utf8(upgrade.stderr).unwrap();
    let reason = line
        .trim_end()
        .strip_prefix("wasi-upgrade: error: ")
        .unwrap();
    assert_eq!(json["problem"], reason);
}

#[test]
fn adapter_writes_the_shipped_bytes() {
    let dir = tempfile::tempdir().unwrap();
    for (world, bytes) in [
        ("command", wasi_upgrade::COMMAND_ADAPTER),
        ("reactor", wasi_upgrade::REACTOR_ADAPTER),
        ("proxy", wasi_upgrade::PROXY_ADAPTER),
    ] {
        let output = wasi_upgrade(dir.path(), &["adapter", "--world", world, "-o", "a.wasm"]);
        assert!(output.status.success(), "{output:?}");
        assert_eq!(
            std::fs::read(dir.path().join("a.wasm")).unwrap(),
            bytes,
            "{world}"
        );
        let piped = wasi_upgrade(dir.path(), &["adapter", "--world", world, "-o", "-"]);
        assert_eq!(piped.stdout, bytes, "{world} to stdout");
    }
}

#[test]
fn adapter_for_an_older_wasi_imports_that_release() {
    let dir = tempfile::tempdir().unwrap();
    let output = wasi_upgrade(
        dir.path(),
        &[
            "adapter",
            "--world",
            "command",
            "--wasi-version",
            "0.2.0",
            "-o",
            "old.wasm",
        ],
    );
    assert!(output.status.success(), "{output:?}");
    let adapter = std::fs::read(dir.path().join("old.wasm")).unwrap();
    wasmparser::Validator::new().validate_all(&adapter).unwrap();
    let mut modules = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(&adapter) {
        if let wasmparser::Payload::ImportSection(section) = payload.unwrap() {
            for import in section.into_imports() {
                modules.push(import.unwrap().module.to_owned());
            }
        }
    }
    assert!(
        modules.iter().any(|m| m == "wasi:cli/stdout@0.2.0"),
        "{modules:?}"
    );
    assert!(
        !modules.iter().any(|m| m.ends_with("@0.2.12")),
        "{modules:?}"
    );
}

#[test]
fn adapter_needs_a_world() {
    let dir = tempfile::tempdir().unwrap();
    let output = wasi_upgrade(dir.path(), &["adapter", "-o", "a.wasm"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(!dir.path().join("a.wasm").exists());
}

/// The README's table of preview1 functions is rendered from
/// `PREVIEW1_FUNCTIONS`, so `inspect` and the README say the same.
#[test]
fn readme_function_table_matches_the_library() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    let mut table = String::from("| function | status | notes |\n|---|---|---|\n");
    for row in wasi_upgrade::PREVIEW1_FUNCTIONS {
        let names: Vec<String> = row.names.iter().map(|name| format!("`{name}`")).collect();
        table += &format!("| {} | supported | {} |\n", names.join(", "), row.notes);
    }
    assert!(
        readme.contains(&table),
        "README.md's function table differs from cli/src/functions.rs; it should read:\n{table}"
    );
    let count: usize = wasi_upgrade::PREVIEW1_FUNCTIONS
        .iter()
        .map(|row| row.names.len())
        .sum();
    assert_eq!(count, 46);
}
