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

use core::mem::MaybeUninit;

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
///
/// The hot calls start it uninitialised ([`Area::uninit`]): zeroing the
/// larger areas costs a store per byte on every call (Wasmtime's fuel
/// counts `memory.fill` by the byte), and whoever fills them (the host's
/// lowering, or the copy) writes every byte that is then read.
#[repr(C, align(8))]
pub struct Area<const N: usize>(MaybeUninit<[u8; N]>);

/// Room for every result the adapter imports except the few larger records.
pub type ReturnArea = Area<16>;

impl<const N: usize> Area<N> {
    /// A zeroed area, which any reader may read.
    pub fn new() -> Self {
        Area(MaybeUninit::zeroed())
    }

    /// An area whose bytes are not written yet.
    ///
    /// # Safety
    ///
    /// No byte may be read before it is written: the area must be filled
    /// through [`Area::as_mut_ptr`] (by an import's lowering or a copy),
    /// and then read only where that wrote. The canonical ABI writes a
    /// result's discriminant and every field of the case it names, which
    /// are all the readers below look at.
    pub unsafe fn uninit() -> Self {
        Area(MaybeUninit::uninit())
    }

    pub fn as_mut_ptr(&mut self) -> *mut u8 {
        self.0.as_mut_ptr().cast()
    }

    /// The `T` at `offset`, or 0 past the end.
    #[inline(always)]
    fn read<T: Copy + Default>(&self, offset: usize) -> T {
        if offset + core::mem::size_of::<T>() > N {
            return T::default();
        }
        // SAFETY: `[offset, offset + size_of::<T>())` is inside the area
        // (checked above), and was zeroed or written before this read (as
        // `Area::uninit` requires); `T` is an integer, valid for any bytes.
        unsafe {
            self.0
                .as_ptr()
                .cast::<u8>()
                .add(offset)
                .cast::<T>()
                .read_unaligned()
        }
    }

    pub fn u8_at(&self, offset: usize) -> u8 {
        self.read(offset)
    }

    pub fn u16_at(&self, offset: usize) -> u16 {
        u16::from_le(self.read(offset))
    }

    pub fn u32_at(&self, offset: usize) -> u32 {
        u32::from_le(self.read(offset))
    }

    /// A lowered `list<..>` (pointer, length) at `offset`.
    pub fn list_at(&self, offset: usize) -> RawList {
        RawList {
            ptr: self.u32_at(offset) as usize,
            len: self.u32_at(offset + 4) as usize,
        }
    }

    pub fn u64_at(&self, offset: usize) -> u64 {
        u64::from_le(self.read(offset))
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
