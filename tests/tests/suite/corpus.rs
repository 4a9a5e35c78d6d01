//! Every case of the corpus, each run on every host.
//!
//! `corpus!` turns each `name => case` into `native::name` (the oracle meets
//! the case's expectations) and `wasmtime_p2::name` (the upgraded program on
//! Wasmtime's 0.2 host behaves exactly like the oracle). A new host gets one
//! more module in the macro; a new case is one more line below.

use wasi_upgrade_tests::{Case, Preopen, Program};

macro_rules! corpus {
    ($($name:ident => $case:expr;)*) => {
        mod cases {
            use super::*;
            $(pub fn $name() -> Case { $case })*
            pub const ALL: &[(&str, fn() -> Case)] = &[$((stringify!($name), $name)),*];
        }

        mod native {
            $(
                #[test]
                fn $name() {
                    wasi_upgrade_tests::assert_oracle(stringify!($name), &super::cases::$name());
                }
            )*
        }

        mod wasmtime_p2 {
            $(
                #[test]
                fn $name() {
                    wasi_upgrade_tests::assert_same_as_oracle(
                        &wasi_upgrade_tests::WasmtimeComponent,
                        stringify!($name),
                        &super::cases::$name(),
                    );
                }
            )*
        }
    };
}

corpus! {
    hello => Case::new("rust/hello").expect_stdout("Hello, world!\n");

    exit_std_0 => exit("rust/exit_std", 0);
    exit_std_1 => exit("rust/exit_std", 1);
    exit_std_3 => exit("rust/exit_std", 3);
    exit_std_125 => exit("rust/exit_std", 125);
    exit_std_255 => exit_above_125("rust/exit_std", 255);
    exit_raw_0 => exit("rust/exit_raw", 0);
    exit_raw_1 => exit("rust/exit_raw", 1);
    exit_raw_3 => exit("rust/exit_raw", 3);
    exit_raw_125 => exit("rust/exit_raw", 125);
    exit_raw_255 => exit_above_125("rust/exit_raw", 255);
    panic => Case::new("rust/panic")
        .expect_trap()
        .expect_stdout("about to panic")
        .expect_stderr("deliberate panic with 1 args");

    args_argv0_only => Case::new("rust/args").expect_stdout("argc=1 ").expect_stdout("0: args.wasm\n");
    args_none_at_all => Case::new("rust/args")
        .argv(Vec::<String>::new())
        .expect_stdout("argc=0 buf_size=0")
        .expect_stdout("std::env::args: 0 args");
    args_1000 => Case::new("rust/args")
        .args(awkward_strings().into_iter().chain((0..1000 - 1 - 6).map(|i| format!("arg-{i}"))))
        .expect_stdout("argc=1000 ")
        .expect_stdout("2: with space\n")
        .expect_stdout("999: arg-992\n");
    args_1mb => Case::new("rust/args")
        .args((0..1024).map(|i| format!("{i:04}{}", "a".repeat(1020))))
        .expect_stdout("argc=1025 ")
        .expect_stdout("total bytes: 1048585");

    env_none => Case::new("rust/env").expect_stdout("count=0 buf_size=0");
    env_10000 => Case::new("rust/env")
        .env((0..10_000).map(|i| (format!("VAR_{i:05}"), format!("value {i}"))))
        .env([("WASI_UPGRADE_PROBE", "found")])
        .env(awkward_strings().into_iter().enumerate().map(|(i, s)| (format!("AWKWARD_{i}"), s)))
        .expect_stdout("count=10007 ")
        .expect_stdout("VAR_09999=value 9999\n")
        .expect_stdout("lookup WASI_UPGRADE_PROBE: found");
    env_1mb => Case::new("rust/env")
        .env((0..256).map(|i| (format!("BIG_{i:03}"), "v".repeat(4096))))
        .expect_stdout("count=256 ")
        .expect_stdout("lookup WASI_UPGRADE_PROBE: environment variable not found");

    clocks => Case::new("rust/clocks")
        .expect_stdout("realtime res: > 0 true")
        .expect_stdout("monotonic res: > 0 true")
        .expect_stdout("realtime after 2020: true")
        .expect_stdout("monotonic non-decreasing over 10000 reads: true")
        .expect_stdout("Instant advances across a 2ms sleep: true");
    random => Case::new("rust/random")
        .expect_stdout("random_get(16): ok, any non-zero byte true, canary intact true")
        .expect_stdout("random_get(1048576): ok, any non-zero byte true, canary intact true")
        .expect_stdout("two 64-byte draws differ: true");
    write_vectored => Case::new("rust/write_vectored")
        .expect_stdout("piece 000;piece 001;")
        .expect_stdout("piece 199;\n")
        .expect_stdout("all-empty fd_write: ok 0")
        .expect_stdout("fd_write to fd 1234: errno BADF")
        .expect_stderr("to stderr\n");
    stdin_echo_empty => Case::new("rust/stdin_echo").expect_stderr("read 0 bytes");
    stdin_echo_small => Case::new("rust/stdin_echo")
        .stdin("hello\nworld\n")
        .expect_stdout("hello\nworld\n")
        .expect_stderr("read 12 bytes");
    stdin_echo_1mb => Case::new("rust/stdin_echo").stdin(noise(1 << 20)).expect_stderr("read 1048576 bytes");
    stdin_iovecs_small => Case::new("rust/stdin_iovecs")
        .stdin("0123456789abcdef")
        .expect_stdout("0123456789abcdef")
        .expect_stderr("total 16 bytes")
        .expect_stderr("fd_read after EOF: ok 0");
    stdin_iovecs_1mb => Case::new("rust/stdin_iovecs").stdin(noise(1 << 20)).expect_stderr("total 1048576 bytes");
    fdstat_stdio => Case::new("rust/fdstat")
        .expect_stdout("fd 0: filetype")
        .expect_stdout("fd 77: fd_fdstat_get errno BADF")
        .expect_stdout("still writing")
        .expect_stderr("still writing to stderr");
    poll_clocks => Case::new("rust/poll_clocks")
        .expect_stdout("single relative clock: 1 event(s)\n  userdata 0x1234 type CLOCK error SUCCESS")
        .expect_stdout("  userdata 0x4 type CLOCK error SUCCESS")
        .expect_stdout("reached the deadline: true")
        .expect_stdout("no subscriptions: errno INVAL");
    sleep => Case::new("rust/sleep").expect_stdout("slept 25ms: at least that long true").expect_stdout("done");
    prestat_none => Case::new("rust/prestat").expect_stdout("fd 3: errno BADF\n0 preopen(s)");
    prestat_20 => twenty_preopens()
        .expect_stdout("20 preopen(s)")
        .expect_stdout("fd 3 after close: errno BADF")
        .expect_stdout("fd 4 still: \"/p01\"");
    sched_yield => Case::new("rust/sched_yield").expect_stdout("sched_yield: ok ()");
    big_vec => Case::new("rust/big_vec")
        .expect_stdout("chunk 49: 200 MiB")
        .expect_stdout("all 209715200 bytes intact")
        .expect_stdout("labels intact: true");
    files => Case::new("rust/files")
        .preopen(
            Preopen::new("/sandbox")
                .file("input.txt", "some text\nover two lines\n")
                .file("rename_me.txt", "renamed")
                .file("to_delete.txt", "gone")
                .file("untouched/nested.bin", [0u8, 1, 2, 255])
                .dir("empty_dir"),
        )
        .expect_stdout("input: 25 bytes")
        .expect_stdout("entries: [\"input.txt\", \"made\", \"output.txt\", \"untouched\"]")
        .expect_stdout("missing.txt: NotFound");

    go_goroutines => Case::new("go/goroutines")
        .expect_stdout("allocated 384 MiB in total")
        .expect_stdout("goroutine stress: ok");
    greedy_alloc => Case::new("wat/greedy_alloc")
        .args(["one", "two"])
        .env([("A", "1")])
        .expect_stdout("argc 3 argv_buf_size 26\nclaimed up to byte 1114112\n")
        .expect_stdout("environ count 1\n")
        .expect_stdout("grew heap to byte 9502720\n")
        .expect_stdout("written from the heap\nok\n");
}

fn exit(program: &'static str, code: i32) -> Case {
    Case::new(program)
        .args([code.to_string()])
        .expect_exit(code)
        .expect_stdout(format!("exiting with {code}"))
}

/// Wasmtime's preview1 refuses to exit with 126 or more (the run fails); WASI
/// 0.2's `exit-with-code` carries any `u8`, so upgraded programs keep their code.
fn exit_above_125(program: &'static str, code: i32) -> Case {
    Case::new(program)
        .args([code.to_string()])
        .expect_trap()
        .expect_stdout(format!("exiting with {code}"))
        .upgraded_exit(
            code,
            "wasmtime's preview1 rejects exit codes >= 126; 0.2's exit-with-code passes any u8",
        )
}

/// Strings that trip naive encoders: empty, spaces, `=`, multi-byte UTF-8.
fn awkward_strings() -> Vec<String> {
    [
        "",
        "with space",
        "key=value",
        "ünïcödé ✓",
        "tab\there",
        "🦀",
    ]
    .map(String::from)
    .to_vec()
}

/// Deterministic bytes of every value (xorshift), so stdin tests cover all bytes.
fn noise(len: usize) -> Vec<u8> {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 32) as u8
        })
        .collect()
}

fn twenty_preopens() -> Case {
    (0..20).fold(Case::new("rust/prestat"), |case, i| {
        let preopen = Preopen::new(format!("/p{i:02}")).file("marker.txt", format!("preopen {i}"));
        case.preopen(preopen)
    })
}

/// Each program the build produced is exercised by at least one case.
#[test]
fn every_program_has_a_case() {
    let used: Vec<&str> = cases::ALL.iter().map(|(_, case)| case().program).collect();
    let unused: Vec<&str> = Program::all()
        .map(|p| p.name())
        .filter(|name| !used.contains(name))
        .collect();
    assert!(
        unused.is_empty(),
        "programs without a case in tests/suite/corpus.rs: {unused:?}"
    );
}
