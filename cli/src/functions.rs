//! What the adapter does for each `wasi_snapshot_preview1` function: the data
//! behind the README's "Supported preview1 functions" table (a test renders
//! the table from it and compares) and behind `inspect`.

/// One row of the table: functions that share their notes.
///
/// ```
/// // A table of every function and what it does on WASI 0.2.
/// for row in wasi_upgrade::PREVIEW1_FUNCTIONS {
///     let names: Vec<String> = row.names.iter().map(|name| format!("`{name}`")).collect();
///     println!("| {} | {} |", names.join(", "), row.notes);
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct FunctionRow {
    /// The preview1 function names, as the module imports them.
    pub names: &'static [&'static str],
    /// How the function behaves on WASI 0.2 where that is worth knowing, in
    /// Markdown; **Differs:** marks every behaviour that differs from
    /// Wasmtime's native preview1, with the test that pins it. Empty when
    /// the function simply behaves as native.
    pub notes: &'static str,
}

impl FunctionRow {
    /// The row that describes `name`, if it is a preview1 function.
    ///
    /// ```
    /// let row = wasi_upgrade::FunctionRow::of("fd_write").unwrap();
    /// assert!(row.names.contains(&"fd_write"));
    /// assert!(wasi_upgrade::FunctionRow::of("not_a_function").is_none());
    /// ```
    pub fn of(name: &str) -> Option<&'static FunctionRow> {
        PREVIEW1_FUNCTIONS
            .iter()
            .find(|row| row.names.contains(&name))
    }
}

/// Every one of the 46 preview1 functions, in the README's order. All are
/// implemented; they trap only where native preview1 does, and `proc_exit`
/// in a proxy.
///
/// ```
/// let names = wasi_upgrade::PREVIEW1_FUNCTIONS.iter().flat_map(|row| row.names.iter());
/// assert_eq!(names.count(), 46);
/// ```
pub const PREVIEW1_FUNCTIONS: &[FunctionRow] = &[
    FunctionRow {
        names: &["args_get", "args_sizes_get"],
        notes: "No limit on count or size (tested with 1,000 arguments and 1 MB).",
    },
    FunctionRow {
        names: &["environ_get", "environ_sizes_get"],
        notes: "No limit (tested with 10,000 variables and 1 MB).",
    },
    FunctionRow {
        names: &["clock_res_get", "clock_time_get"],
        notes: "Resolutions are the host's. The process and thread CPU-time clocks answer `EBADF`, as native (test `process`); an unknown clock id traps, as native.",
    },
    FunctionRow {
        names: &["fd_advise"],
        notes: "",
    },
    FunctionRow {
        names: &["fd_allocate"],
        notes: "WASI 0.2 cannot preallocate: `ENOTSUP` on files, as native.",
    },
    FunctionRow {
        names: &["fd_close"],
        notes: "",
    },
    FunctionRow {
        names: &["fd_datasync", "fd_sync"],
        notes: "",
    },
    FunctionRow {
        names: &["fd_fdstat_get"],
        notes: "Stdio is `CHARACTER_DEVICE` on a terminal, else `UNKNOWN`, as native. Sockets are `SOCKET_STREAM`, with `NONBLOCK` when set.",
    },
    FunctionRow {
        names: &["fd_fdstat_set_flags"],
        notes: "`APPEND` and `NONBLOCK` on files; sync flags `EINVAL`; stdio and directories `EBADF` (all as native). `NONBLOCK` on sockets.",
    },
    FunctionRow {
        names: &["fd_fdstat_set_rights"],
        notes: "Rights cannot change on WASI 0.2: `ENOTSUP`, as native.",
    },
    FunctionRow {
        names: &[
            "fd_filestat_get",
            "fd_filestat_set_size",
            "fd_filestat_set_times",
        ],
        notes: "Inode numbers are the host's metadata hash, as native.",
    },
    FunctionRow {
        names: &["fd_pread", "fd_pwrite", "fd_read", "fd_write"],
        notes: "Every iovec in one host call (native fills only the first one; programs see the same bytes), except that the stdio and preopens builds (README, \"Sizes\") send a write of more than 4 KiB to stdout or stderr as 4 KiB calls. Iovec counts and lengths are checked before they size anything: as native, an iovec array (and its first buffer) beyond the 128 MiB native copies per call answers `ENOMEM` (a count near 2^32); the iovecs used are those up to the first one that is not in memory or would pass that budget, so lengths that overflow 32 bits give a shorter transfer, never a wrapped size (test `untrusted_counts`). Where the iovecs together would pass `i64::MAX` and native's first one would not, only that one is used, so the host answers as native's does (test `fuzz_preview1::wasmtime_p2_transfer_crossing_i64_max`). Append mode writes through the host's append stream, one host append per write, so writers appending to the same file at once lose nothing (`O_APPEND` on Wasmtime; test `concurrent_appends`); the position afterwards is the file's size, and `fd_pwrite` on an append-mode file writes at the end, as native does. `fd_read`/`fd_write` work on accepted connections (`ENOTCONN` on a listener).",
    },
    FunctionRow {
        names: &["fd_prestat_get", "fd_prestat_dir_name"],
        notes: "",
    },
    FunctionRow {
        names: &["fd_readdir"],
        notes: "Resumes from the last cookie without re-listing; `.` and `..` included. A read from cookie 0 or 1 starts a new pass (as after `rewinddir`) and sees the directory as it is now (test `readdir_rewind`). 100,000 entries through a 128-byte buffer are checked without the oracle, which needs hours for that (test `beyond_the_oracle`).",
    },
    FunctionRow {
        names: &["fd_renumber"],
        notes: "Both fds must be open, as native: a target that is not open answers `EBADF` (tests `fs_renumber_to_unopened`, and `c_save_stdout`, a program that \"saves\" stdout that way). Moving or closing stdio first never shifts the preopens from 3, 4, … (test `preopen_scan`).",
    },
    FunctionRow {
        names: &["fd_seek", "fd_tell"],
        notes: "",
    },
    FunctionRow {
        names: &[
            "path_create_directory",
            "path_filestat_get",
            "path_filestat_set_times",
            "path_link",
            "path_open",
            "path_readlink",
            "path_remove_directory",
            "path_rename",
            "path_symlink",
            "path_unlink_file",
        ],
        notes: "A path with a NUL byte answers `EINVAL` in the adapter (native's host does the same), so no host ever sees one. A path ending in `/` or `/.` gets native's answer on every host: its name must resolve to a directory first (so `path_remove_directory(\"file/\")` is `ENOTDIR`), then each function answers as native does for that directory (test `path_trailing_slash`, every function on files, symlinks, missing names and directories). As native's host, the adapter refuses `path_open`'s sync fdflags (`ENOTSUP`) and `DIRECTORY` with `CREAT`, `EXCL` or `TRUNC` (`EINVAL`) before looking at the path, and `path_symlink` of an absolute target (`EPERM`); a file `path_open` creates or truncates is writable without the `FD_WRITE` right, as natively (the fuzzer, `fuzz_preview1::*`). An empty path, or one ending in `.` or `..`, fails where native's host resolution fails: what native checks first (`path_link`'s `SYMLINK_FOLLOW`, the first path, the directories of both paths) answers first, and `name/..` needs `name` to be a directory (tests `fuzz_regression_empty_path`, `fuzz_regression_dots`).",
    },
    FunctionRow {
        names: &["poll_oneoff"],
        notes: "Any mix of monotonic and realtime clocks (relative and absolute), stdin, stdout/stderr, files and sockets (a listener is readable when a connection waits; a connection's write event carries the room in its stream). As native, the first subscription that cannot be polled fails the whole call: `EBADF` for an fd not open or not pollable that way, `EINVAL` for a CPU-time clock or an unknown clock, flag or event type; a file's events say `nbytes` 1 (`HANGUP` at its end) (tests `poll_fds`, `c_sleep`). The events reported are those ready at the first of native's looks that finds any, the same on every run: files and streams ready at once; else clocks already expired; else whatever the host's poll finds first. **Differs** only where native's own answer changes from run to run: a file read beside something else ready races with native's look (its read runs on a blocking thread), so native reports it on some runs and not on others; the adapter always reports it, one of native's answers (test `poll_oneoff_mixed_readiness_answers_the_same_every_run`; measurements in `tests/README.md`). No subscriptions: `EINVAL`, as native; more than fit native's 128 MiB per-call budget (about 1.6 million): `ENOMEM`, as native, before the count sizes anything (test `untrusted_counts`).",
    },
    FunctionRow {
        names: &["proc_exit"],
        notes: "The exact code via `exit-with-code`; a status of 126 or more traps, as native (tests `exit_std_255`, `exit_raw_255`). Below `--wasi-version 0.2.12`, nonzero codes become 1; in a proxy it traps (see above).",
    },
    FunctionRow {
        names: &["proc_raise"],
        notes: "WASI 0.2 has no signals: `ENOTSUP`, as native.",
    },
    FunctionRow {
        names: &["random_get"],
        notes: "Written straight into the program's buffer.",
    },
    FunctionRow {
        names: &["sched_yield"],
        notes: "",
    },
    FunctionRow {
        names: &["sock_accept", "sock_recv", "sock_send", "sock_shutdown"],
        notes: "Over `wasi:sockets` TCP, on listeners from `WASI_UPGRADE_TCPLISTEN` (see \"Serving on sockets\") and the connections accepted from them. `sock_recv` with `RECV_WAITALL` waits for the whole buffer; `RECV_PEEK` answers `ENOTSUP` (a stream cannot give bytes back). Not a socket: `ENOTSOCK`; a listener where a connection is needed: `ENOTCONN`. Checked by a real client, not against native (test `sockets`).",
    },
];
