//! Where the adapter keeps its state, and how it reaches the program's memory.
//!
//! The region's base moves whenever the program grows memory (see the crate
//! docs), so nothing here stores an absolute address across calls: the
//! arena and the fd table keep offsets from the base, and the `State` itself
//! is found afresh at every entry.

pub mod arena;
pub mod guest;
pub mod region;

use core::cell::{Cell, UnsafeCell};

use crate::region_layout::{
    ARENA_OFFSET, INITIAL_PAGES, PAGE_BYTES, STACK_BYTES, STACK_TOP, STATE_END, STATE_OFFSET,
};
use crate::wasi::ReturnArea;
use arena::Arena;
pub use region::region_base;

/// Everything the adapter remembers between calls. All fields are `Cell`s
/// because the host may call `cabi_import_realloc` (which touches the arena)
/// while an adapter function is in the middle of using the state, and
/// because an all-zero page (a fresh region) must be a valid `State`.
pub struct State {
    pub arena: Arena,
    pub fds: FdTable,
    pub listings: Listings,
    /// Where the hottest calls that make one host call (`fd_write`'s small
    /// stdio writes, `random_get`) have the host put its answer: in the
    /// region, so that they need no stack frame, and always initialised
    /// (zero when the region is made, then earlier answers), so that they
    /// need not clear it first. Each takes it for its host call alone,
    /// during which nothing else runs but `cabi_import_realloc`, which
    /// never touches it.
    pub answer: UnsafeCell<ReturnArea>,
}

const _: () = assert!(STATE_OFFSET as usize + core::mem::size_of::<State>() <= STATE_END as usize);
const _: () = assert!(STATE_END + STACK_BYTES <= STACK_TOP);
const _: () = assert!(ARENA_OFFSET <= INITIAL_PAGES * PAGE_BYTES);
const _: () = assert!((STATE_OFFSET as usize).is_multiple_of(core::mem::align_of::<State>()));
const _: () = assert!(STACK_TOP <= ARENA_OFFSET);

impl State {
    /// Runs `body` with the state of this instance.
    ///
    /// The reference lives only as long as `body` runs (nothing `body`
    /// returns can borrow it), because the program may move the region when
    /// it runs: only `run` calls into the program, and it never takes the
    /// state.
    #[inline(always)]
    pub fn with<R>(body: impl FnOnce(&State) -> R) -> R {
        let address = region_base() + STATE_OFFSET as usize;
        // SAFETY: the region exists (see `region_base`) and the room for its
        // state is reserved for this struct, which fits in it and is valid when zeroed
        // (every field is a `Cell` of integers or bools, or bytes in an
        // `UnsafeCell`). Only shared
        // references are created, and all mutation goes through `Cell`s. The
        // base is page-aligned and `STATE_OFFSET` a multiple of 8, which
        // satisfies the struct's alignment.
        body(unsafe { &*(address as *const State) })
    }
}

/// The descriptor table's bookkeeping, as plain data: `fd_table` gives it
/// its operations and defines the entries it points to.
pub struct FdTable {
    /// Offset of the entry array from the base; 0 before first use.
    pub entries: Cell<u32>,
    pub len: Cell<u32>,
    pub capacity: Cell<u32>,
    /// How many slots below `len` are closed, so allocation can skip the
    /// search for one when there are none.
    pub closed: Cell<u32>,
    pub preopens_discovered: Flag,
}

/// The directory listings' free list, as plain data: `listings` gives it
/// its operations and defines the listings it links.
pub struct Listings {
    /// Offset of the first free listing from the base; 0 when none.
    pub free: Cell<u32>,
}

/// A flag whose all-zero state means "not set".
pub struct Flag(Cell<bool>);

impl Flag {
    pub fn is_set(&self) -> bool {
        self.0.get()
    }

    pub fn set(&self) {
        self.0.set(true)
    }
}
