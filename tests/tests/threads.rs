//! A real `wasm32-wasip1-threads` program (Rust's `std::thread`, built by
//! the test build) is refused: the library answers `Error::Threads`, and the
//! command line prints that one line, exits with 1 and writes nothing.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::SystemTime;

use wasi_upgrade::{Error, Options};
use wasi_upgrade_tests::inspect::core_imports;
use wasmparser::{Parser, Payload, TypeRef};

// RUST_THREADS: the path of the threaded program's `.wasm`.
include!(concat!(env!("OUT_DIR"), "/rust_threads.rs"));

/// What the one-line error must say: the target, and why.
const NAMES_THE_TARGET: &str = "wasm32-wasip1-threads";
const SAYS_WHY: &str = "which the component model cannot run yet";

fn program() -> Vec<u8> {
    std::fs::read(RUST_THREADS).unwrap_or_else(|e| panic!("cannot read {RUST_THREADS}: {e}"))
}

/// The program has the shape the refusal is about, so the tests below test
/// what the toolchain emits rather than a hand-made module.
#[test]
fn the_program_has_the_threads_shape() {
    let module = program();
    let imports = core_imports(&module).unwrap();
    assert!(
        imports.contains(&("wasi".to_owned(), "thread-spawn".to_owned())),
        "{imports:?}"
    );
    let shared_memory_import = Parser::new(0)
        .parse_all(&module)
        .filter_map(|payload| match payload.unwrap() {
            Payload::ImportSection(reader) => Some(reader.into_imports()),
            _ => None,
        })
        .flatten()
        .any(|import| matches!(import.unwrap().ty, TypeRef::Memory(memory) if memory.shared));
    assert!(
        shared_memory_import,
        "no shared memory imported: {imports:?}"
    );
}

#[test]
fn the_library_refuses_it_with_the_threads_error() {
    let module = program();
    let error = wasi_upgrade::upgrade(&module, &Options::default()).unwrap_err();
    assert_eq!(error, Error::Threads);
    let message = error.to_string();
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(
        message.contains(NAMES_THE_TARGET) && message.contains(SAYS_WHY),
        "{message}"
    );
    let inspection = wasi_upgrade::inspect(&module, &Options::default());
    assert_eq!(inspection.problem, Some(Error::Threads));
}

#[test]
fn the_command_line_refuses_it_in_one_line_and_writes_nothing() {
    let work = tempfile::tempdir().unwrap();
    std::fs::write(work.path().join("threads.wasm"), program()).unwrap();
    let cases: [&[&str]; 3] = [
        &["threads.wasm", "-o", "threads.component.wasm"],
        &["upgrade", "threads.wasm", "-o", "-"],
        &["run", "threads.wasm"],
    ];
    for args in cases {
        let output = Command::new(cli_binary())
            .current_dir(work.path())
            .args(args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{args:?}: {output:?}");
        assert!(output.stdout.is_empty(), "{args:?} wrote to stdout");
        let line = error_line(&output);
        assert!(
            line.contains(NAMES_THE_TARGET) && line.contains(SAYS_WHY),
            "{args:?}: {line}"
        );
        let files: Vec<String> = std::fs::read_dir(work.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(files, ["threads.wasm"], "{args:?} left files behind");
    }
}

/// The single line the command printed on stderr.
fn error_line(output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "expected one line on stderr: {stderr:?}");
    assert!(lines[0].starts_with("wasi-upgrade: error: "), "{stderr:?}");
    lines[0].to_owned()
}

/// The `wasi-upgrade` binary cargo built beside this test (in
/// `target/<profile>/`; `cargo test --workspace` builds it for the CLI's own
/// tests). Cargo gives only a package's own tests the path of its binaries,
/// so this one is found next to the test executable, and refused if it is
/// older than the CLI's sources, so that a stale build never passes.
fn cli_binary() -> PathBuf {
    let test = std::env::current_exe().unwrap();
    // target/<profile>/deps/threads-<hash> → target/<profile>/wasi-upgrade
    let profile_dir = test.parent().and_then(Path::parent).unwrap();
    let binary = profile_dir.join(format!("wasi-upgrade{}", std::env::consts::EXE_SUFFIX));
    let rebuild = "build it with `cargo build -p wasi-upgrade` (`cargo test --workspace` does)";
    let built = std::fs::metadata(&binary)
        .and_then(|metadata| metadata.modified())
        .unwrap_or_else(|e| panic!("no wasi-upgrade at {}: {e}; {rebuild}", binary.display()));
    let cli = Path::new(env!("CARGO_MANIFEST_DIR")).join("../cli");
    let sources = newest_change(&cli.join("src"))
        .max(newest_change(&cli.join("adapters")))
        .max(newest_change(&cli.join("Cargo.toml")));
    assert!(
        built >= sources,
        "{} is older than the CLI's sources; {rebuild}",
        binary.display()
    );
    binary
}

/// The latest modification time of `path` or anything below it.
fn newest_change(path: &Path) -> SystemTime {
    let metadata =
        std::fs::metadata(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let own = metadata.modified().unwrap();
    if !metadata.is_dir() {
        return own;
    }
    std::fs::read_dir(path)
        .unwrap()
        .map(|entry| newest_change(&entry.unwrap().path()))
        .fold(own, SystemTime::max)
}
