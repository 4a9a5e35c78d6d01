//! The upgrader on Node.js alone (npm/: the library built for wasm32-wasip2,
//! transpiled by jco, behind `npm/bin/wasi-upgrade.mjs`) writes exactly the
//! bytes the native library writes for every program of the corpus, and
//! refuses what the native command refuses, the same way.
//!
//! The package is built once per process by `npm/build.sh` (a no-op when it
//! is current), so these tests always run today's sources.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Mutex, OnceLock};

use wasi_upgrade::{Options, WasiVersion, World};
use wasi_upgrade_tests::Program;

const NPM_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../npm");

/// `npm/bin/wasi-upgrade.mjs`, after building the package it runs.
fn node_cli() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let output = Command::new("bash")
            .arg(Path::new(NPM_DIR).join("build.sh"))
            .output()
            .expect("cannot start bash for npm/build.sh");
        assert!(
            output.status.success(),
            "npm/build.sh failed ({}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        Path::new(NPM_DIR).join("bin/wasi-upgrade.mjs")
    })
}

/// Runs the Node command with `args` in `directory`.
fn node(directory: &Path, args: &[&str]) -> Output {
    Command::new("node")
        .arg(node_cli())
        .args(args)
        .current_dir(directory)
        .output()
        .expect("cannot start `node` (Node.js 20 or newer must be on PATH)")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// What the native command prints for a failed upgrade.
fn native_error_line(module: &[u8], options: &Options) -> String {
    let error = wasi_upgrade::upgrade(module, options).expect_err("the upgrade should fail");
    format!("wasi-upgrade: error: {error}\n")
}

/// Whether the Node command's answer for `module` is the library's: the
/// same bytes, or the same one-line error with status 1 and no file.
fn check_same_as_native(
    name: &str,
    module: &[u8],
    options: &Options,
    flags: &[&str],
) -> Result<(), String> {
    let work = tempfile::tempdir().expect("cannot create a temporary directory");
    std::fs::write(work.path().join("in.wasm"), module).expect("cannot write the module");
    let mut args = vec!["in.wasm", "-o", "out.wasm"];
    args.extend_from_slice(flags);
    let output = node(work.path(), &args);
    let written = std::fs::read(work.path().join("out.wasm")).ok();
    match wasi_upgrade::upgrade(module, options) {
        Ok(expected) if output.status.success() && written.as_ref() == Some(&expected) => Ok(()),
        Ok(expected) => Err(format!(
            "{name}: native wrote {} bytes; node exited with {} having written {:?} bytes: {}",
            expected.len(),
            output.status,
            written.map(|w| w.len()),
            stderr(&output)
        )),
        Err(error) => {
            let line = format!("wasi-upgrade: error: {error}\n");
            if output.status.code() == Some(1) && stderr(&output) == line && written.is_none() {
                Ok(())
            } else {
                Err(format!(
                    "{name}: native refuses with {line:?}; node exited with {} and {:?}, output file written: {}",
                    output.status,
                    stderr(&output),
                    written.is_some()
                ))
            }
        }
    }
}

#[test]
fn every_corpus_program_upgrades_to_the_native_bytes() {
    let programs: Mutex<Vec<Program>> = Mutex::new(Program::all().collect());
    let failures = Mutex::new(Vec::new());
    node_cli();
    // Two Node processes at a time: each compiles the upgrader on one core.
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                loop {
                    let Some(program) = programs.lock().unwrap().pop() else {
                        break;
                    };
                    let result = check_same_as_native(
                        program.name(),
                        &program.bytes(),
                        &Options::default(),
                        &[],
                    );
                    if let Err(failure) = result {
                        failures.lock().unwrap().push(failure);
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn world_and_wasi_version_flags_reach_the_library() {
    let hello = Program::named("rust/hello").bytes();
    let reactor_0_2_3 = Options::default()
        .world(World::Reactor)
        .wasi_version(WasiVersion::new(3).unwrap());
    check_same_as_native(
        "hello as a reactor on 0.2.3",
        &hello,
        &reactor_0_2_3,
        &["--world", "reactor", "--wasi-version", "0.2.3"],
    )
    .unwrap();
    // A command without `_start` is the library's error, word for word.
    let library = wat::parse_str(r#"(module (memory (export "memory") 1) (func (export "f")))"#)
        .expect("the test module is valid text");
    let as_command = Options::default().world(World::Command);
    check_same_as_native(
        "a library as a command",
        &library,
        &as_command,
        &["--world", "command"],
    )
    .unwrap();
}

#[test]
fn dash_writes_the_component_to_stdout() {
    let hello = Program::named("rust/hello");
    let work = tempfile::tempdir().unwrap();
    let input = hello.path().to_str().unwrap();
    let output = node(work.path(), &["upgrade", input, "-o", "-"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let expected = wasi_upgrade::upgrade(&hello.bytes(), &Options::default()).unwrap();
    assert!(
        output.stdout == expected,
        "stdout differs from the native component"
    );
    assert_eq!(std::fs::read_dir(work.path()).unwrap().count(), 0);
}

#[test]
fn bad_input_is_one_line_and_leaves_the_old_output_whole() {
    let work = tempfile::tempdir().unwrap();
    std::fs::write(work.path().join("notes.txt"), "not a module").unwrap();
    std::fs::write(work.path().join("out.wasm"), "the previous output").unwrap();
    let output = node(work.path(), &["notes.txt", "-o", "out.wasm"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        native_error_line(b"not a module", &Options::default())
    );
    assert_eq!(
        std::fs::read_to_string(work.path().join("out.wasm")).unwrap(),
        "the previous output"
    );
    let mut left = std::fs::read_dir(work.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect::<Vec<_>>();
    left.sort();
    assert_eq!(left, ["notes.txt", "out.wasm"], "no temporary file is left");

    let missing = node(work.path(), &["missing.wasm", "-o", "new.wasm"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        stderr(&missing).starts_with("wasi-upgrade: error: cannot read `missing.wasm`: ")
            && stderr(&missing).lines().count() == 1,
        "{}",
        stderr(&missing)
    );
    assert!(!work.path().join("new.wasm").exists());
}

#[test]
fn wrong_command_lines_exit_2_with_one_line() {
    let work = tempfile::tempdir().unwrap();
    let input = Program::named("rust/hello").path().to_str().unwrap();
    for (args, says) in [
        (vec![input], "-o <FILE>"),
        (vec![input, "-o", "x.wasm", "--world", "library"], "--world"),
        (
            vec![input, "-o", "x.wasm", "--wasi-version", "0.2.13"],
            "0.2.0 through 0.2.12",
        ),
        (vec![input, "-o", "x.wasm", "--bogus"], "--bogus"),
        (vec!["run", input], "native"),
    ] {
        let output = node(work.path(), &args);
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {message}");
        assert!(
            message.starts_with("wasi-upgrade: error: ")
                && message.contains(says)
                && message.lines().count() == 1,
            "{args:?}: {message}"
        );
        assert_eq!(std::fs::read_dir(work.path()).unwrap().count(), 0);
    }
}

#[test]
fn help_has_examples() {
    let output = node(Path::new(NPM_DIR), &["--help"]);
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    assert!(help.contains("\nExamples:\n"), "{help}");
}
