//! The harness itself: comparisons must notice every kind of difference, or a
//! passing differential test would prove nothing.

use wasi_upgrade_tests::{
    Case, Completion, Exit, Host, NativePreview1, Outcome, Preopen, Program, Sandbox,
    check_expectations, compare, run,
};

fn native(case: &Case) -> Outcome {
    run(&NativePreview1, case).unwrap_or_else(|e| panic!("{e:?}"))
}

/// Compares native runs of two cases, returning the mismatch report.
fn mismatch_between(a: &Case, b: &Case) -> String {
    let (x, y) = (native(a), native(b));
    match compare(a, ("first", &x), ("second", &y)) {
        Ok(()) => panic!("the harness reported no difference between {a:?} and {b:?}"),
        Err(mismatch) => mismatch.report().to_owned(),
    }
}

#[test]
fn identical_runs_compare_equal() {
    let case = Case::new("rust/args").args(["same"]);
    let (x, y) = (native(&case), native(&case));
    compare(&case, ("first", &x), ("second", &y)).unwrap();
}

#[test]
fn different_args_are_reported_in_stdout() {
    let report = mismatch_between(
        &Case::new("rust/args").args(["alpha"]),
        &Case::new("rust/args").args(["gamma"]),
    );
    assert!(
        report.contains("stdout differs: first difference at byte 90 (line 5)"),
        "{report}"
    );
    assert!(report.contains("> first       5: 1: alpha"), "{report}");
    assert!(report.contains("> second      5: 1: gamma"), "{report}");
    assert!(!report.contains("exit differs"), "{report}");
}

#[test]
fn different_exit_codes_are_reported() {
    let report = mismatch_between(
        &Case::new("rust/exit_raw").args(["3"]),
        &Case::new("rust/exit_raw").args(["4"]),
    );
    assert!(
        report.contains("exit differs:\n  first: exited with 3\n  second: exited with 4"),
        "{report}"
    );
}

#[test]
fn different_stderr_is_reported() {
    let report = mismatch_between(
        &Case::new("rust/stdin_echo").stdin("a"),
        &Case::new("rust/stdin_echo").stdin("b"),
    );
    assert!(report.contains("stderr differs"), "{report}");
}

#[test]
fn different_files_left_behind_are_reported() {
    let with_input = |text: &str| {
        Case::new("rust/files").preopen(
            Preopen::new("/sandbox")
                .file("input.txt", text)
                .file("rename_me.txt", "r")
                .file("to_delete.txt", "d")
                .dir("empty_dir"),
        )
    };
    let report = mismatch_between(&with_input("abc\n"), &with_input("abd\n"));
    assert!(
        report.contains("preopen /sandbox differs afterwards"),
        "{report}"
    );
    assert!(
        report.contains("output.txt: file contents differ"),
        "{report}"
    );
    assert!(
        !report.contains("stdout differs"),
        "only the files differ: {report}"
    );
}

#[test]
fn a_trap_is_an_outcome_of_its_own() {
    let trapped = native(&Case::new("rust/panic"));
    match &trapped.exit {
        Exit::Trapped {
            kind: Some(wasmtime::Trap::UnreachableCodeReached),
            message,
        } => {
            assert!(message.contains("unreachable"), "{message}")
        }
        other => panic!("a Rust panic should trap with `unreachable`, got {other}"),
    }
    let exited = native(&Case::new("rust/exit_std").args(["1"]));
    let case = Case::new("rust/panic");
    let report = compare(&case, ("panic", &trapped), ("exit", &exited))
        .unwrap_err()
        .report()
        .to_owned();
    assert!(
        report.contains("exit differs") && report.contains("trapped (UnreachableCodeReached)"),
        "{report}"
    );
}

#[test]
fn no_argv_at_all_is_not_argv0() {
    let report = mismatch_between(
        &Case::new("rust/args").argv(Vec::<String>::new()),
        &Case::new("rust/args"),
    );
    assert!(report.contains("argc=0"), "{report}");
}

#[test]
fn preopens_start_fresh_for_every_run() {
    let case = Case::new("rust/files").preopen(
        Preopen::new("/sandbox")
            .file("input.txt", "x")
            .file("rename_me.txt", "r")
            .file("to_delete.txt", "d")
            .dir("empty_dir"),
    );
    // The program deletes files; a second run in the same directories would fail.
    let (x, y) = (native(&case), native(&case));
    compare(&case, ("first", &x), ("second", &y)).unwrap();
    assert!(matches!(y.exit, Exit::Code(0)), "{}", y.exit);
}

#[test]
fn expectations_reject_a_wrong_oracle() {
    let case = Case::new("rust/hello")
        .expect_stdout("Goodbye")
        .expect_exit(2);
    let problems = check_expectations(&case, &native(&case)).unwrap_err();
    assert!(problems.contains("stdout lacks \"Goodbye\""), "{problems}");
    assert!(
        problems.contains("expected Exit(2), but the program exited with 0"),
        "{problems}"
    );
}

/// The oracle must give the same outcome every time, or differential tests flake.
#[test]
fn the_oracle_is_repeatable() {
    for program in [
        "rust/clocks",
        "rust/poll_clocks",
        "rust/random",
        "rust/fdstat",
        "wat/greedy_alloc",
    ] {
        let case = Case::new(program);
        let (x, y) = (native(&case), native(&case));
        if let Err(mismatch) = compare(&case, ("first", &x), ("second", &y)) {
            panic!("{program} is not deterministic natively:\n{mismatch}");
        }
    }
}

struct Unrunnable;

impl Host for Unrunnable {
    fn name(&self) -> &'static str {
        "unrunnable"
    }

    fn run(&self, _: Program, _: &Case, _: &Sandbox) -> anyhow::Result<Completion> {
        anyhow::bail!("no such runtime")
    }
}

#[test]
fn a_host_that_cannot_run_is_an_error() {
    let error = run(&Unrunnable, &Case::new("rust/hello")).unwrap_err();
    let text = format!("{error:#}");
    assert!(
        text.contains("unrunnable could not run rust/hello: no such runtime"),
        "{text}"
    );
}

#[test]
#[should_panic(expected = "no test program named \"rust/nonexistent\"")]
fn unknown_programs_are_refused() {
    Program::named("rust/nonexistent");
}

/// Runs natively, then appends to stdout: a host that is wrong in one byte.
struct OneByteOff;

impl Host for OneByteOff {
    fn name(&self) -> &'static str {
        "one-byte-off"
    }

    fn run(&self, program: Program, case: &Case, sandbox: &Sandbox) -> anyhow::Result<Completion> {
        let mut completion = NativePreview1.run(program, case, sandbox)?;
        completion.stdout.push(b'!');
        Ok(completion)
    }
}

#[test]
#[should_panic(expected = "one-byte-off differs from native-preview1")]
fn a_host_one_byte_off_fails_the_differential_check() {
    wasi_upgrade_tests::assert_same_as_oracle(
        &OneByteOff,
        "harness/one_byte_off",
        &Case::new("rust/hello"),
    );
}

#[test]
fn the_oracle_passes_its_own_differential_check() {
    wasi_upgrade_tests::assert_same_as_oracle(
        &NativePreview1,
        "harness/self",
        &Case::new("rust/hello"),
    );
}

/// A case that overrides the oracle's exit holds every host to the override,
/// the oracle included.
#[test]
#[should_panic(expected = "exit differs")]
fn an_exit_override_is_enforced() {
    let case = Case::new("rust/exit_raw")
        .args(["200"])
        .expect_trap()
        .upgraded_exit(200, "the oracle refuses codes >= 126");
    wasi_upgrade_tests::assert_same_as_oracle(&NativePreview1, "harness/exit_override", &case);
}

/// OneByteOff's difference, pinned as a gap of that host.
fn one_byte_off_gap(oracle: &str, host: &str) -> Case {
    Case::new("rust/hello").host_gap(
        wasi_upgrade_tests::HostGap::new("one-byte-off", "appends a byte").stdout(oracle, host),
    )
}

#[test]
fn a_pinned_host_gap_is_accepted() {
    let case = one_byte_off_gap("world!\n", "world!\n!");
    wasi_upgrade_tests::assert_same_as_oracle(&OneByteOff, "harness/gap_pinned", &case);
}

#[test]
#[should_panic(
    expected = "one-byte-off differs from the oracle on `harness/gap_beyond` in more than the gap"
)]
fn a_difference_beyond_the_pinned_gap_fails() {
    let case = one_byte_off_gap("Hello", "Hi");
    wasi_upgrade_tests::assert_same_as_oracle(&OneByteOff, "harness/gap_beyond", &case);
}

#[test]
#[should_panic(
    expected = "the gap \"appends a byte\" does not fit `harness/gap_unfit`: the oracle's stdout never contains \"Goodbye\""
)]
fn a_gap_naming_text_the_oracle_never_prints_fails() {
    let case = one_byte_off_gap("Goodbye", "Hi");
    wasi_upgrade_tests::assert_same_as_oracle(&OneByteOff, "harness/gap_unfit", &case);
}

/// A host that stops differing fails its gap's test, so the gap gets removed.
#[test]
#[should_panic(
    expected = "native-preview1 now behaves exactly like the oracle on `harness/gap_closed`: the gap \"fixed by now\" is closed"
)]
fn a_closed_gap_fails() {
    let case = Case::new("rust/hello").host_gap(
        wasi_upgrade_tests::HostGap::new("native-preview1", "fixed by now").stdout("Hello", "Hi"),
    );
    wasi_upgrade_tests::assert_same_as_oracle(&NativePreview1, "harness/gap_closed", &case);
}

/// An upgraded trap must happen in the function the case names.
#[test]
#[should_panic(
    expected = "wasmtime-p2 must trap in `no_such_function` on `harness/upgraded_trap_elsewhere`"
)]
fn an_upgraded_trap_in_another_function_fails() {
    let case = Case::new("wat/memory_write_past_end")
        .expect_trap()
        .upgraded_trap("no_such_function", "a function the adapter does not have");
    wasi_upgrade_tests::assert_same_as_oracle(
        &wasi_upgrade_tests::WasmtimeComponent,
        "harness/upgraded_trap_elsewhere",
        &case,
    );
}

/// Two traps are the same only if the same thing trapped for the same reason.
#[test]
fn traps_compare_by_what_trapped_and_why() {
    let trap = |kind, message: &str| Exit::Trapped {
        kind,
        message: message.to_owned(),
    };
    let native_enum = trap(
        None,
        "In func wasi_snapshot_preview1::fd_seek at convert Whence: Invalid enum value Whence",
    );
    let upgraded_enum = trap(
        Some(wasmtime::Trap::UnreachableCodeReached),
        "wasm backtrace:\n    0: 0x10 - adapter!enum_value_out_of_range\n    1: 0x20 - adapter!fd_seek",
    );
    let upgraded_enum_elsewhere = trap(
        Some(wasmtime::Trap::UnreachableCodeReached),
        "wasm backtrace:\n    0: 0x10 - adapter!enum_value_out_of_range\n    1: 0x20 - adapter!fd_advise",
    );
    let upgraded_flags = trap(
        Some(wasmtime::Trap::UnreachableCodeReached),
        "wasm backtrace:\n    0: 0x10 - adapter!flag_bits_out_of_range\n    1: 0x20 - adapter!fd_seek",
    );
    let program_unreachable = trap(
        Some(wasmtime::Trap::UnreachableCodeReached),
        "wasm backtrace:\n    0: 0x10 - main!core::panicking::panic",
    );
    let adapter_bug = trap(
        Some(wasmtime::Trap::UnreachableCodeReached),
        "wasm backtrace:\n    0: 0x10 - adapter!adapter_bug\n    1: 0x20 - adapter!fd_seek",
    );
    assert!(native_enum.same_as(&upgraded_enum));
    assert!(
        !native_enum.same_as(&upgraded_enum_elsewhere),
        "another function"
    );
    assert!(!native_enum.same_as(&upgraded_flags), "another reason");
    assert!(
        !native_enum.same_as(&program_unreachable),
        "the program's own trap"
    );
    assert!(
        !program_unreachable.same_as(&adapter_bug),
        "the adapter's own trap"
    );
    assert!(program_unreachable.same_as(&program_unreachable.clone()));
}
