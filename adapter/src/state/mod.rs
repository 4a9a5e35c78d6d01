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
use crate::region_layout::{
    ARENA_OFFSET, DIRTY_END_OFFSET, GUARD_OFFSET, LIVE_END_OFFSET, PAGE_BYTES, STACK_TOP,
    STATE_OFFSET,
};
use arena::Arena;

#[link(wasm_import_module = "wasi-upgrade:region")]
unsafe extern "C" {
    /// Replaced at build time by `global.get $region_base`.
    #[link_name = "base"]
    fn region_base_import() -> usize;
    /// Replaced at build time by the program's `memory.size` in bytes.
    #[link_name = "program_end"]
    fn program_end_import() -> usize;
}

/// Where the program's memory ends: its own `memory.size`, in bytes.
pub fn program_end() -> usize {
    // SAFETY: a plain read of a global.
    unsafe { program_end_import() }
}

/// The first bytes of the region, which the synthesised code that creates
/// and moves the region also reads and writes (offsets in `region_layout`).
#[repr(C)]
pub struct Header {
    /// Written when the region is created and checked on every entry, both
    /// by the synthesised code only; see `GUARD_VALUE`.
    #[allow(dead_code)]
    guard: Cell<i64>,
    /// Where the arena's persistent part ends: the region's live data.
    pub live_end: Cell<u32>,
    /// The highest offset the arena has reached since the region last moved.
    pub dirty_end: Cell<u32>,
}

const _: () = assert!(core::mem::offset_of!(Header, guard) == GUARD_OFFSET as usize);
const _: () = assert!(core::mem::offset_of!(Header, live_end) == LIVE_END_OFFSET as usize);
const _: () = assert!(core::mem::offset_of!(Header, dirty_end) == DIRTY_END_OFFSET as usize);
const _: () = assert!(core::mem::size_of::<Header>() <= STATE_OFFSET as usize);

impl Header {
    pub fn get() -> &'static Header {
        // SAFETY: the region exists (see `region_base`) and begins with the
        // header, which only `Cell`s of integers make up; the base is
        // page-aligned. Only shared references are created.
        unsafe { &*(region_base() as *const Header) }
    }
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
}

const _: () = assert!(STATE_OFFSET as usize + core::mem::size_of::<State>() <= PAGE_BYTES as usize);
const _: () = assert!((STATE_OFFSET as usize).is_multiple_of(core::mem::align_of::<State>()));
const _: () = assert!(STACK_TOP <= ARENA_OFFSET);

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
        // base is page-aligned and `STATE_OFFSET` a multiple of 8, which
        // satisfies the struct's alignment.
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
        Err(guest::OUTSIDE_MEMORY) => crate::traps::pointer_outside_memory(),
        Err(guest::NOT_ALIGNED) => crate::traps::pointer_not_aligned(),
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
