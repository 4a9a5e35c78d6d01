//! Typed access to the program's part of linear memory.
//!
//! Every pointer a preview1 function receives comes from the program; these
//! helpers bounds-check it against the program's view of memory (its own
//! `memory.size`, below the spare pages and the region) so a bad pointer yields `EFAULT`, as native preview1
//! does, instead of a trap or a write into the adapter's own state.

use crate::abi::{Errno, Result};

use super::program_end;
use crate::region_layout::PAGE_BYTES;
use crate::wasi::Area;

/// Checks that `[ptr, ptr + len)` lies in the program's memory and returns
/// it as an address.
///
/// A non-empty range at address 0 is refused with `EFAULT`: Rust cannot form a reference there
/// without undefined behaviour (the optimiser assumes it never happens and
/// miscompiles the access), and no toolchain places data at 0, which
/// C and Rust reserve as their null pointer.
fn checked(ptr: u32, len: usize) -> Result<usize> {
    if ptr == 0 && len != 0 {
        return Err(Errno::FAULT);
    }
    let start = ptr as usize;
    let end = start.checked_add(len).ok_or(Errno::FAULT)?;
    if end <= program_end() {
        return Ok(start);
    }
    // Spliced without the rewrite, the program may also own pages above
    // the region (see `Arena::program_pages_above`).
    let memory_end = core::arch::wasm32::memory_size(0) * PAGE_BYTES as usize;
    match super::State::get().arena.program_pages_above() {
        Some(above) if start >= above && end <= memory_end => Ok(start),
        _ => Err(Errno::FAULT),
    }
}

/// The program's bytes at `[ptr, ptr + len)`.
pub fn bytes<'a>(ptr: u32, len: u32) -> Result<&'a [u8]> {
    let address = checked(ptr, len as usize)?;
    if len == 0 {
        return Ok(&[]);
    }
    // SAFETY: the range is inside linear memory (checked above) and below
    // the region, so no adapter reference aliases it. It is only read for
    // the duration of the current call, during which memory cannot shrink.
    Ok(unsafe { core::slice::from_raw_parts(address as *const u8, len as usize) })
}

/// The program's bytes at `[ptr, ptr + len)`, for the adapter to fill.
pub fn bytes_mut<'a>(ptr: u32, len: u32) -> Result<&'a mut [u8]> {
    let address = checked(ptr, len as usize)?;
    if len == 0 {
        return Ok(&mut []);
    }
    // SAFETY: as for `bytes`; the program is not running while the adapter
    // writes, so nothing else observes the slice.
    Ok(unsafe { core::slice::from_raw_parts_mut(address as *mut u8, len as usize) })
}

/// Copies `src` to the program's memory at `ptr`.
pub fn write_bytes(ptr: u32, src: &[u8]) -> Result<()> {
    let len = u32::try_from(src.len()).map_err(|_| Errno::FAULT)?;
    let dest = bytes_mut(ptr, len)?;
    dest.copy_from_slice(src);
    Ok(())
}

pub fn write_u8(ptr: u32, value: u8) -> Result<()> {
    write_bytes(ptr, &[value])
}

pub fn write_u16(ptr: u32, value: u16) -> Result<()> {
    // Opaque, so a constant argument cannot become a constant array, which
    // would be a data section.
    write_bytes(ptr, &core::hint::black_box(value).to_le_bytes())
}

pub fn write_u32(ptr: u32, value: u32) -> Result<()> {
    write_bytes(ptr, &value.to_le_bytes())
}

pub fn write_u64(ptr: u32, value: u64) -> Result<()> {
    write_bytes(ptr, &value.to_le_bytes())
}

/// The `N` bytes at `ptr`, copied out with one bounds check so that several
/// fields can be decoded from them.
pub fn read_record<const N: usize>(ptr: u32) -> Result<Area<N>> {
    let mut record = Area::new();
    record.bytes_mut().copy_from_slice(bytes(ptr, N as u32)?);
    Ok(record)
}

/// `ptr + offset`, for walking arrays of preview1 structs.
pub fn offset(ptr: u32, index: u32, stride: u32, field: u32) -> Result<u32> {
    index
        .checked_mul(stride)
        .and_then(|at| at.checked_add(field))
        .and_then(|at| ptr.checked_add(at))
        .ok_or(Errno::FAULT)
}

/// One `iovec` of the program: where it points and how long it is.
#[derive(Clone, Copy)]
pub struct Iovec {
    pub buf: u32,
    pub len: u32,
}

/// Reads entry `index` of an iovec array.
pub fn iovec(array: u32, index: u32) -> Result<Iovec> {
    use crate::abi::iovec::{BUF, LEN, SIZE};
    let record = read_record::<{ SIZE as usize }>(offset(array, index, SIZE, 0)?)?;
    Ok(Iovec { buf: record.u32_at(BUF as usize), len: record.u32_at(LEN as usize) })
}
