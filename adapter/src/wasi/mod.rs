//! The WASI 0.2 imports, declared by hand at the canonical ABI level.
//!
//! Generated bindings would pull in `alloc` and build `Vec`s whose drop calls
//! an allocator the adapter must not have; declaring the few functions we
//! call keeps every result where `cabi_import_realloc` put it and lets the
//! wrappers below own each resource handle exactly once.
//!
//! Each submodule mirrors one WIT package. Resource handles are plain `Copy`
//! wrappers: whoever stores one (the fd table, a listing) releases it
//! explicitly with `drop_handle`. Only `Pollable` and `DirectoryEntryStream`
//! release themselves on `Drop`; a listing keeps its stream as a raw handle
//! (`into_handle`) and releases it itself.

#[cfg(feature = "proxy")]
mod absent;
pub mod cli;
pub mod clocks;
pub mod filesystem;
pub mod io;
pub mod random;
pub mod sockets;

/// A `list<T>` as the canonical ABI lays it out in a return area.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct RawList {
    pub ptr: usize,
    pub len: usize,
}

/// A `string` or `list<u8>` in a lowered record.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct RawBytes {
    pub ptr: *const u8,
    pub len: usize,
}

impl RawBytes {
    /// # Safety
    /// The bytes must have been lowered by the host for the current call, so
    /// they sit in memory the adapter handed out and nothing has moved since.
    pub unsafe fn as_slice<'a>(self) -> &'a [u8] {
        if self.len == 0 {
            return &[];
        }
        // SAFETY: guaranteed by the caller; the host wrote `len` bytes at `ptr`.
        unsafe { core::slice::from_raw_parts(self.ptr, self.len) }
    }
}

/// A little-endian byte record: a return area with room and alignment for
/// any result the adapter imports, or a preview1 struct copied out of the
/// program's memory (`guest::read_record`).
#[repr(C, align(8))]
pub struct Area<const N: usize>([u8; N]);

/// Room for every result the adapter imports except the few larger records.
pub type ReturnArea = Area<16>;

impl<const N: usize> Area<N> {
    pub fn new() -> Self {
        Area([0; N])
    }

    pub fn as_mut_ptr(&mut self) -> *mut u8 {
        self.0.as_mut_ptr()
    }

    pub fn u16_at(&self, offset: usize) -> u16 {
        u16::from(self.u8_at(offset)) | (u16::from(self.u8_at(offset + 1)) << 8)
    }

    pub fn u8_at(&self, offset: usize) -> u8 {
        self.0.get(offset).copied().unwrap_or(0)
    }

    pub fn u32_at(&self, offset: usize) -> u32 {
        let mut word = [0u8; 4];
        for (i, byte) in word.iter_mut().enumerate() {
            *byte = self.u8_at(offset + i);
        }
        u32::from_le_bytes(word)
    }

    /// A lowered `list<..>` (pointer, length) at `offset`.
    pub fn list_at(&self, offset: usize) -> RawList {
        RawList {
            ptr: self.u32_at(offset) as usize,
            len: self.u32_at(offset + 4) as usize,
        }
    }

    pub fn u64_at(&self, offset: usize) -> u64 {
        u64::from(self.u32_at(offset)) | (u64::from(self.u32_at(offset + 4)) << 32)
    }

    /// A lowered `datetime` (seconds, then nanoseconds) at `offset`, in
    /// nanoseconds; `None` if that does not fit in the 64 bits preview1
    /// timestamps have. The seconds are compared before they are multiplied
    /// because a checked 64-bit multiplication becomes a call to a 128-bit
    /// one on wasm32, and stat and the wall clock are hot.
    pub fn datetime_at(&self, offset: usize) -> Option<u64> {
        const NANOS_PER_SECOND: u64 = 1_000_000_000;
        let seconds = self.u64_at(offset);
        if seconds > u64::MAX / NANOS_PER_SECOND {
            return None;
        }
        (seconds * NANOS_PER_SECOND).checked_add(u64::from(self.u32_at(offset + 8)))
    }
}
