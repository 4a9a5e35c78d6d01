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
//!   not derived from the stack pointer). It holds a header (a guard word and
//!   the arena's marks), the state, the shadow stack and the arena
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
//! * A program that writes past its end lands on the region's guard word or
//!   on spare pages that must be zero; every entry checks both and traps in
//!   a function named for it. Each trap of the adapter's own has such a
//!   function (`traps.rs`), so the host's backtrace says why.
//! * Because the region moves, state holds offsets from the base, never
//!   absolute pointers, and nothing adapter-side is live while the program
//!   runs: the adapter calls into the program only from `run`, whose frame
//!   holds nothing.
//!
//! The wasm that creates and moves the region (and the stack pointer setup,
//! which Rust cannot express) is synthesised at build time by the finishing
//! step in `cli/build.rs`; `region_layout.rs` is the contract between them.
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
//! `abi` holds the preview1 types, `errno` maps 0.2 errors once, `state` owns
//! the region and the program's memory, `wasi` declares the 0.2 imports, and
//! each preview1 area has its own module (`args_env`, `clocks`, `fd_table`,
//! `files`, `directories`, `readdir`, `poll`, `sockets`, `random`, `exit`).
//! Three helpers serve several areas: `arguments` converts enum and flags
//! arguments as native does, `paths` reads path arguments by native's rules,
//! and `iovecs` gathers and scatters the program's buffers.

#![no_std]

mod abi;
mod args_env;
mod arguments;
mod clocks;
mod directories;
mod errno;
mod exit;
mod fd_table;
mod files;
mod iovecs;
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
