//! The `wasi_snapshot_preview1` functions with their core wasm signatures, as
//! every preview1 module imports them (from the witx definitions: pointers,
//! sizes, fds, enums and flags are `i32`; 64-bit integers are `i64`).

use wasmparser::ValType::{self, I32, I64};

/// One preview1 function: its name, parameter types and result types.
pub struct Signature {
    pub name: &'static str,
    pub params: &'static [ValType],
    pub results: &'static [ValType],
}

const fn f(
    name: &'static str,
    params: &'static [ValType],
    results: &'static [ValType],
) -> Signature {
    Signature {
        name,
        params,
        results,
    }
}

/// All 46 functions, in the order of the witx document.
pub const FUNCTIONS: [Signature; 46] = [
    f("args_get", &[I32, I32], &[I32]),
    f("args_sizes_get", &[I32, I32], &[I32]),
    f("environ_get", &[I32, I32], &[I32]),
    f("environ_sizes_get", &[I32, I32], &[I32]),
    f("clock_res_get", &[I32, I32], &[I32]),
    f("clock_time_get", &[I32, I64, I32], &[I32]),
    f("fd_advise", &[I32, I64, I64, I32], &[I32]),
    f("fd_allocate", &[I32, I64, I64], &[I32]),
    f("fd_close", &[I32], &[I32]),
    f("fd_datasync", &[I32], &[I32]),
    f("fd_fdstat_get", &[I32, I32], &[I32]),
    f("fd_fdstat_set_flags", &[I32, I32], &[I32]),
    f("fd_fdstat_set_rights", &[I32, I64, I64], &[I32]),
    f("fd_filestat_get", &[I32, I32], &[I32]),
    f("fd_filestat_set_size", &[I32, I64], &[I32]),
    f("fd_filestat_set_times", &[I32, I64, I64, I32], &[I32]),
    f("fd_pread", &[I32, I32, I32, I64, I32], &[I32]),
    f("fd_prestat_get", &[I32, I32], &[I32]),
    f("fd_prestat_dir_name", &[I32, I32, I32], &[I32]),
    f("fd_pwrite", &[I32, I32, I32, I64, I32], &[I32]),
    f("fd_read", &[I32, I32, I32, I32], &[I32]),
    f("fd_readdir", &[I32, I32, I32, I64, I32], &[I32]),
    f("fd_renumber", &[I32, I32], &[I32]),
    f("fd_seek", &[I32, I64, I32, I32], &[I32]),
    f("fd_sync", &[I32], &[I32]),
    f("fd_tell", &[I32, I32], &[I32]),
    f("fd_write", &[I32, I32, I32, I32], &[I32]),
    f("path_create_directory", &[I32, I32, I32], &[I32]),
    f("path_filestat_get", &[I32, I32, I32, I32, I32], &[I32]),
    f(
        "path_filestat_set_times",
        &[I32, I32, I32, I32, I64, I64, I32],
        &[I32],
    ),
    f("path_link", &[I32, I32, I32, I32, I32, I32, I32], &[I32]),
    f(
        "path_open",
        &[I32, I32, I32, I32, I32, I64, I64, I32, I32],
        &[I32],
    ),
    f("path_readlink", &[I32, I32, I32, I32, I32, I32], &[I32]),
    f("path_remove_directory", &[I32, I32, I32], &[I32]),
    f("path_rename", &[I32, I32, I32, I32, I32, I32], &[I32]),
    f("path_symlink", &[I32, I32, I32, I32, I32], &[I32]),
    f("path_unlink_file", &[I32, I32, I32], &[I32]),
    f("poll_oneoff", &[I32, I32, I32, I32], &[I32]),
    f("proc_exit", &[I32], &[]),
    f("proc_raise", &[I32], &[I32]),
    f("sched_yield", &[], &[I32]),
    f("random_get", &[I32, I32], &[I32]),
    f("sock_accept", &[I32, I32, I32], &[I32]),
    f("sock_recv", &[I32, I32, I32, I32, I32, I32], &[I32]),
    f("sock_send", &[I32, I32, I32, I32, I32], &[I32]),
    f("sock_shutdown", &[I32, I32], &[I32]),
];
