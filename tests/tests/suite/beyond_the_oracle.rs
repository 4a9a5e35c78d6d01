//! Behaviour the oracle cannot check: native preview1 lists and stats a
//! whole directory again on every `fd_readdir` call, so walking 100,000
//! entries through a small buffer would take it hours; and native's
//! `poll_oneoff` answers some mixes of subscriptions differently from run to
//! run. The upgraded program's output is checked against what it must be
//! instead.

use wasi_upgrade_tests::{Case, Exit, Host, Jco, WasmtimeComponent, check_expectations, run};

use crate::corpus::fs_tree;

const ENTRIES: usize = 100_000;

#[test]
fn a_hundred_thousand_entries_through_a_small_buffer() {
    let tree = (0..ENTRIES).fold(fs_tree("/sandbox"), |tree, i| {
        tree.file(format!("big/entry_{i:06}"), "")
    });
    let case = Case::new("rust/fs_readdir")
        .args([ENTRIES.to_string(), "walk-big-in-small-buffer".to_owned()])
        .preopen(tree)
        .expect_stdout(format!("listed: {} entries", ENTRIES + 2))
        .expect_stdout("every name present: true")
        .expect_stdout("one-entry reads at 2 cookies match the listing: true")
        .expect_stdout("through a 128-byte buffer: same entries true");
    let outcome = run(&WasmtimeComponent, &case).expect("the upgraded program runs");
    assert!(
        matches!(outcome.exit, Exit::Code(0)),
        "{}",
        String::from_utf8_lossy(&outcome.stderr)
    );
    if let Err(problems) = check_expectations(&case, &outcome) {
        panic!(
            "{problems}\nstdout:\n{}",
            String::from_utf8_lossy(&outcome.stdout)
        );
    }
}

/// Native reports an expired clock only after it yields once, and a file
/// read only once a read it starts on a blocking thread finishes, which
/// races with its look at the other subscriptions: beside a stdout write or
/// an expired clock, a file read is reported on most native runs and not on
/// others (the fuzzer's `poll-mixed-readiness`, tests/README.md). The
/// adapter answers the same on every run and every host, one of native's
/// answers: the file read is ready at native's first look.
#[test]
fn poll_oneoff_mixed_readiness_answers_the_same_every_run() {
    let case = crate::corpus::fuzz_regression("poll-mixed")
        .expect_stdout(
            "poll stdout write, file read: SUCCESS [1:type 2 nbytes 1 2:type 1 nbytes 1]\n",
        )
        .expect_stdout("poll expired clock, stdout write: SUCCESS [1:type 2 nbytes 1]\n")
        .expect_stdout("poll expired clock, file read: SUCCESS [2:type 1 nbytes 1]\n")
        .expect_stdout("poll file read: SUCCESS [2:type 1 nbytes 1]\n");
    for host in [&WasmtimeComponent as &dyn Host, &Jco] {
        for _ in 0..3 {
            let outcome = run(host, &case).expect("the upgraded program runs");
            if let Err(problems) = check_expectations(&case, &outcome) {
                panic!(
                    "{}: {problems}\nstdout:\n{}",
                    host.name(),
                    String::from_utf8_lossy(&outcome.stdout)
                );
            }
        }
    }
}
