//! Where the region is: its base, the program's end below it, and the
//! header at its start that the synthesised code also reads and writes.

use core::cell::Cell;

use crate::region_layout::{CHECKED_SPARE_BYTES, DIRTY_END_OFFSET, LIVE_END_OFFSET, STATE_OFFSET};

#[link(wasm_import_module = "wasi-upgrade:region")]
unsafe extern "C" {
    /// Each call is replaced at build time by `global.get $region_base`.
    #[link_name = "base"]
    fn region_base_import() -> usize;
    /// Each call is replaced at build time by the program's `memory.size`
    /// in bytes, computed in place.
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
    /// Always zero, and checked on every entry by the synthesised code only:
    /// when no spare pages lie between the program and the region, a
    /// program writing past its end lands here first.
    #[allow(dead_code)]
    zero: [u64; CHECKED_SPARE_BYTES as usize / 8],
    /// Where the arena's persistent part ends: the region's live data.
    pub live_end: Cell<u32>,
    /// The highest offset the arena has reached since the region last moved.
    pub dirty_end: Cell<u32>,
}

const _: () = assert!(core::mem::offset_of!(Header, live_end) == LIVE_END_OFFSET as usize);
const _: () = assert!(core::mem::offset_of!(Header, dirty_end) == DIRTY_END_OFFSET as usize);
const _: () = assert!(core::mem::size_of::<Header>() <= STATE_OFFSET as usize);

impl Header {
    /// Runs `body` with the region's header, which lives only as long as
    /// `body` runs, for the same reason as `State::with`'s state.
    #[inline(always)]
    pub fn with<R>(body: impl FnOnce(&Header) -> R) -> R {
        // SAFETY: the region exists (see `region_base`) and begins with the
        // header, which only `Cell`s of integers make up; the base is
        // page-aligned. Only shared references are created.
        body(unsafe { &*(region_base() as *const Header) })
    }
}

/// The region's base address for the duration of the current call.
pub fn region_base() -> usize {
    // SAFETY: a plain read of a global; the finishing step guarantees every
    // export creates the region before its own code runs.
    unsafe { region_base_import() }
}
