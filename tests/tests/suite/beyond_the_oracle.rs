//! Behaviour the issue asks for that the oracle cannot check in reasonable
//! time: native preview1 lists and stats a whole directory again on every
//! `fd_readdir` call, so walking 100,000 entries through a small buffer
//! would take it hours. The upgraded program's output is checked against
//! what the listing must be instead.

use wasi_upgrade_tests::{Case, Exit, WasmtimeComponent, check_expectations, run};

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
