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

use super::region::{Header, program_end, region_base};
use crate::abi::{Errno, Result};
use crate::region_layout::PAGE_BYTES;

pub struct Arena {
    /// Offset from the base where scratch data ends.
    scratch_end: Cell<u32>,
    /// Offset from the base where the pages the region is known to own end,
    /// and the program's end when that was recorded; 0 until first needed.
    /// See [`Arena::program_pages_above`].
    owned_end: Cell<u32>,
    program_end_when_owned: Cell<usize>,
    /// A one-shot destination for the next import allocation (absolute
    /// address, valid for the current call only) and its capacity.
    redirect_to: Cell<usize>,
    redirect_len: Cell<usize>,
}

impl Arena {
    /// Offset from the base where persistent data ends (the header's
    /// `live_end`, set to `ARENA_OFFSET` when the region is created).
    fn persistent_end() -> u32 {
        Header::with(|header| header.live_end.get())
    }

    pub fn begin_call(&self) {
        self.scratch_end.set(Self::persistent_end());
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
    pub fn import_alloc(&self, align: usize, size: usize) -> Option<usize> {
        let redirect = self.redirect_to.get();
        if redirect != 0 && size <= self.redirect_len.get() && redirect.is_multiple_of(align.max(1))
        {
            self.redirect_to.set(0);
            return Some(redirect);
        }
        match self.bump(&self.scratch_end, align, size) {
            0 => None,
            address => Some(address),
        }
    }

    /// Zeroed space that outlives the current call. Only possible while
    /// scratch is empty, since scratch sits right after the persistent part.
    pub fn alloc_persistent(&self, align: usize, size: usize) -> Result<usize> {
        if self.scratch_end.get() != Self::persistent_end() {
            return Err(Errno::NOMEM);
        }
        let address = match Header::with(|header| self.bump(&header.live_end, align, size)) {
            0 => return Err(Errno::NOMEM),
            address => address,
        };
        self.scratch_end.set(Self::persistent_end());
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
        Header::with(|header| header.live_end.set(self.scratch_end.get()));
    }

    /// Scratch space for the current call only.
    pub fn alloc_scratch(&self, align: usize, size: usize) -> Result<usize> {
        match self.bump(&self.scratch_end, align, size) {
            0 => Err(Errno::NOMEM),
            address => Ok(address),
        }
    }

    /// Records that the region owns everything from its base to the end of
    /// memory, as it does whenever the adapter itself has just grown memory.
    fn own_to_memory_end(&self, base: usize, memory_end: usize) {
        self.owned_end.set((memory_end - base) as u32);
        self.program_end_when_owned.set(program_end());
    }

    /// Where pages of the program's start above the region, if any.
    ///
    /// After `wasi-upgrade`'s rewrite the region always ends at the end of
    /// memory: the program grows only through the adapter's hook, which
    /// moves its own end (`program_end`) and never puts pages above the
    /// region. Spliced as a drop-in file (no rewrite), the program's
    /// `memory.grow` adds pages above the region behind the adapter's back,
    /// and its end never moves. So memory beyond what the region owns,
    /// with the program's end unchanged since the region last grew, belongs
    /// to the program: the arena must not use it, and its pointers into it
    /// are valid.
    pub fn program_pages_above(&self) -> Option<usize> {
        let owned_end = self.owned_end.get();
        if owned_end == 0 || program_end() != self.program_end_when_owned.get() {
            return None;
        }
        let region_end = region_base() + owned_end as usize;
        let memory_end = core::arch::wasm32::memory_size(0) * PAGE_BYTES as usize;
        (memory_end > region_end).then_some(region_end)
    }

    /// Bumps `end` (an offset from the base) by `size` bytes aligned to
    /// `align`, growing linear memory when the arena runs past its end.
    /// Fails when the program owns the pages the arena would need (see
    /// [`Arena::program_pages_above`]).
    ///
    /// Answers the start of the bytes, or 0 (never one: the region is never
    /// at 0) when there are none: a plain integer, so that its callers need
    /// no stack frame to receive it.
    fn bump(&self, end: &Cell<u32>, align: usize, size: usize) -> usize {
        self.try_bump(end, align, size).unwrap_or(0)
    }

    /// `bump`, answering `None` for none.
    #[inline(always)]
    fn try_bump(&self, end: &Cell<u32>, align: usize, size: usize) -> Option<usize> {
        let base = region_base();
        let align = align.max(1);
        let start = (base + end.get() as usize).checked_add(align - 1)? & !(align - 1);
        let stop = start.checked_add(size)?;
        let memory_end = core::arch::wasm32::memory_size(0) * PAGE_BYTES as usize;
        if self.owned_end.get() == 0 {
            self.own_to_memory_end(base, memory_end);
        }
        if let Some(program_pages) = self.program_pages_above()
            && stop > program_pages
        {
            return None;
        }
        if stop > memory_end {
            let missing = stop - memory_end;
            let pages = missing.div_ceil(PAGE_BYTES as usize);
            if core::arch::wasm32::memory_grow(0, pages) == usize::MAX {
                return None;
            }
            self.own_to_memory_end(base, memory_end + pages * PAGE_BYTES as usize);
        }
        let end_offset = u32::try_from(stop - base).ok()?;
        end.set(end_offset);
        Header::with(|header| {
            if end_offset > header.dirty_end.get() {
                header.dirty_end.set(end_offset);
            }
        });
        Some(start)
    }
}
