//! Where the adapter keeps its state, and how it reaches the program's memory.
//!
//! The region's base moves whenever the program grows memory (see the crate
//! docs), so nothing here stores an absolute address across calls: the
//! arena and the fd table keep offsets from the base, and the `State` itself
//! is found afresh at every entry.

pub mod arena;
pub mod guest;

use core::cell::Cell;

use crate::abi::{Errno, Result};
use crate::fd_table::FdTable;
use crate::readdir::Listings;
use crate::region_layout::{PAGE_BYTES, STATE_OFFSET};
use arena::Arena;

#[link(wasm_import_module = "wasi-upgrade:region")]
unsafe extern "C" {
    /// Replaced at build time by `global.get $region_base`.
    #[link_name = "base"]
    fn region_base_import() -> usize;
}

/// The region's base address for the duration of the current call.
pub fn region_base() -> usize {
    // SAFETY: a plain read of a global; the finishing step guarantees every
    // export creates the region before its own code runs.
    unsafe { region_base_import() }
}

/// Everything the adapter remembers between calls. All fields are `Cell`s
/// because the host may call `cabi_import_realloc` (which touches the arena)
/// while an adapter function is in the middle of using the state, and
/// because an all-zero page (a fresh region) must be a valid `State`.
pub struct State {
    pub arena: Arena,
    pub fds: FdTable,
    pub listings: Listings,
    /// Monotonic time at `run`, for the CPU-time clocks; 0 until known.
    pub process_start: Cell<u64>,
}

const _: () = assert!(core::mem::size_of::<State>() <= PAGE_BYTES as usize);

impl State {
    /// The state of this instance.
    ///
    /// The returned reference must not be held across a call into the
    /// program (only `run` calls into it, and it never takes the state),
    /// because the program may move the region.
    pub fn get() -> &'static State {
        let address = region_base() + STATE_OFFSET as usize;
        // SAFETY: the region exists (see `region_base`) and its state page is
        // reserved for this struct, which fits in it and is valid when zeroed
        // (every field is a `Cell` of integers or bools). Only shared
        // references are created, and all mutation goes through `Cell`s. The
        // base is page-aligned, which satisfies the struct's alignment.
        unsafe { &*(address as *const State) }
    }
}

/// Runs one preview1 call: starts it with an empty scratch arena and
/// flattens its outcome to the errno the program sees.
pub fn call(body: impl FnOnce(&State) -> Result<()>) -> Errno {
    let state = State::get();
    state.arena.begin_call();
    // The table must exist before any scratch is used, since it lives in the
    // persistent part of the arena.
    if let Err(errno) = state.fds.ensure_stdio() {
        return errno;
    }
    match body(state) {
        Ok(()) => Errno::SUCCESS,
        Err(errno) => errno,
    }
}

/// A flag whose all-zero state means "not yet".
#[derive(Default)]
pub struct Once(Cell<bool>);

impl Once {
    pub fn is_done(&self) -> bool {
        self.0.get()
    }

    pub fn mark_done(&self) {
        self.0.set(true)
    }
}
