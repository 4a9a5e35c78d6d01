//! Every case of the corpus, each run on every host.
//!
//! `corpus!` turns each `name => case` into `native::name` (the oracle meets
//! the case's expectations), `wasmtime_p2::name` (the upgraded program on
//! Wasmtime's 0.2 host behaves exactly like the oracle) and `jco::name` (the
//! same on Node.js under jco, but for the gaps pinned with `jco_gap`). A new
//! host gets one more module in the macro; a new case is one more line below.

use wasi_upgrade_tests::{Case, Preopen, Program};

macro_rules! corpus {
    ($($name:ident => $case:expr;)*) => {
        pub(crate) mod cases {
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

        mod jco {
            $(
                #[test]
                fn $name() {
                    wasi_upgrade_tests::assert_same_as_oracle(
                        &wasi_upgrade_tests::Jco,
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
        .expect_stderr("still writing to stderr")
        .host_gap(jco_gap("preview2-shim's terminal-stdin/-stdout/-stderr report a terminal even for files and pipes")
            .stdout("filetype UNKNOWN", "filetype CHARACTER_DEVICE"));
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
    process => Case::new("rust/process")
        .expect_stdout("proc_raise(SIGINT): errno NOTSUP")
        .expect_stdout("sched_yield: ok ()")
        .expect_stdout("process CPU res: errno BADF\nprocess CPU time: errno BADF\nthread CPU res: errno BADF\nthread CPU time: errno BADF\n");
    poll_fds => Case::new("rust/poll_fds")
        .preopen(Preopen::new("/sandbox").file("data.txt", "0123456789"))
        .stdin("typed\n")
        .expect_stdout("stdin read: 1 event(s)\n  userdata 1 error SUCCESS type FD_READ nbytes 1 flags 0")
        .expect_stdout("stdin read beside a 60s clock: 1 event(s)\n  userdata 1 error SUCCESS type FD_READ")
        .expect_stdout("fd 77 read beside the file: errno BADF")
        .expect_stdout("FD_READ nbytes 1 flags 0\nfile read at 4")
        .expect_stdout("FD_READ nbytes 1 flags 1")
        .expect_stdout("fd 77 read: errno BADF")
        .expect_stdout("the preopen (a directory) beside a 60s clock: errno BADF")
        .expect_stdout("stdout read: errno BADF")
        .expect_stdout("clock 9 beside stdout: errno INVAL")
        .expect_stdout("process CPU clock 1ms beside a 60s monotonic clock: errno INVAL");
    poll_exit_0 => Case::new("rust/poll_exit").args(["0"]).expect_exit(0);
    poll_exit_7 => Case::new("rust/poll_exit").args(["7"]).expect_exit(7);
    poll_exit_125 => Case::new("rust/poll_exit").args(["125"]).expect_exit(125);
    c_sleep => Case::new("c/c_sleep")
        .stdin("typed\n")
        .expect_stdout("nanosleep(20ms): ok\n  slept at least 20ms: 1")
        .expect_stdout("usleep(15000): ok\n  slept at least 15ms: 1")
        .expect_stdout("sleep(0) returns 0")
        .expect_stdout("clock_nanosleep(MONOTONIC, 20ms): ok\n  slept at least 20ms: 1")
        .expect_stdout("absolute +10ms): ok\n  reached the deadline: 1")
        .expect_stdout("poll(no fds, 12ms): 0\n  waited at least 12ms: 1")
        .expect_stdout("poll(stdin, 60s): 1, POLLIN 1\nthen read 6 bytes")
        .expect_stdout("poll(stdout, fd 55): EBADF (Bad file descriptor)");
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
    memory_zero_pages => Case::new("wat/memory_zero_pages").expect_stdout("0\n0\n1\n1\n1\n3\n1\n0\n1\n");
    memory_maximum => Case::new("wat/memory_maximum").expect_stdout("1\n-1\n1\n-1\n-1\n1\n0\n1\n");
    memory_maximum_near => Case::new("wat/memory_maximum_near")
        .expect_stdout("2\n2\n1\n3\n1\n4\n1\n-1\n5\n-1\n5\n0\n1\n");
    memory_write_past_end => Case::new("wat/memory_write_past_end")
        .expect_trap()
        .expect_stdout("before\n")
        .upgraded_trap(
            "program_wrote_past_its_memory",
            "the write lands on the adapter's region and is caught at the next call into the adapter",
        );
    memory_start_section => Case::new("wat/memory_start_section")
        .expect_stdout("start\n2\n_start\n1\n1\n2\n2\n");

    file_times_fd => Case::new("rust/file_times")
        .args(["fd"])
        .preopen(Preopen::new("/sandbox"))
        .expect_stdout("fd_filestat_set_times 2 s, 3 s: Ok(()) -> atim 2000000000 mtim 3000000000\n")
        .host_gap(jco_gap("preview2-shim's descriptor.set-times passes milliseconds where Node expects seconds")
            .stdout("atim 2000000000 mtim 3000000000\n", "atim 2000000000000 mtim 3000000000000\n"));
    file_times_path => Case::new("rust/file_times")
        .args(["path"])
        .preopen(Preopen::new("/sandbox"))
        .expect_stdout("Ok(()) -> atim 1500000000123456789 mtim 1234567890987654321\n")
        .host_gap(jco_gap("preview2-shim's descriptor.set-times-at keeps microseconds, dropping the nanoseconds")
            .stdout("atim 1500000000123456789 mtim 1234567890987654321\n", "atim 1500000000123456000 mtim 1234567890987654000\n"));

    // Files and directories (issue 3): every fd_* and path_* function on
    // success and on its errors. Each case starts from `fs_tree`.
    fs_raw_files => Case::new("rust/fs_raw_files")
        .preopen(fs_tree("/sandbox"))
        .expect_stdout("missing 0 ro: errno NOENT")
        .expect_stdout("existing TRUNC rw: ok REGULAR_FILE size 0")
        .expect_stdout("existing DIRECTORY ro: errno NOTDIR")
        .expect_stdout("directory DIRECTORY ro: ok DIRECTORY")
        .expect_stdout("existing CREAT|EXCL rw: errno EXIST")
        .expect_stdout("missing CREAT|EXCL rw: ok REGULAR_FILE size 0")
        .expect_stdout("write only: read errno BADF, write ok 1")
        .expect_stdout("open with SYNC: errno NOTSUP")
        .expect_stdout(r#"contents: "start\none\ntwo\nthree\n""#)
        .expect_stdout("link_hello 0 nofollow: errno LOOP")
        .expect_stdout(r#"read into [0,2,0,5,100]: ok 10 -> "ab" "cdefg" "hij""#)
        .expect_stdout(r#"pread [2,0,4] at 3: ok 6 -> "de" "fghi""#)
        .expect_stdout(r#"iovecs.txt: "aX--efghij\x00\x00\x00\x00end""#)
        .expect_stdout("pread back: ok 4194304, fnv1a 0xe540dadbb2cab4a5, expected 0xe540dadbb2cab4a5")
        .expect_stdout("fd_read on a directory: errno BADF")
        .expect_stdout("fd_pread on stdin: errno SPIPE")
        .expect_stdout("seek 5 END: ok 15, tell ok 15, next byte ok 0")
        .expect_stdout("seek -1 SET: errno INVAL")
        .expect_stdout("seek on a directory: errno BADF, tell: errno BADF")
        .expect_stdout("seek on stdin: errno SPIPE")
        .expect_stdout(r#"sized.txt: "0123\x00\x00""#)
        .expect_stdout("set SYNC: errno INVAL, flags now 0")
        .expect_stdout(r#"flags.txt: "BAse\nappended\n""#)
        .expect_stdout("set NONBLOCK on a directory: errno BADF")
        .expect_stdout("set the same rights: errno NOTSUP")
        .expect_stdout("allocate 0+100: errno NOTSUP")
        .expect_stdout("a directory: advise errno BADF, allocate errno BADF, datasync errno BADF, sync errno BADF")
        .expect_stdout("close again: errno BADF");
    // Each kind of call as the first on a fresh fd: the adapter asks the
    // host what `path_open` opened only when a call needs to know.
    fs_raw_files_first_use => Case::new("rust/fs_raw_files")
        .args(["first-use"])
        .preopen(fs_tree("/sandbox"))
        .expect_stdout("directory fdstat: ok (\"DIRECTORY\"")
        .expect_stdout("file close: ok (); then errno BADF");
    fs_raw_files_times => Case::new("rust/fs_raw_files")
        .args(["times"])
        .preopen(fs_tree("/sandbox"))
        .expect_stdout("explicit: ok () -> (1000000005, 2123456789)")
        .expect_stdout("mtim only: ok () -> (1000000005, 3000000000)")
        .expect_stdout("now: ok (), atim advanced true, mtim advanced true")
        .expect_stdout("ATIM|ATIM_NOW: errno INVAL, MTIM|MTIM_NOW: errno INVAL")
        .host_gap(jco_gap("preview2-shim's descriptor.set-times passes milliseconds where Node expects seconds")
            .stdout("(1000000005, 2123456789)", "(1000000004000, 2123456788000)")
            .stdout("mtim only: ok () -> (1000000005, 3000000000)", "mtim only: ok () -> (1000000003999000, 3000000000000)")
            .stdout("no flags: ok () -> (1000000005, 3000000000)", "no flags: ok () -> (1000000003998999000, 3000000000000000)"));
    fs_raw_paths => Case::new("rust/fs_raw_paths")
        .preopen(fs_tree("/sandbox"))
        .preopen(Preopen::new("/other").file("theirs.txt", "theirs\n"))
        .expect_stdout("\"made\": errno EXIST")
        .expect_stdout("\"link_hello\": nofollow ok SYMBOLIC_LINK size 9; follow ok REGULAR_FILE size 13 nlink 1")
        .expect_stdout("\"loop_a\": nofollow ok SYMBOLIC_LINK size 6; follow errno LOOP")
        .expect_stdout("nlink now: ok REGULAR_FILE size 13 nlink 2")
        .expect_stdout("dir -> dir_hard: errno PERM")
        .expect_stdout("link_hello -> hard_followed (follow): errno INVAL")
        .expect_stdout(r#""link_hello" into 4 bytes: ok 4 "hell""#)
        .expect_stdout("\"full_dir\": errno NOTEMPTY")
        .expect_stdout("dir into itself: errno INVAL")
        .expect_stdout("file over dir: errno ISDIR")
        .expect_stdout("full_dir/a.txt -> /other/moved_a.txt: ok ()")
        .expect_stdout("sym_abs -> \"/etc/passwd\": errno PERM")
        .expect_stdout("\"dir\": errno ISDIR")
        .expect_stdout("path_open on a file: errno NOTDIR")
        .expect_stdout("path_create_directory on a file: errno BADF");
    fs_raw_paths_times => Case::new("rust/fs_raw_paths")
        .args(["times"])
        .preopen(fs_tree("/sandbox"))
        .preopen(Preopen::new("/other"))
        .expect_stdout("nofollow on a link: ok () -> target Ok((1500000000000000001, 1234567890123456790)), link Ok((1500000000000000002, 1234567890123456791))")
        .expect_stdout("now: ok (), atim advanced true, mtim advanced true")
        .expect_stdout("no flags: ok (), times kept true")
        .host_gap(jco_gap("preview2-shim's descriptor.set-times-at keeps microseconds, dropping the nanoseconds")
            .stdout("1234567890123456789", "1234567890123456000")
            .stdout("(1500000000000000001, 1234567890123456790)", "(1500000000000000000, 1234567890123456000)")
            .stdout("(1500000000000000002, 1234567890123456791)", "(1500000000000000000, 1234567890123456000)"));
    // The fuzzer's first program on every host; `fuzz_preview1::*` runs many more.
    fuzz_preview1_seed_0 => crate::fuzz_preview1::case(
        0,
        300,
        &[
            crate::fuzz_preview1::FOUND_BY_THE_FUZZER,
            crate::fuzz_preview1::JCO_HOST_GAPS,
            crate::fuzz_preview1::FOUND_ON_JCO,
        ]
        .concat(),
    );
    // A second generated program on every host: under the lane's avoid
    // list this seed met the errno orders fixed after the fuzzer found them
    // (offsets past i64::MAX, `name/` in path_rename).
    fuzz_preview1_seed_4 => crate::fuzz_preview1::case(
        4,
        300,
        &[
            crate::fuzz_preview1::FOUND_BY_THE_FUZZER,
            crate::fuzz_preview1::JCO_HOST_GAPS,
            crate::fuzz_preview1::FOUND_ON_JCO,
        ]
        .concat(),
    );
    // The shapes the fuzzer found answering unlike native, replayed one
    // call at a time (`rust/fuzz_regressions`); `fuzz_preview1::
    // wasmtime_p2_transfer_crossing_i64_max` replays the third.
    fuzz_regression_empty_path => fuzz_regression("empty-path")
        .expect_stdout("path_link(lookup 1, \"\", \"b\"): INVAL\npath_link(lookup 0, \"../x\", \"\"): PERM\n")
        .expect_stdout("path_symlink(\"\", \"a/b\"): NOTDIR\n")
        .expect_stdout("path_rename(\"/abs\", \"\"): PERM\npath_rename(\"a/b\", \"\"): NOTDIR\n");
    fuzz_regression_dots => fuzz_regression("dots")
        .expect_stdout("path_rename(\"..\", \".\"): PERM\npath_rename(\"d/..\", \"..\"): PERM\n")
        .expect_stdout("path_rename(\"gone/..\", \"dl\"): NOENT\n")
        .expect_stdout("path_remove_directory(\"gone/..\"): NOENT\n");
    fs_raw_errors => Case::new("rust/fs_raw_errors")
        .preopen(fs_tree("/sandbox"))
        .expect_stdout("open CREAT|EXCL hello.txt: errno EXIST")
        .expect_stdout("open DIRECTORY hello.txt: errno NOTDIR")
        .expect_stdout("unlink dir: errno ISDIR")
        .expect_stdout("rmdir full_dir: errno NOTEMPTY")
        .expect_stdout("\"../outside\": open errno PERM")
        .expect_stdout("\"link_abs\": open errno LOOP, open follow errno PERM")
        .expect_stdout("loop_a: open errno LOOP, open follow errno LOOP")
        .expect_stdout("link_hello: open errno LOOP, open follow ok")
        .expect_stdout("chain of 50 symlinks: open follow errno LOOP")
        .expect_stdout("300-byte name: open CREAT errno NAMETOOLONG")
        .expect_stdout("a name that is not UTF-8: open CREAT ILSEQ");
    fs_raw_errors_nul_paths => Case::new("rust/fs_raw_errors")
        .args(["nul"])
        .preopen(fs_tree("/sandbox"))
        .expect_stdout(r#""hel\0lo.txt": open errno INVAL, open CREAT errno INVAL, stat errno INVAL, mkdir errno INVAL"#);
    fs_readdir => Case::new("rust/fs_readdir")
        .args([BIG_DIR_ENTRIES.to_string()])
        .preopen((0..BIG_DIR_ENTRIES).fold(fs_tree("/sandbox"), |tree, i| tree.file(format!("big/entry_{i:06}"), "")))
        .expect_stdout("preopen: 16 entries, first two \".\" \"..\"")
        .expect_stdout("  link_dangling SYMBOLIC_LINK\n")
        .expect_stdout("through a 32-byte buffer: same entries true")
        .expect_stdout("d_ino of each file is its filestat ino: true")
        .expect_stdout("24-byte buffer: ok 24, first entry namlen 1 type DIRECTORY")
        .expect_stdout("22 entries; resuming from each cookie lists exactly the rest: true")
        .expect_stdout("the same through a 40-byte buffer: true")
        .expect_stdout("reading from past the end cookie: ok 0")
        .expect_stdout(r#"after: [". DIRECTORY", ".. DIRECTORY", "b.txt REGULAR_FILE", "c.txt REGULAR_FILE", "d DIRECTORY"]"#)
        .expect_stdout("on a file: errno BADF")
        .expect_stdout("small buffer: 130 entries")
        .expect_stdout("large buffer: same entries in the same order true")
        .expect_stdout(format!("listed: {} entries", BIG_DIR_ENTRIES + 2))
        .expect_stdout("every name present: true")
        .expect_stdout("one-entry reads at 2 cookies match the listing: true");
    fs_many_fds => many_fds();
    fs_renumber => Case::new("rust/fs_renumber")
        .preopen(fs_tree("/sandbox"))
        .preopen(Preopen::new("/other").file("theirs.txt", "theirs\n"))
        .stdin("from stdin\n")
        .expect_stdout(r#"the target now reads "hello, world\n""#)
        .expect_stdout("the source: errno BADF")
        .expect_stdout("after a move: position ok 4, APPEND kept true")
        .expect_stdout(r#"reading it gives stdin: Ok("from stdin\n")"#)
        .expect_stdout("fd 2 after the move: errno BADF")
        .expect_stderr("written through the moved stderr\n")
        .expect_stdout("path_open below it: errno NOTDIR")
        .expect_stdout("prestat of the old number: errno BADF")
        .expect_stdout("prestat name at the new number: Ok(\"/sandbox\")");
    // Native preview1 refuses a target that is not open (BADF).
    fs_renumber_to_unopened => Case::new("rust/fs_renumber")
        .args(["unopened"])
        .preopen(fs_tree("/sandbox"))
        .preopen(Preopen::new("/other").file("theirs.txt", "theirs\n"))
        .expect_stdout("renumber onto 100: errno BADF\n  target reads errno BADF\n  source: ok\n")
        .expect_stdout("renumber /other onto 200: errno BADF\n  prestat name at 200: errno BADF\n  prestat at 4: ok\n");
    // Issue 10: where upgraded programs answered differently from native.
    readdir_rewind => Case::new("rust/readdir_rewind")
        .preopen(Preopen::new("/sandbox").dir("empty").file("some/a.txt", "a"))
        .expect_stdout("-- empty directory\nfirst pass: [\".\", \"..\"]\ncreated empty/new.txt\n\
                        second pass from cookie 0: [\".\", \"..\", \"new.txt\"]")
        .expect_stdout("second pass from cookie 0: [\".\", \"..\", \"a.txt\", \"b.txt\"]")
        .expect_stdout("after creating c.txt: [\".\", \"..\", \"a.txt\", \"b.txt\", \"c.txt\"]")
        .expect_stdout("after the unlink: [\".\", \"..\", \"b.txt\", \"c.txt\"]");
    c_save_stdout => Case::new("c/c_save_stdout")
        .preopen(Preopen::new("/sandbox"))
        .expect_stdout("before the redirect\n")
        .expect_stderr("save stdout at 100: errno 8\n")
        .expect_stderr("restore from 100: errno 8\n");
    // Imports neither `path_open` nor `fd_readdir`, so gets the preopens build: every call on
    // stdio, two preopens and a closed fd, before and after renumbering
    // and closing them.
    c_preopen_fds => Case::new("c/c_preopen_fds")
        .preopen(Preopen::new("/a").file("f", "x"))
        .preopen(Preopen::new("/b"))
        .expect_stdout("fd_prestat_dir_name fd 3: errno 0, name \"/a\"\n")
        .expect_stdout("fd_prestat_dir_name fd 4: errno 0, name \"/b\"\n")
        .expect_stdout("path_filestat_get f in fd 3: errno 0, type 4, size 1\n")
        .expect_stdout("path_create_directory: errno 0\npath_remove_directory: errno 0\n")
        .expect_stdout("path_readlink: errno 0, \"f\"\n")
        .expect_stdout("path_rename: errno 0\npath_rename back: errno 0\n")
        .expect_stdout("fd_renumber(4, 3): errno 0\nfd_close(0): errno 0\n")
        .host_gap(stdio_as_terminals([("fd_fdstat_get  fd", ","), ("fd_filestat_get fd", "\n")]));
    preopen_scan => Case::new("rust/preopen_scan")
        .preopen(Preopen::new("/first"))
        .preopen(Preopen::new("/second"))
        .expect_stdout("fd_renumber(1, 10): errno BADF\n")
        .expect_stdout("fd 3: /first\nfd 4: /second\nfd 5: errno BADF\n");
    path_trailing_slash => Case::new("rust/path_trailing_slash")
        .preopen(Preopen::new("/sandbox"))
        .expect_stdout("top_file/: stat nofollow ok \"REGULAR_FILE\", stat follow errno NOTDIR")
        .expect_stdout("-- path_filestat_get nofollow\nfile/: errno NOTDIR\nlink_file/: errno NOTDIR\nlink_dir/: ok \"DIRECTORY\"")
        .expect_stdout("-- path_remove_directory\nfile/: errno NOTDIR\nlink_file/: errno NOTDIR\nlink_dir/: errno INVAL")
        .expect_stdout("-- path_unlink_file\nfile/: errno NOTDIR\nlink_file/: errno NOTDIR\nlink_dir/: errno ISDIR");
    null_pointers => Case::new("wat/null_pointers")
        .stdin("typed\n")
        .preopen(Preopen::new("/sandbox").file("data.txt", "contents"))
        .expect_stdout("written through an iovec at 0\niovec array at 0: errno 0, value 30\n")
        .expect_stdout("buffer at address zero\nbuffer at 0: errno 0\n")
        .expect_stdout("fd_read into 0: errno 0, reads typed\n")
        .expect_stdout("path at 0: errno 0, reads contents\n")
        .expect_stdout("prestat name at 0: errno 0, reads /sandbox\n")
        .expect_stdout("fd_readdir into 0: errno 0, namlen 1, reads .\n");
    // The stdio build never discovers preopens: every function it serves
    // answers for a preopened directory as for an fd that is not open.
    stdio_beside_preopens => Case::new("wat/stdio_beside_preopens")
        .preopen(Preopen::new("/a").file("f", "x"))
        .preopen(Preopen::new("/b"))
        .expect_stdout(stdio_beside_preopens_expected());
    untrusted_counts => Case::new("wat/untrusted_counts")
        .stdin("abcdefgh")
        .expect_stdout("count 2^32-1: errno 48, n 0\ncount 2^29+1 (bytes wrap to 8): errno 48, n 0\n")
        .expect_stdout("short\nlengths overflowing 32 bits: errno 0, n 6\n")
        .expect_stdout("read with lengths overflowing: errno 0, n 4\n, reads abcd\n")
        .expect_stdout("poll_oneoff: errno 48, n 0\npoll_oneoff: errno 48, n 0\npoll_oneoff: errno 48, n 0\n");
    append_two_fds => Case::new("rust/append_writer")
        .args(["two-fds"])
        .preopen(Preopen::new("/sandbox"))
        .expect_stdout("first after round 0: tell ok 8\nsecond after round 0: tell ok 17\n")
        .expect_stdout("after the seek and a write: tell ok 103\npwrite at 3: ok 12, tell ok 85\n");
    fs_std => Case::new("rust/fs_std")
        .preopen(fs_tree("/sandbox"))
        .expect_stdout("read 3 MB back: 3000000 bytes, identical true")
        .expect_stdout(r#"log.txt: ok "first\nsecond\nthird\n""#)
        .expect_stdout("seek End(-3): ok 7 then read \"7\"")
        .expect_stdout("link_dangling: metadata error NotFound (errno 44), symlink_metadata ok \"symlink\"")
        .expect_stdout("create_dir_all again: ok ()")
        .expect_stdout("rename a dir into itself: error InvalidInput (errno 28)")
        .expect_stdout("remove_dir_all a: ok ()")
        .expect_stdout("symlink again: error AlreadyExists (errno 20)")
        .expect_stdout("read_link std_link: ok \"hello.txt\"")
        .expect_stdout("open a symlink loop: error FilesystemLoop (errno 32)")
        .expect_stdout("open outside via ..: error PermissionDenied (errno 63)");
    fs_std_times => Case::new("rust/fs_std")
        .args(["times"])
        .preopen(fs_tree("/sandbox"))
        .expect_stdout("modified: ok 1.123456789s\naccessed: ok 2.123456789s")
        .expect_stdout("modified moved on: true")
        .host_gap(jco_gap("preview2-shim's descriptor.set-times passes milliseconds where Node expects seconds")
            .stdout("modified: ok 1.123456789s\naccessed: ok 2.123456789s", "modified: ok 1123.456789s\naccessed: ok 2123.456788s"));
    bench_file_io => bench("file-io", "2", "file-io: 2097152 bytes");
    bench_small_writes => bench("small-writes", "1000", "small-writes: 32000 bytes");
    bench_readdir => bench("readdir", "100", "readdir: 1000 entries");
    bench_stdout => bench("stdout", "1000", "stdout line 999\n");
    bench_clock => bench("clock", "1000", "clock: 1000 readings");
    bench_grow => bench("grow", "300", "grow: 300 pages, 0 of them not zero");
    bench_filestat => bench("filestat", "100", "filestat: 1600 bytes");
    bench_open_close => bench("open-close", "100", "open-close: 100 times");
    bench_random => bench("random", "100", "random: 3200 bytes");
    bench_stdout_raw => bench("stdout-raw", "3", "sixteen bytes!!\nsixteen bytes!!\nsixteen bytes!!\n");
    bench_list => bench("list", "50", "list: 1000 entries");
    bench_hello => bench("hello", "1", "Hello, world!");
    c_hello => Case::new("c/c_hello").expect_stdout("Hello, world!");
    // Native preview1 traps on enum and flag values out of range (wiggle's
    // conversion fails), and so does the adapter.
    fs_invalid_whence => invalid_arg("whence");
    fs_invalid_advice => invalid_arg("advice");
    fs_invalid_fdflags => invalid_arg("fdflags");
    fs_invalid_fstflags => invalid_arg("fstflags");
    fs_invalid_oflags => invalid_arg("oflags");
    fs_invalid_lookupflags => invalid_arg("lookupflags");
    fs_invalid_rights => invalid_arg("rights");
    fs_invalid_open_fdflags => invalid_arg("open-fdflags");
    // Native preview1 traps on a pointer outside memory or not aligned to
    // its type, and so does the adapter.
    bad_pointer_odd_result => bad_pointer("odd-result");
    bad_pointer_result_outside => bad_pointer("result-outside");
    bad_pointer_u64_result_at_4 => bad_pointer("u64-result-at-4");
    bad_pointer_struct_at_4 => bad_pointer("struct-at-4");
    bad_pointer_iovecs_outside => bad_pointer("iovecs-outside");
    bad_pointer_odd_iovecs => bad_pointer("odd-iovecs");
    bad_pointer_buffer_outside => bad_pointer("buffer-outside");
    bad_pointer_odd_written_count => bad_pointer("odd-written-count");
    bad_pointer_written_count_outside => bad_pointer("written-count-outside");
    bad_pointer_path_outside => bad_pointer("path-outside");
    bad_pointer_subscriptions_outside => bad_pointer("subscriptions-outside");
    c_stdio => Case::new("c/c_stdio")
        .preopen(fs_tree("/sandbox"))
        .expect_stdout("fscanf after ungetc: Jello")
        .expect_stdout("fseek -100 SET: EINVAL (Invalid argument)")
        .expect_stdout(r#"out.txt after r+: 35 bytes "FORMATTED 42 3.50\nfputs line\n!\nend\n""#)
        .expect_stdout("a+ reads from the start: one")
        .expect_stdout(r#"log.txt: 14 bytes "one\ntwo\nthree\n""#)
        .expect_stdout("wrote 2097155, read 2097155, identical 1")
        .expect_stdout("a symlink loop: ELOOP (Symbolic link loop)")
        .expect_stdout("outside via ..: EPERM (Operation not permitted)")
        .expect_stdout("rename a dir into itself: EINVAL (Invalid argument)")
        .expect_stdout("remove a non-empty dir: ENOTEMPTY (Directory not empty)");
    c_dirent => Case::new("c/c_dirent")
        .preopen(fs_tree("/sandbox"))
        .expect_stdout("/sandbox: 15 entries: [. dir] [.. dir] [digits.txt file] [dir dir]")
        .expect_stdout("a symlink loop: ELOOP (Symbolic link loop)")
        .expect_stdout("seekdir to the third entry gives it again: 1")
        .expect_stdout("scandir dir: . .. link_inside nested.txt sub (5)")
        .expect_stdout("rmdir full_dir: ENOTEMPTY (Directory not empty)")
        .expect_stdout("302 entries, first [. dir], last [entry_with_a_longer_name_299 file]");
    c_unistd => Case::new("c/c_unistd")
        .preopen(fs_tree("/sandbox"))
        .stdin("from stdin\n")
        .expect_stdout("O_NOFOLLOW on a symlink: ELOOP (Symbolic link loop)")
        .expect_stdout("outside via an absolute symlink: EPERM (Operation not permitted)")
        .expect_stdout("pread 4 at 5: 4 \"5678\"")
        .expect_stdout("lstat link_hello: link size 9 nlink 1")
        .expect_stdout("posix_fallocate: ENOTSUP (Not supported)")
        .expect_stdout("readlink into 3 bytes: 3 \"hel\"")
        .expect_stdout("unlinkat AT_REMOVEDIR on a non-empty dir: ENOTEMPTY (Directory not empty)")
        .expect_stdout("it reads stdin: \"from st\"");
    c_unistd_times => Case::new("c/c_unistd")
        .args(["times"])
        .preopen(fs_tree("/sandbox"))
        .expect_stdout("times now 1.000000005 2.123456789")
        .expect_stdout("atime kept 1, mtime moved on 1")
        .host_gap(jco_gap("preview2-shim's descriptor.set-times passes milliseconds where Node expects seconds")
            .stdout("times now 1.000000005 2.123456789", "times now 1000.000004000 2123.456788000")
            .stdout("atime kept 1", "atime kept 0"));

    // Zig's own standard library (std.Io, no libc).
    zig_process => Case::new("zig/zig_process")
        .args(["3", "with space", "ünïcödé ✓"])
        .env([("ZIG_PROBE", "found"), ("EMPTY", ""), ("KEY", "a=b")])
        .expect_exit(3)
        .expect_stdout("argc 4\n")
        .expect_stdout("arg 3: \"ünïcödé ✓\"")
        .expect_stdout("env KEY=\"a=b\"")
        .expect_stdout("lookup ZIG_PROBE: found")
        .expect_stdout("exiting with 3")
        .expect_stderr("to stderr from zig\n");
    zig_process_exit_0 => Case::new("zig/zig_process").expect_exit(0).expect_stdout("env count 0\nlookup ZIG_PROBE: (unset)");
    zig_fs => Case::new("zig/zig_fs")
        .preopen(zig_tree("/sandbox"))
        .expect_stdout("before: 10 entries")
        .expect_stdout("hello.txt: 13 bytes \"hello, world\"")
        .expect_stdout("missing.txt: FileNotFound")
        .expect_stdout("lines.txt: 8890 bytes, 1000 lines, last \"line 999\"")
        .expect_stdout("deleteDir full_dir: DirNotEmpty")
        .expect_stdout("  made/deeper/out.txt file");
    zig_alloc => Case::new("zig/zig_alloc")
        .expect_stdout("round 7: ")
        .expect_stdout("contents intact true")
        .expect_stdout("map: 100000 entries, 77777 -> \"value 77777\"")
        .expect_stdout("live blocks intact true")
        .expect_stdout("memory grew beyond 100 MiB: true");

    // C++ through `zig c++` (libc++ without exceptions).
    cpp_streams => Case::new("cpp/cpp_streams")
        .args(["7", "two words"])
        .env([("CPP_PROBE", "found"), ("OTHER", "x=y")])
        .expect_exit(7)
        .expect_stdout("static constructors ran: first second; table has 3 entries, two -> 2")
        .expect_stdout("arg 2: \"two words\"")
        .expect_stdout("getenv CPP_PROBE: found")
        .expect_stdout("formatted: ******42|ff|3.142")
        .expect_stdout("words: 9 distinct, \"the\" 3 times")
        .expect_stdout("big string: 488890 chars, ends 99999")
        .expect_stdout("exiting with 7")
        .expect_stderr("to std::cerr\nto std::clog\n");
    cpp_files => Case::new("cpp/cpp_files")
        .preopen(fs_tree("/sandbox"))
        .expect_stdout("hello.txt: hello, world\n")
        .expect_stdout("missing.txt: /sandbox/missing.txt: No such file or directory")
        .expect_stdout("mkdir out again: File exists")
        .expect_stdout("numbers.txt: 40374 bytes, 5000 lines")
        .expect_stdout("rmdir full_dir: Directory not empty")
        .expect_stdout("stat loop_a: Symbolic link loop")
        .expect_stdout("stat link_hello: file 13")
        .expect_stdout("  out/digits.txt file 10");
    cpp_capture_stdout => Case::new("cpp/cpp_capture_stdout")
        .preopen(Preopen::new("/sandbox"))
        .expect_stdout("after child 2, it wrote:\nchild step 2 through std::cout\nchild step 2 through printf\n")
        .expect_stdout("renumber stdout onto unused fd 100: EBADF")
        .expect_stdout("restore stdout: ok")
        .expect_stdout("stdout is the terminal stream again")
        .expect_stderr("child step 2 on stderr, not captured");

    // AssemblyScript with @assemblyscript/wasi-shim: modules that declare
    // `(memory 0)` and grow from their allocator.
    as_process => Case::new("assemblyscript/as_process")
        .args(["5", "with space", "ünïcödé ✓"])
        .env([("AS_PROBE", "found"), ("EMPTY", ""), ("KEY", "a=b")])
        .expect_exit(5)
        .expect_stdout("argc 4\n")
        .expect_stdout("arg 3: \"ünïcödé ✓\"")
        .expect_stdout("env KEY=\"a=b\"")
        .expect_stdout("AS_PROBE set: true")
        .expect_stdout("written with process.stdout.write\n")
        .expect_stdout("exiting with 5")
        .expect_stderr("to stderr from AssemblyScript\n");
    as_process_exit_0 => Case::new("assemblyscript/as_process")
        .expect_stdout("env count 0\nAS_PROBE set: false");
    as_files => Case::new("assemblyscript/as_files")
        .preopen(fs_tree("/sandbox"))
        .expect_stdout("/sandbox is fd 3")
        .expect_stdout("hello.txt: \"hello, world\n\"")
        .expect_stdout("missing.txt: errno 44")
        .expect_stdout("create over a directory: errno 31")
        .expect_stdout("wrote 4390 bytes")
        .expect_stdout("read back 4390 chars, ends \"line 499\n\"");
    as_grow => Case::new("assemblyscript/as_grow")
        .expect_stdout("kept 67 blocks, intact true")
        .expect_stdout("memory grew to at least 16 MiB: true");

    // WASI snapshot 0 (`wasi_unstable`), mixed with preview1's path_open.
    unstable => Case::new("wat/unstable")
        .preopen(fs_tree("/sandbox"))
        .expect_stdout("seek SET 3: errno 0 pos 3 byte 3\n")
        .expect_stdout("seek END -2: errno 0 pos 8 byte 8\n")
        .expect_stdout("seek CUR -1: errno 0 pos 8 byte 8\n")
        .expect_stdout("fd_filestat_get: errno 0 filetype 4 nlink 1 size 10 canary 1\n")
        .expect_stdout("path_filestat_get hello.txt: errno 0 filetype 4 nlink 1 size 13\n")
        .expect_stdout("path_filestat_get dir: errno 0 filetype 3\n")
        .expect_stdout("at the end of memory: errno 0 filetype 4 nlink 1 size 10 canary 1\n")
        // `.`, `..`, `sub`, `nested.txt` and the symlink `link_inside`.
        .expect_stdout("fd_readdir dir: errno 0 entries 5 directories 3 files 1 name bytes 27\n")
        .expect_stdout("poll one clock: errno 0 events 1 userdata 66 type 0 error 0\n")
        // Wasmtime's snapshot 0 poll_oneoff rewrites the subscriptions in
        // place in preview1's layout but at snapshot 0's 56-byte stride, then
        // reads them at preview1's 48-byte stride: with more than one, it
        // sees garbage (EINVAL here) and, failing, leaves them rewritten.
        .expect_stdout("poll clock, stdout, clock: errno 28 events 1 userdata 66 type 0 error 0\nsubscriptions unchanged 0\n")
        .expect_stdout("done\n")
        .upgraded_stdout(
            "poll clock, stdout, clock: errno 28 events 1 userdata 66 type 0 error 0\nsubscriptions unchanged 0\n",
            "poll clock, stdout, clock: errno 0 events 1 userdata 8 type 2 error 0\nsubscriptions unchanged 1\n",
        );
}

fn exit(program: &'static str, code: i32) -> Case {
    Case::new(program)
        .args([code.to_string()])
        .expect_exit(code)
        .expect_stdout(format!("exiting with {code}"))
}

/// Native preview1 refuses to exit with 126 or more, by trapping; so does
/// the adapter.
fn exit_above_125(program: &'static str, code: i32) -> Case {
    Case::new(program)
        .args([code.to_string()])
        .expect_trap()
        .expect_stdout(format!("exiting with {code}"))
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

/// The tree every file-system case starts from: files, nested and empty
/// directories, and symlinks that resolve, dangle, loop or leave the
/// preopen (absolutely and through `..`).
pub(crate) fn fs_tree(guest_path: &str) -> Preopen {
    Preopen::new(guest_path)
        .file("hello.txt", "hello, world\n")
        .file("digits.txt", "0123456789")
        .file("empty.txt", "")
        .file("dir/nested.txt", "nested\n")
        .file("dir/sub/deep.txt", "deep\n")
        .file("full_dir/a.txt", "a")
        .file("full_dir/b.txt", "b")
        .dir("empty_dir")
        .symlink("link_hello", "hello.txt")
        .symlink("link_dir", "dir")
        .symlink("link_dangling", "missing.txt")
        .symlink("loop_a", "loop_b")
        .symlink("loop_b", "loop_a")
        .symlink("link_abs", "/etc")
        .symlink("link_up", "../outside")
        .symlink("dir/link_inside", "../hello.txt")
}

/// A small tree for the Zig programs, without symlinks (std.Io's walker
/// follows none, and their kinds are all the programs print).
fn zig_tree(guest_path: &str) -> Preopen {
    Preopen::new(guest_path)
        .file("hello.txt", "hello, world\n")
        .file("digits.txt", "0123456789")
        .file("dir/nested.txt", "nested\n")
        .file("dir/sub/deep.txt", "deep\n")
        .file("full_dir/a.txt", "a")
        .file("full_dir/b.txt", "b")
        .dir("empty_dir")
}

/// Entries of the big directory `fs_readdir` lists. Native preview1 lists and
/// stats the whole directory on every fd_readdir call (about 50 µs an entry
/// on a busy machine), so 100,000 would take it seconds per call.
const BIG_DIR_ENTRIES: usize = 20_000;

/// 10,000 files open at once. Native preview1 and the upgraded program on
/// Wasmtime hold each of them as a file of this process (jco's Node.js
/// inherits its limit), so the open-file limit is raised first; a hard limit
/// too low to raise it fails the case instead of testing fewer.
fn many_fds() -> Case {
    const COUNT: usize = 10_000;
    // This process's own descriptors and other tests' running beside it.
    const MARGIN: u64 = 1_000;
    raise_open_files_limit(COUNT as u64 + MARGIN);
    Case::new("rust/fs_many_fds")
        .args([COUNT.to_string()])
        .preopen(Preopen::new("/sandbox"))
        .expect_stdout(format!("open at once: {COUNT}\n"))
        .expect_stdout(format!(
            "distinct descriptors: {COUNT}, any reuses stdio or the preopen: false"
        ))
        .expect_stdout("every file reads back through its own descriptor: true")
        .expect_stdout("fd_fdstat_get works on all: true")
        .expect_stdout(format!("closed: {COUNT}\nstill usable after closing: 0"))
        .expect_stdout("open after closing all: ok")
}

/// Raises this process's soft `RLIMIT_NOFILE` to its hard limit, and panics
/// unless that allows `needed` open files.
fn raise_open_files_limit(needed: u64) {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `limit` is a valid, writable `rlimit` for getrlimit to fill.
    let got = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) };
    assert_eq!(
        got,
        0,
        "getrlimit(RLIMIT_NOFILE): {}",
        std::io::Error::last_os_error()
    );
    if limit.rlim_cur < limit.rlim_max {
        let raised = libc::rlimit {
            rlim_cur: limit.rlim_max,
            rlim_max: limit.rlim_max,
        };
        // SAFETY: `raised` is a valid `rlimit`; only the soft limit changes.
        let set = unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) };
        assert_eq!(
            set,
            0,
            "setrlimit(RLIMIT_NOFILE) to the hard limit {}: {}",
            limit.rlim_max,
            std::io::Error::last_os_error()
        );
        limit = raised;
    }
    assert!(
        limit.rlim_cur >= needed,
        "this case needs {needed} open files, but this process's hard limit is {} \
         (raise it: `ulimit -Hn {needed}` as root, or LimitNOFILE= for a service)",
        limit.rlim_max
    );
}

/// One out-of-range enum or flag value (see `fs_invalid_args`).
/// A benchmark workload, small enough to check it against the oracle.
fn bench(workload: &str, count: &str, summary: &str) -> Case {
    Case::new("rust/bench")
        .args([workload, count])
        .preopen(Preopen::new("/bench"))
        .expect_stdout(summary)
}

/// Native preview1 traps on an out-of-range enum or flag value, and so
/// does the adapter, in the same function for the same reason.
fn invalid_arg(scenario: &str) -> Case {
    Case::new("rust/fs_invalid_args")
        .args([scenario])
        .preopen(fs_tree("/sandbox"))
        .expect_trap()
        .expect_stdout(format!("calling with an invalid {scenario}\n"))
}

/// One scenario of `rust/fuzz_regressions`, on the fuzzer's scratch tree.
pub(crate) fn fuzz_regression(scenario: &str) -> Case {
    Case::new("rust/fuzz_regressions")
        .args([scenario])
        .preopen(crate::fuzz_preview1::scratch_tree())
}

/// One call with a bad pointer (see `rust/bad_pointers`).
fn bad_pointer(scenario: &str) -> Case {
    Case::new("rust/bad_pointers")
        .args([scenario])
        .preopen(Preopen::new("/sandbox"))
        .expect_trap()
        .expect_stdout(format!("calling with {scenario}\n"))
}

/// Servers, which no host runs natively, so they have no oracle: their
/// client checks them in `sockets.rs`.
const SERVERS: &[&str] = &[
    "rust/echo_server",
    "rust/listener_env",
    "c/c_echo_server",
    "go/echo_server",
];

/// Each program the build produced is exercised by at least one case.
#[test]
fn every_program_has_a_case() {
    let used: Vec<&str> = cases::ALL.iter().map(|(_, case)| case().program).collect();
    let unused: Vec<&str> = Program::all()
        .map(|p| p.name())
        .filter(|name| !used.contains(name) && !SERVERS.contains(name))
        .collect();
    assert!(
        unused.is_empty(),
        "programs without a case in tests/suite/corpus.rs: {unused:?}"
    );
}

/// A difference on jco that only a fix in its preview2-shim can close; each
/// is listed in tests/README.md ("jco host gaps").
fn jco_gap(reason: &'static str) -> wasi_upgrade_tests::HostGap {
    wasi_upgrade_tests::HostGap::new(wasi_upgrade_tests::Jco::NAME, reason)
}

/// The jco gap of stdio's file type (CHARACTER_DEVICE, 2, where native
/// says UNKNOWN, 0) in lines `{label} {fd}: errno 0, type 0{after}` that
/// report on fds 0-2, for each `(label, after)` of `lines`.
fn stdio_as_terminals<const N: usize>(lines: [(&str, &str); N]) -> wasi_upgrade_tests::HostGap {
    let gap = jco_gap(
        "preview2-shim's terminal-stdin/-stdout/-stderr report a terminal even for files and pipes",
    );
    lines
        .into_iter()
        .flat_map(|(label, after)| {
            (0..3).map(move |fd| (format!("{label} {fd}: errno 0, type"), after))
        })
        .fold(gap, |gap, (line, after)| {
            gap.stdout(format!("{line} 0{after}"), format!("{line} 2{after}"))
        })
}

/// `wat/stdio_beside_preopens`: `EBADF` from every function on fds 3, 4
/// (preopens) and 5 (not open), as native answers.
fn stdio_beside_preopens_expected() -> String {
    let names = [
        "fd_write",
        "fd_read",
        "fd_pread",
        "fd_pwrite",
        "fd_seek",
        "fd_tell",
        "fd_fdstat_set_flags",
        "fd_advise",
        "fd_allocate",
        "fd_datasync",
        "fd_sync",
        "fd_filestat_set_size",
        "poll_oneoff read",
        "poll_oneoff write",
    ];
    (3..=5)
        .flat_map(|fd| names.map(|name| format!("{name:<20}fd {fd}: errno 08\n")))
        .collect()
}
