//! The wasi-upgrade adapter: every `wasi_snapshot_preview1` function,
//! implemented on WASI 0.2 imports, as a core module that `wit-component`
//! splices next to a legacy program.
//!
//! # Where the adapter's state and stack live
//!
//! The adapter has no memory of its own: wit-component requires it to share
//! the program's, and the program believes it owns all of it. Two kinds of
//! program make that belief dangerous. Go's runtime records the memory size
//! once and hands out addresses from its own counter, using `memory.grow`
//! only to learn whether growth failed, so any page the adapter grows is
//! later handed out by Go as heap. Greedy allocators (older wasi-libc
//! dlmalloc, hand-written bump allocators) claim everything from their heap
//! base to `memory.size` at the first `malloc`, so any page the adapter grew
//! before that is claimed too.
//!
//! The adapter therefore keeps a *region at the top of memory* and hides it:
//!
//! * The region is created by the first call into any adapter export: one
//!   `memory.grow`, with the base kept in a wasm global (not in memory, and
//!   not derived from the stack pointer). Its first page holds a header
//!   (bytes kept zero, and the arena's marks), the state, the shadow stack
//!   and the start of the arena, which grows on demand
//!   (`region_layout.rs`). A memory of zero pages keeps one spare page below
//!   it, so the base is never 0, which means "no region yet".
//! * `wasi-upgrade` rewrites the program's `memory.size` and `memory.grow`
//!   instructions into calls to two adapter exports, and moves the memory's
//!   declared maximum into every grow call. The program sees its own pages
//!   only, kept in a second global. Between them and the region lie spare
//!   pages, all zero: a grow hands them out without moving anything. When
//!   the program grows past them, the region moves up, leaving an eighth of
//!   the program's size (at least 16 pages) spare behind it; only the
//!   region's live part moves (never the scratch of a past call), the pages
//!   it dirtied below its new base are zeroed, and its base and stack
//!   pointer shift. The program's growth lands exactly where its own
//!   bookkeeping expects, `memory.size` never reports the region, so greedy
//!   allocators stop below it, and growing page by page costs one move per
//!   many grows.
//! * A program that writes past its end lands on the first bytes after it,
//!   spare or the region's own, which must be zero; every entry checks them
//!   and traps in a function named for it. Each trap of the adapter's own has such a
//!   function (`traps.rs`), so the host's backtrace says why.
//! * Because the region moves, state holds offsets from the base, never
//!   absolute pointers, and nothing adapter-side is live while the program
//!   runs: the adapter calls into the program only from `run`, whose frame
//!   holds nothing.
//!
//! The wasm that creates and moves the region (and the stack pointer setup,
//! which Rust cannot express) is synthesised at build time by the finishing
//! step (`adapter-build/`); `region_layout.rs` is the contract between them.
//!
//! Rejected alternatives, each measured against Go and a greedy allocator:
//! growing pages lazily at the first WASI call, or eagerly before `_start`
//! (both land inside the program's heap); borrowing the program's
//! `cabi_realloc` (Go and most old binaries export none, and it re-enters the
//! program); moving `__heap_base` (it is an inlined constant in linked
//! binaries); shifting every memory access of the program (+8-11% code,
//! every pointer crossing into the adapter must be translated, and DWARF
//! breaks); and a second memory (wit-component rejects it and Node 20 cannot
//! run it). Shared memory is out of scope: the region cannot move under
//! other threads.
//!
//! # Layout of this crate
//!
//! Three layers, each using only its own and the ones below it (a test,
//! `adapter-build/tests/adapter_layers.rs`, reads the `use` paths and fails
//! on a cycle or an arrow pointing up):
//!
//! * **preview1 areas**, one module per group of functions: `args_env`,
//!   `clocks`, `files`, `directories`, `readdir`, `poll`, `random`,
//!   `sockets` (with `sockets::listener`, the listener build's set-up) and
//!   `exit` (also `wasi:cli/run`).
//! * **shared machinery**: `entry` (how every call enters: the per-call
//!   `preview1_call` and `cabi_import_realloc`), `arguments` (enum and flags
//!   arguments converted as native converts them), `fd_table` (what each fd
//!   is), `listings` (the directory listings `fd_readdir` keeps), `paths`
//!   (path arguments by native's rules, with the pure ones in `path_rules`),
//!   `iovecs` (gathering and scattering the program's buffers, by the rules
//!   in `iovec_rules`), `dirent_buffer` (dirents into `fd_readdir`'s
//!   buffer), `descriptor_facts` (filetypes, `filestat` records,
//!   preopen rights, timestamps), `errno` (0.2 errors as preview1 errnos)
//!   and `state` (the region, the arena, the program's memory in
//!   `state::guest`, and the plain data kept between calls).
//! * **the bottom**: `wasi` (the WASI 0.2 imports), `abi` (preview1's
//!   constants and layouts), `region_layout` (shared with the finishing
//!   step), `traps` and `listen_variable`.
//!
//! Where each preview1 function is implemented (checked by the same test):
//!
//! - `args_env.rs`: `args_get`, `args_sizes_get`, `environ_get`,
//!   `environ_sizes_get`
//! - `clocks.rs`: `clock_res_get`, `clock_time_get`
//! - `directories.rs`: `fd_prestat_dir_name`, `fd_prestat_get`,
//!   `path_create_directory`, `path_filestat_get`, `path_filestat_set_times`,
//!   `path_link`, `path_open`, `path_readlink`, `path_remove_directory`,
//!   `path_rename`, `path_symlink`, `path_unlink_file`
//! - `exit.rs`: `proc_exit`, `proc_raise`, `sched_yield`
//! - `files.rs`: `fd_advise`, `fd_allocate`, `fd_close`, `fd_datasync`,
//!   `fd_fdstat_get`, `fd_fdstat_set_flags`, `fd_fdstat_set_rights`,
//!   `fd_filestat_get`, `fd_filestat_set_size`, `fd_filestat_set_times`,
//!   `fd_pread`, `fd_pwrite`, `fd_read`, `fd_renumber`, `fd_seek`, `fd_sync`,
//!   `fd_tell`, `fd_write`
//! - `poll.rs`: `poll_oneoff`
//! - `random.rs`: `random_get`
//! - `readdir.rs`: `fd_readdir`
//! - `sockets/mod.rs`: `sock_accept`, `sock_recv`, `sock_send`,
//!   `sock_shutdown`

#![no_std]
#![deny(clippy::undocumented_unsafe_blocks)]

mod abi;
mod args_env;
mod arguments;
mod clocks;
mod descriptor_facts;
mod directories;
mod dirent_buffer;
mod entry;
mod errno;
mod exit;
mod fd_table;
mod files;
mod iovec_rules;
mod iovecs;
mod listen_variable;
mod listings;
mod path_rules;
mod paths;
mod poll;
mod random;
mod readdir;
// Shared with the finishing step, which uses the constants the adapter doesn't.
#[allow(dead_code)]
mod region_layout;
mod sockets;
mod state;
mod traps;
mod wasi;

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    traps::adapter_bug()
}
