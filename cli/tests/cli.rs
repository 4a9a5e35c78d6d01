//! The command line's promises: one-line errors with a non-zero status and
//! nothing written on bad input; whole files or stdout on good input; the
//! program's own status from `run`.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{WASI_UPGRADE, wasi_upgrade};

/// A command that imports only what the adapter has always exported.
const YIELDING_COMMAND: &str = r#"(module
  (import "wasi_snapshot_preview1" "sched_yield" (func $yield (result i32)))
  (memory (export "memory") 1)
  (func (export "_start") (drop (call $yield)) (drop (memory.grow (memory.size)))))"#;

fn module(text: &str) -> Vec<u8> {
    wat::parse_str(text).unwrap()
}

/// A scratch directory holding `input` as `in.wasm`.
fn workspace(input: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("in.wasm"), input).unwrap();
    dir
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The single line the tool printed on stderr.
fn error_line(output: &Output) -> String {
    let stderr = String::from_utf8(output.stderr.clone()).unwrap();
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines.len(),
        1,
        "expected one line on stderr, got {stderr:?}"
    );
    assert!(lines[0].starts_with("wasi-upgrade: error: "), "{stderr:?}");
    lines[0].to_string()
}

fn is_component(bytes: &[u8]) -> bool {
    wasmparser::Parser::is_component(bytes)
        && wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
            .validate_all(bytes)
            .is_ok()
}

#[test]
fn bad_input_is_one_line_and_writes_nothing() {
    let valid = module(YIELDING_COMMAND);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "not wasm",
            b"#!/bin/sh\necho hello\n".to_vec(),
            "not WebAssembly",
        ),
        ("truncated", valid[..valid.len() - 3].to_vec(), "truncated"),
        (
            "malformed",
            [&valid[..8], &[0x7f, 0x01, 0x00][..]].concat(),
            "malformed",
        ),
        (
            "invalid body",
            module(
                r#"(module (memory (export "memory") 1) (func (export "_start") i32.add drop))"#,
            ),
            "malformed",
        ),
        (
            "invalid body before a shape no adapter serves",
            module(r#"(module (memory (export "memory") 1 2 shared) (func i32.add drop))"#),
            "malformed",
        ),
        ("a component", module("(component)"), "already a component"),
        (
            "no memory export",
            module(r#"(module (memory 1) (func (export "_start")))"#),
            "does not export its memory",
        ),
        (
            "no memory",
            module(r#"(module (func (export "_start")))"#),
            "has no memory",
        ),
        (
            "memory64",
            module(r#"(module (memory (export "memory") i64 1))"#),
            "64-bit memory",
        ),
        (
            "shared memory",
            module(
                r#"(module (import "env" "memory" (memory 1 2 shared)) (export "memory" (memory 0)))"#,
            ),
            "the component model cannot run yet",
        ),
        (
            "a non-WASI import",
            module(
                r#"(module (import "wasi_snapshot_preview1" "sched_yield" (func (result i32)))
                     (import "env" "host_log" (func)) (memory (export "memory") 1))"#,
            ),
            "`env.host_log`",
        ),
    ];
    for (what, input, phrase) in cases {
        let dir = workspace(&input);
        let output = wasi_upgrade(dir.path(), &["in.wasm", "-o", "out.wasm"]);
        assert_eq!(output.status.code(), Some(1), "{what}");
        let line = error_line(&output);
        assert!(line.contains(phrase), "{what}: {line:?} lacks {phrase:?}");
        assert!(output.stdout.is_empty(), "{what}");
        assert_eq!(files_in(dir.path()), ["in.wasm"], "{what}");
    }
}

/// Memory shapes WASI preview1 has no place for are named in one line,
/// never passed on to the encoder as a bug to report.
#[test]
fn memory_shapes_it_cannot_serve_are_named_in_one_line() {
    let body = r#"(func (export "_start") (drop (memory.grow (memory.size))))"#;
    let cases = [
        (
            "several memories",
            format!(r#"(module (memory (export "memory") 1) (memory $second 1) {body})"#),
            "2 memories (multi-memory)",
        ),
        (
            "several memories, the second exported",
            r#"(module (memory $first 1) (memory (export "memory") 1)
                 (func (export "_start") (drop (memory.grow 1 (memory.size 1)))))"#
                .to_string(),
            "2 memories (multi-memory)",
        ),
        (
            "custom page sizes",
            format!(r#"(module (memory (export "memory") 1 (pagesize 1)) {body})"#),
            "1-byte pages (custom-page-sizes)",
        ),
        (
            "memory exported under another name",
            format!(r#"(module (memory (export "mem") 1) {body})"#),
            "exports its memory as `mem`",
        ),
        (
            "memory imported",
            format!(
                r#"(module (import "env" "memory" (memory 1)) (export "memory" (memory 0)) {body})"#
            ),
            "imports its memory (`env.memory`)",
        ),
    ];
    for (what, text, phrase) in cases {
        let dir = workspace(&module(&text));
        let output = wasi_upgrade(dir.path(), &["in.wasm", "-o", "out.wasm"]);
        assert_eq!(output.status.code(), Some(1), "{what}");
        let line = error_line(&output);
        assert!(line.contains(phrase), "{what}: {line:?} lacks {phrase:?}");
        assert!(!line.contains("report"), "{what}: {line:?}");
        assert_eq!(files_in(dir.path()), ["in.wasm"], "{what}");
    }
}

/// The memory shapes real toolchains emit upgrade to valid components, as
/// commands and as libraries (whose start function moves into a new
/// `_initialize`).
#[test]
fn upgrades_every_memory_shape_toolchains_emit() {
    let yield_import =
        r#"(import "wasi_snapshot_preview1" "sched_yield" (func $yield (result i32)))"#;
    let shapes = [
        r#"(memory (export "memory") 0)"#,
        r#"(memory (export "memory") 1 1)"#,
        r#"(memory (export "memory") 2 5)"#,
        r#"(memory (export "memory") 1 65536)"#,
    ];
    for memory in shapes {
        for (world, entry) in [("command", "_start"), ("reactor", "work")] {
            for start in ["", "(start $init)"] {
                let text = format!(
                    r#"(module {yield_import} {memory} {start}
                         (func $init (drop (call $yield)) (drop (memory.grow (i32.const 1))))
                         (func (export "{entry}") (drop (memory.grow (memory.size)))))"#
                );
                let dir = workspace(&module(&text));
                let output =
                    wasi_upgrade(dir.path(), &["in.wasm", "-o", "out.wasm", "--world", world]);
                assert!(
                    output.status.success(),
                    "{world} with {memory} {start}: {}",
                    String::from_utf8_lossy(&output.stderr)
                );
                let component = std::fs::read(dir.path().join("out.wasm")).unwrap();
                assert!(is_component(&component), "{world} with {memory} {start}");
            }
        }
    }
}

#[test]
fn writes_the_component_whole_and_leaves_no_temporary_files() {
    let dir = workspace(&module(YIELDING_COMMAND));
    std::fs::write(dir.path().join("out.wasm"), b"stale").unwrap();
    let output = wasi_upgrade(dir.path(), &["in.wasm", "-o", "out.wasm"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.stdout.is_empty() && output.stderr.is_empty());
    assert_eq!(files_in(dir.path()), ["in.wasm", "out.wasm"]);
    let component = std::fs::read(dir.path().join("out.wasm")).unwrap();
    assert!(is_component(&component));

    // The spelled-out subcommand is the same command.
    let output = wasi_upgrade(dir.path(), &["upgrade", "in.wasm", "-o", "again.wasm"]);
    assert!(output.status.success());
    assert_eq!(
        std::fs::read(dir.path().join("again.wasm")).unwrap(),
        component
    );
}

#[test]
fn writes_to_stdout_with_a_dash() {
    let dir = workspace(&module(YIELDING_COMMAND));
    let output = wasi_upgrade(dir.path(), &["in.wasm", "-o", "-"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(is_component(&output.stdout));
    assert_eq!(files_in(dir.path()), ["in.wasm"]);
}

#[test]
fn reports_an_unwritable_output_in_one_line() {
    let dir = workspace(&module(YIELDING_COMMAND));
    let output = wasi_upgrade(dir.path(), &["in.wasm", "-o", "missing/out.wasm"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(error_line(&output).contains("cannot write `missing/out.wasm`"));
    assert_eq!(files_in(dir.path()), ["in.wasm"]);
}

#[test]
fn reports_a_missing_input_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let output = wasi_upgrade(dir.path(), &["absent.wasm", "-o", "out.wasm"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(error_line(&output).contains("cannot read `absent.wasm`"));
    assert!(files_in(dir.path()).is_empty());
}

#[test]
fn honours_the_world_option() {
    let reactor = module(r#"(module (memory (export "memory") 1) (func (export "add")))"#);
    let dir = workspace(&reactor);
    let output = wasi_upgrade(dir.path(), &["in.wasm", "-o", "-", "--world", "command"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(error_line(&output).contains("exports no `_start`"));
    let output = wasi_upgrade(dir.path(), &["in.wasm", "-o", "-", "--world", "reactor"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(is_component(&output.stdout));
}

#[test]
fn run_exits_with_the_program_status() {
    let dir = workspace(&module(YIELDING_COMMAND));
    let output = wasi_upgrade(dir.path(), &["run", "in.wasm"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let exiting = module(
        r#"(module (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
             (memory (export "memory") 1)
             (func (export "_start") (call $exit (i32.const 7))))"#,
    );
    let dir = workspace(&exiting);
    let output = wasi_upgrade(dir.path(), &["run", "in.wasm"]);
    assert_eq!(
        output.status.code(),
        Some(7),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Exits with the filetype of fd 3, or 100 if there is no fd 3.
const FD_3_TYPE_SERVER: &str = r#"(module
    (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $fdstat (param i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "sock_accept" (func $accept (param i32 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    (memory (export "memory") 1)
    (func (export "_start")
      (if (call $fdstat (i32.const 3) (i32.const 64)) (then (call $exit (i32.const 100))))
      (call $exit (i32.load8_u (i32.const 64)))))"#;

#[test]
fn run_hands_a_server_its_listener_at_fd_3() {
    let dir = workspace(&module(FD_3_TYPE_SERVER));
    let without = wasi_upgrade(dir.path(), &["run", "in.wasm"]);
    assert_eq!(
        without.status.code(),
        Some(100),
        "{}",
        String::from_utf8_lossy(&without.stderr)
    );
    let with = wasi_upgrade(
        dir.path(),
        &["run", "in.wasm", "--tcplisten", "127.0.0.1:0"],
    );
    const SOCKET_STREAM: i32 = 6;
    assert_eq!(
        with.status.code(),
        Some(SOCKET_STREAM),
        "{}",
        String::from_utf8_lossy(&with.stderr)
    );
}

#[test]
fn run_says_when_it_cannot_listen() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = taken.local_addr().unwrap().to_string();
    let dir = workspace(&module(FD_3_TYPE_SERVER));
    let output = wasi_upgrade(dir.path(), &["run", "in.wasm", "--tcplisten", &address]);
    assert_eq!(output.status.code(), Some(1));
    assert!(error_line(&output).contains(&format!("cannot listen on {address}")));
}

#[test]
fn run_reports_a_trap_like_wasmtime() {
    let dir = workspace(&module(
        r#"(module (memory (export "memory") 1) (func (export "_start") unreachable))"#,
    ));
    let output = wasi_upgrade(dir.path(), &["run", "in.wasm"]);
    let expected = if cfg!(unix) { 134 } else { 3 };
    assert_eq!(output.status.code(), Some(expected));
    assert!(error_line(&output).contains("the program trapped: wasm trap"));
}

#[test]
fn run_refuses_a_library_in_one_line() {
    let dir = workspace(&module(
        r#"(module (memory (export "memory") 1) (func (export "add")))"#,
    ));
    let output = wasi_upgrade(dir.path(), &["run", "in.wasm"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(error_line(&output).contains("nothing to run"));
}

#[test]
fn run_accepts_a_component_as_it_is() {
    let dir = workspace(&module(YIELDING_COMMAND));
    let upgraded = wasi_upgrade(dir.path(), &["in.wasm", "-o", "component.wasm"]);
    assert!(upgraded.status.success());
    let output = wasi_upgrade(dir.path(), &["run", "component.wasm"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn help_teaches_both_forms_and_the_exit_status() {
    let output = Command::new(WASI_UPGRADE).arg("--help").output().unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for phrase in [
        "wasi-upgrade [upgrade] <INPUT> -o <FILE>",
        "wasi-upgrade run",
        "Exit status",
        "-o -",
    ] {
        assert!(help.contains(phrase), "--help lacks {phrase:?}:\n{help}");
    }
}

#[test]
fn every_help_has_examples() {
    let help = |args: &[&str]| {
        let output = Command::new(WASI_UPGRADE).args(args).output().unwrap();
        assert!(output.status.success(), "{args:?} failed");
        String::from_utf8(output.stdout).unwrap()
    };
    let top_level = help(&["--help"]);
    // The subcommands as the help lists them, so a new one is checked too.
    let subcommands: Vec<&str> = top_level
        .split_once("\nCommands:\n")
        .expect("--help lists the subcommands")
        .1
        .lines()
        .take_while(|line| !line.is_empty())
        .filter_map(|line| line.strip_prefix("  "))
        // A description that wraps goes on under its own, further indented.
        .filter(|line| !line.starts_with(' '))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .collect();
    assert_eq!(
        subcommands,
        ["upgrade", "run", "serve", "inspect", "adapter"]
    );
    assert!(top_level.contains("\nExamples:\n"), "{top_level}");
    for subcommand in subcommands {
        let text = help(&[subcommand, "--help"]);
        assert!(
            text.contains("\nExamples:\n"),
            "`{subcommand} --help` has no Examples section:\n{text}"
        );
    }
}

/// The names of a component's top-level exports.
fn component_exports(component: &[u8]) -> Vec<String> {
    let mut names = Vec::new();
    let mut depth = 0;
    for payload in wasmparser::Parser::new(0).parse_all(component) {
        match payload.unwrap() {
            wasmparser::Payload::Version { .. } => depth += 1,
            wasmparser::Payload::End(_) => depth -= 1,
            wasmparser::Payload::ComponentExportSection(exports) if depth == 1 => {
                for export in exports {
                    names.push(export.unwrap().name.name.to_owned());
                }
            }
            _ => {}
        }
    }
    names
}

#[test]
fn targets_the_wasi_version_asked_for() {
    let dir = workspace(&module(YIELDING_COMMAND));
    for (version, run) in [
        (None, "wasi:cli/run@0.2.12"),
        (Some("0.2.0"), "wasi:cli/run@0.2.0"),
    ] {
        let mut args = vec!["in.wasm", "-o", "-"];
        args.extend(version.iter().flat_map(|v| ["--wasi-version", *v]));
        let output = wasi_upgrade(dir.path(), &args);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(component_exports(&output.stdout), [run]);
    }
}

#[test]
fn run_reports_exit_codes_exactly_only_from_wasi_0_2_12() {
    let exits_with_3 = r#"(module
      (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
      (memory (export "memory") 1)
      (func (export "_start") (call $exit (i32.const 3))))"#;
    let dir = workspace(&module(exits_with_3));
    for (version, status) in [("0.2.12", 3), ("0.2.11", 1), ("0.2.0", 1)] {
        let output = wasi_upgrade(dir.path(), &["run", "--wasi-version", version, "in.wasm"]);
        assert_eq!(output.status.code(), Some(status), "{version}");
    }
}

#[test]
fn an_unknown_wasi_version_is_a_usage_error() {
    let dir = workspace(&module(YIELDING_COMMAND));
    let output = wasi_upgrade(
        dir.path(),
        &["in.wasm", "-o", "-", "--wasi-version", "0.3.0"],
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("choose one of 0.2.0 through 0.2.12"),
        "{stderr}"
    );
}

#[test]
fn serve_refuses_a_module_that_is_not_a_handler_in_one_line() {
    let dir = workspace(&module(YIELDING_COMMAND));
    let output = wasi_upgrade(dir.path(), &["serve", "in.wasm", "--addr", "127.0.0.1:0"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(error_line(&output).contains("does not implement `wasi:http/incoming-handler`"));
    let output = wasi_upgrade(dir.path(), &["in.wasm", "-o", "-", "--world", "proxy"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(error_line(&output).contains("cannot be an HTTP proxy"));
}

#[test]
fn help_names_the_flavours_versions_and_serve() {
    let output = Command::new(WASI_UPGRADE).arg("--help").output().unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    for phrase in ["wasi-upgrade serve", "--wasi-version", "becomes a proxy"] {
        assert!(help.contains(phrase), "--help lacks {phrase:?}:\n{help}");
    }
    let output = wasi_upgrade(Path::new("."), &["serve", "--help"]);
    let help = String::from_utf8(output.stdout).unwrap();
    for phrase in ["--addr", "wasi:http/proxy", "HTTP-request-denied"] {
        assert!(
            help.contains(phrase),
            "serve --help lacks {phrase:?}:\n{help}"
        );
    }
}

/// The shape `wasm32-wasip1-threads` gives a program: an imported shared
/// memory, `wasi.thread-spawn`, and `wasi_thread_start` for new threads.
const THREADED_COMMAND: &str = r#"(module
  (import "wasi_snapshot_preview1" "sched_yield" (func (result i32)))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "env" "memory" (memory 2 16 shared))
  (export "memory" (memory 0))
  (func (export "wasi_thread_start") (param i32 i32))
  (func (export "_start") (drop (call $spawn (i32.const 0)))))"#;

#[test]
fn threads_are_refused_in_one_line_naming_why() {
    let input = module(THREADED_COMMAND);
    let why = "which the component model cannot run yet";
    let dir = workspace(&input);
    for args in [&["in.wasm", "-o", "out.wasm"][..], &["run", "in.wasm"][..]] {
        let output = wasi_upgrade(dir.path(), args);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let line = error_line(&output);
        assert!(
            line.contains("wasm32-wasip1-threads") && line.contains(why),
            "{line}"
        );
        assert_eq!(files_in(dir.path()), ["in.wasm"]);
    }

    let error = wasi_upgrade::upgrade(&input, &wasi_upgrade::Options::default()).unwrap_err();
    assert_eq!(error, wasi_upgrade::Error::Threads);
    // Spawning alone, without a shared memory, is the same error.
    let spawning_only = module(
        r#"(module (import "wasi" "thread-spawn" (func (param i32) (result i32)))
             (memory (export "memory") 1) (func (export "_start")))"#,
    );
    let error =
        wasi_upgrade::upgrade(&spawning_only, &wasi_upgrade::Options::default()).unwrap_err();
    assert_eq!(error, wasi_upgrade::Error::Threads);
}

/// Imports `fd_write` and `fd_seek` from both snapshot 0 and preview1 and
/// uses each: writes "a" and "b", then exits with the sum of both seeks'
/// errnos on stdin (a pipe: `ESPIPE`, 70, each).
const BOTH_NAMESPACES: &str = r#"(module
    (import "wasi_unstable" "fd_write" (func $write0 (param i32 i32 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "fd_write" (func $write1 (param i32 i32 i32 i32) (result i32)))
    (import "wasi_unstable" "fd_seek" (func $seek0 (param i32 i64 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "fd_seek" (func $seek1 (param i32 i64 i32 i32) (result i32)))
    (import "wasi_unstable" "proc_exit" (func $exit (param i32)))
    (memory (export "memory") 1)
    (data (i32.const 64) "ab")
    (func (export "_start")
      (i32.store (i32.const 16) (i32.const 64))
      (i32.store (i32.const 20) (i32.const 1))
      (drop (call $write0 (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))
      (i32.store (i32.const 16) (i32.const 65))
      (drop (call $write1 (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))
      ;; ESPIPE (70) from each seek, the second halved: preview1 exits with
      ;; less than 126 only.
      (call $exit (i32.add
        (call $seek0 (i32.const 0) (i64.const 0) (i32.const 2) (i32.const 32))
        (i32.shr_u
          (call $seek1 (i32.const 0) (i64.const 0) (i32.const 0) (i32.const 32))
          (i32.const 1))))))"#;

#[test]
fn runs_a_module_importing_from_snapshot_0_and_preview1() {
    let dir = workspace(&module(BOTH_NAMESPACES));
    let output = Command::new(WASI_UPGRADE)
        .current_dir(dir.path())
        .args(["run", "in.wasm"])
        .stdin(std::process::Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stdout), "ab");
    assert_eq!(
        output.status.code(),
        Some(105),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
