//! Memory for the adapter's tables and for the results of WASI imports.
//!
//! The arena runs from `ARENA_OFFSET` to the end of linear memory, which is
//! also the end of the region, so it grows with a plain `memory.grow`. It has
//! two parts: a persistent prefix (fd table, preopen names) and scratch after
//! it, which every preview1 call starts empty. The end of the persistent
//! part and the highest byte scratch ever reached live in the region's
//! header, where the synthesised code that moves the region reads them: it
//! moves only the persistent part, so what one large call took is never
//! copied again. The host lowers import results
//! into scratch through `cabi_import_realloc`, unless a call has pointed the
//! next allocation straight at the program's own buffer to save a copy.

use core::cell::Cell;

use super::{Header, region_base};
use crate::abi::{Errno, Result};
use crate::region_layout::PAGE_BYTES;

pub struct Arena {
    /// Offset from the base where scratch data ends.
    scratch_end: Cell<u32>,
    /// A one-shot destination for the next import allocation (absolute
    /// address, valid for the current call only) and its capacity.
    redirect_to: Cell<usize>,
    redirect_len: Cell<usize>,
}

impl Arena {
    /// Offset from the base where persistent data ends (set to
    /// `ARENA_OFFSET` when the region is created).
    fn persistent_end(&self) -> &Cell<u32> {
        &Header::get().live_end
    }

    pub fn begin_call(&self) {
        self.scratch_end.set(self.persistent_end().get());
        self.redirect_to.set(0);
    }

    /// Sends the next import allocation of at most `len` bytes to `dest`
    /// (memory the program gave us for exactly this result). A larger or
    /// second allocation falls back to scratch.
    pub fn redirect_next(&self, dest: *mut u8, len: usize) {
        self.redirect_to.set(dest as usize);
        self.redirect_len.set(len);
    }

    /// Forgets an unused redirect so it cannot capture a later allocation.
    pub fn clear_redirect(&self) {
        self.redirect_to.set(0);
    }

    /// Allocation for import results: the redirect target if it fits, else
    /// scratch.
    fn import_alloc(&self, align: usize, size: usize) -> Option<usize> {
        let redirect = self.redirect_to.get();
        if redirect != 0 && size <= self.redirect_len.get() && redirect.is_multiple_of(align.max(1)) {
            self.redirect_to.set(0);
            return Some(redirect);
        }
        self.bump(&self.scratch_end, align, size)
    }

    /// Zeroed space that outlives the current call. Only possible while
    /// scratch is empty, since scratch sits right after the persistent part.
    pub fn alloc_persistent(&self, align: usize, size: usize) -> Result<usize> {
        if self.scratch_end.get() != self.persistent_end().get() {
            return Err(Errno::NOMEM);
        }
        let address = self.bump(self.persistent_end(), align, size).ok_or(Errno::NOMEM)?;
        self.scratch_end.set(self.persistent_end().get());
        // SAFETY: the range was just bumped out of the arena; earlier calls
        // may have left scratch data there, which must not read as state.
        unsafe { core::ptr::write_bytes(address as *mut u8, 0, size) };
        Ok(address)
    }

    /// Where scratch ends now, to give back what a loop iteration used.
    pub fn scratch_mark(&self) -> u32 {
        self.scratch_end.get()
    }

    /// Frees the scratch allocated since `mark`.
    pub fn reset_scratch(&self, mark: u32) {
        self.scratch_end.set(mark);
    }

    /// Makes everything allocated in scratch so far persistent.
    pub fn keep_scratch(&self) {
        self.persistent_end().set(self.scratch_end.get());
    }

    /// Scratch space for the current call only.
    pub fn alloc_scratch(&self, align: usize, size: usize) -> Result<usize> {
        self.bump(&self.scratch_end, align, size).ok_or(Errno::NOMEM)
    }

    /// Bumps `end` (an offset from the base) by `size` bytes aligned to
    /// `align`, growing linear memory when the arena runs past its end.
    fn bump(&self, end: &Cell<u32>, align: usize, size: usize) -> Option<usize> {
        let base = region_base();
        let align = align.max(1);
        let start = (base + end.get() as usize).checked_add(align - 1)? & !(align - 1);
        let stop = start.checked_add(size)?;
        let memory_end = core::arch::wasm32::memory_size(0) * PAGE_BYTES as usize;
        if stop > memory_end {
            let missing = stop - memory_end;
            let pages = missing.div_ceil(PAGE_BYTES as usize);
            if core::arch::wasm32::memory_grow(0, pages) == usize::MAX {
                return None;
            }
        }
        let end_offset = u32::try_from(stop - base).ok()?;
        end.set(end_offset);
        let dirty_end = &Header::get().dirty_end;
        if end_offset > dirty_end.get() {
            dirty_end.set(end_offset);
        }
        Some(start)
    }
}

/// The allocator the host uses to lower every import result of the adapter.
/// Out of memory is unrecoverable for the host's lowering, so it traps.
#[unsafe(no_mangle)]
pub extern "C" fn cabi_import_realloc(
    old_ptr: *mut u8,
    old_len: usize,
    align: usize,
    new_len: usize,
) -> *mut u8 {
    // Results are lowered once and never resized.
    if !old_ptr.is_null() || old_len != 0 {
        crate::traps::host_asked_to_resize_an_answer();
    }
    match super::State::get().arena.import_alloc(align, new_len) {
        Some(address) => address as *mut u8,
        None => crate::traps::no_memory_left_for_an_answer_from_the_host(),
    }
}
