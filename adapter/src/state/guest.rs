//! Typed access to the program's part of linear memory.
//!
//! Every pointer a preview1 function receives comes from the program; these
//! helpers bounds-check it against the program's view of memory (its own
//! `memory.size`, below the spare pages and the region), and typed accesses
//! check its alignment, so a bad pointer never reaches the adapter's own
//! state. A bad pointer yields [`OUTSIDE_MEMORY`] or [`NOT_ALIGNED`], which
//! `entry::preview1_call` turns into the trap native preview1 gives (helpers that try
//! several iovecs can still see one fail and stop there). Address 0 is valid
//! memory, as it is natively.

use crate::abi::{Errno, Result};

use super::region::program_end;
use crate::region_layout::PAGE_BYTES;
use crate::wasi::Area;

/// A range that does not lie in the program's memory, or whose end passes
/// 2^32. Never answered: `entry::preview1_call` traps on it.
pub const OUTSIDE_MEMORY: Errno = Errno::FAULT;

/// A pointer not aligned to the type it points at. Never answered:
/// `entry::preview1_call` traps on it.
pub const NOT_ALIGNED: Errno = Errno(u16::MAX);

/// Checks that `[ptr, ptr + len)` lies in the program's memory and returns
/// it as an address. Every pointer argument passes here, so the usual case
/// is inlined and the rest is not.
#[inline(always)]
fn checked(ptr: u32, len: usize) -> Result<usize> {
    let start = ptr as usize;
    match start.checked_add(len) {
        Some(end) if end <= program_end() => Ok(start),
        _ if lies_beyond_program_end(start, len) => Ok(start),
        _ => Err(OUTSIDE_MEMORY),
    }
}

/// Whether a range that does not end within the program's own pages is
/// the program's memory all the same. Answers a plain `bool`, so that the
/// inlined check needs no stack frame for it.
#[inline(never)]
fn lies_beyond_program_end(start: usize, len: usize) -> bool {
    let Some(end) = start.checked_add(len) else {
        return false;
    };
    // Spliced without the rewrite, the program may also own pages above
    // the region (see `Arena::program_pages_above`).
    let memory_end = core::arch::wasm32::memory_size(0) * PAGE_BYTES as usize;
    match super::State::with(|state| state.arena.program_pages_above()) {
        Some(above) => start >= above && end <= memory_end,
        None => false,
    }
}

/// Checks that `ptr` is a multiple of `align`, as native preview1 requires
/// of every pointer to a value wider than a byte.
fn aligned(ptr: u32, align: u32) -> Result<u32> {
    if ptr.is_multiple_of(align) {
        Ok(ptr)
    } else {
        Err(NOT_ALIGNED)
    }
}

/// Checks that `[ptr, ptr + len)` lies in the program's memory.
pub fn check_range(ptr: u32, len: u32) -> Result<()> {
    checked(ptr, len as usize).map(|_| ())
}

// Address 0 is ordinary memory to the program (native preview1 reads and
// writes it like any other), but it is the null pointer to Rust: a
// reference or slice there is undefined behaviour, and LLVM deletes or
// rewrites code that it can prove forms one. So no reference to the
// program's memory is ever made at 0. Byte 0 itself is touched only by
// volatile accesses, which are defined for memory outside Rust's
// allocations at any address, null included; everything from byte 1 on
// goes through ordinary raw-pointer copies.

/// The program's bytes at `[ptr, ptr + len)`: its own memory in place, or,
/// for a range that starts at address 0, a copy in this call's scratch.
///
/// # Safety
///
/// The slice is used only during the current preview1 call and only while
/// the scratch allocated since it was made is not reset (`'a` must end
/// before either), and the program's memory it may point into is not
/// written through any other path meanwhile.
#[inline(always)]
pub unsafe fn bytes<'a>(ptr: u32, len: u32) -> Result<&'a [u8]> {
    let address = checked(ptr, len as usize)?;
    if len == 0 {
        return Ok(&[]);
    }
    if address == 0 {
        // SAFETY: `[0, len)` is in memory (checked above); the caller keeps
        // `bytes`' contract, which is this function's.
        return unsafe { copy_of_bytes_at_address_0(len) };
    }
    // SAFETY: the range is inside linear memory (checked above), not at
    // address 0, and below the region, so no adapter reference aliases it.
    // It is only read for the duration of the current call, during which
    // memory cannot shrink.
    Ok(unsafe { core::slice::from_raw_parts(address as *const u8, len as usize) })
}

/// The program's bytes at `[ptr, ptr + len)` in place, when they lie in its
/// own pages and not at address 0: `bytes`' usual case, for a fast path
/// that leaves every other case (`None`) to the general one.
///
/// # Safety
///
/// As for [`bytes`].
#[inline(always)]
pub unsafe fn bytes_in_place<'a>(ptr: u32, len: u32) -> Option<&'a [u8]> {
    let end = ptr.checked_add(len)?;
    if ptr == 0 || end as usize > program_end() {
        return None;
    }
    // SAFETY: as in `bytes`: the range is inside the program's pages, not
    // at address 0, and the caller keeps `bytes`' contract.
    Some(unsafe { core::slice::from_raw_parts(ptr as usize as *const u8, len as usize) })
}

/// `bytes` for a range of `len` bytes at address 0: a copy in this call's
/// scratch.
///
/// # Safety
///
/// `[0, len)` is in the program's memory, and the caller keeps `bytes`'
/// contract for `'a`.
#[inline(never)]
unsafe fn copy_of_bytes_at_address_0<'a>(len: u32) -> Result<&'a [u8]> {
    let copy = super::State::with(|state| state.arena.alloc_scratch(1, len as usize))?;
    // SAFETY: `copy` is `len` fresh bytes of scratch (never at 0, as the
    // region sits above the program's memory), and `[0, len)` is the
    // program's memory (checked by the caller).
    unsafe { copy_out_of_program(0, copy as *mut u8, len as usize) };
    // SAFETY: the scratch bytes were just initialised and belong to
    // this call alone.
    Ok(unsafe { core::slice::from_raw_parts(copy as *const u8, len as usize) })
}

/// Where a host result may be lowered straight into the program's buffer
/// `[ptr, ptr + len)`: its address, or `None` for a buffer at address 0,
/// which the adapter fills by copying (see above). Inlined, so that its
/// callers need not pass the answer through memory.
#[inline(always)]
pub fn direct_destination(ptr: u32, len: u32) -> Result<Option<*mut u8>> {
    let address = checked(ptr, len as usize)?;
    Ok((address != 0 && len != 0).then_some(address as *mut u8))
}

/// Copies `src` to the program's memory at `ptr`. Inlined, so that the
/// fixed-size writes below become a check and a store.
#[inline(always)]
pub fn write_bytes(ptr: u32, src: &[u8]) -> Result<()> {
    let address = checked(ptr, src.len())?;
    if address == 0 {
        write_at_address_0(src);
        return Ok(());
    }
    // SAFETY: `[address, address + src.len())` is the program's memory
    // (checked above), which no adapter reference aliases; `src` is adapter
    // memory or a different part of the program's.
    unsafe { core::ptr::copy(src.as_ptr(), address as *mut u8, src.len()) };
    Ok(())
}

/// `write_bytes` to the program's memory at address 0, which must hold
/// `src` (checked by the caller).
#[inline(never)]
fn write_at_address_0(src: &[u8]) {
    let Some((&first, rest)) = src.split_first() else {
        return;
    };
    // SAFETY: `[0, src.len())` is the program's memory, which no adapter
    // reference aliases; `src` is adapter memory or a different part of
    // the program's.
    unsafe {
        core::ptr::write_volatile(core::ptr::null_mut::<u8>(), first);
        core::ptr::copy(
            rest.as_ptr(),
            core::ptr::with_exposed_provenance_mut(1),
            rest.len(),
        );
    }
}

/// Copies `len` bytes of the program's memory from `address` to `dest`.
///
/// # Safety
/// `[address, address + len)` must be the program's memory and `dest` valid
/// for `len` bytes of writes.
#[inline(always)]
unsafe fn copy_out_of_program(address: usize, dest: *mut u8, len: usize) {
    if address == 0 {
        // SAFETY: guaranteed by the caller.
        unsafe { copy_from_address_0(dest, len) };
        return;
    }
    // SAFETY: guaranteed by the caller.
    unsafe { core::ptr::copy(address as *const u8, dest, len) };
}

/// `copy_out_of_program` from address 0, out of line since it is rare.
///
/// # Safety
/// As for `copy_out_of_program`.
#[inline(never)]
unsafe fn copy_from_address_0(dest: *mut u8, len: usize) {
    if len == 0 {
        return;
    }
    // SAFETY: guaranteed by the caller.
    unsafe {
        dest.write(core::ptr::read_volatile(core::ptr::null::<u8>()));
        core::ptr::copy(core::ptr::with_exposed_provenance(1), dest.add(1), len - 1);
    }
}

pub fn write_u8(ptr: u32, value: u8) -> Result<()> {
    write_bytes(ptr, &[value])
}

pub fn write_u16(ptr: u32, value: u16) -> Result<()> {
    // Opaque, so a constant argument cannot become a constant array, which
    // would be a data section.
    write_bytes(
        aligned(ptr, 2)?,
        &core::hint::black_box(value).to_le_bytes(),
    )
}

/// Writes a `u32` in one store, with the rare case (address 0) out of
/// line, so that a caller it is inlined into needs no stack frame for it.
pub fn write_u32(ptr: u32, value: u32) -> Result<()> {
    write_u32_inlined(ptr, value)
}

/// `write_u32`, always inlined: for `fd_write`'s small stdio writes, which
/// then need no stack frame (inlined everywhere, it would cost 600 bytes).
#[inline(always)]
pub fn write_u32_inlined(ptr: u32, value: u32) -> Result<()> {
    let address = checked(aligned(ptr, 4)?, 4)?;
    if address == 0 {
        write_u32_at_address_0(value);
        return Ok(());
    }
    // SAFETY: `[address, address + 4)` is the program's memory (checked
    // above), aligned for a `u32`, and no adapter reference aliases it.
    unsafe { (address as *mut u32).write(value) };
    Ok(())
}

#[inline(never)]
fn write_u32_at_address_0(value: u32) {
    write_at_address_0(&value.to_le_bytes());
}

/// `write_u32` for a `u64`, always inlined (the clocks' result).
#[inline(always)]
pub fn write_u64(ptr: u32, value: u64) -> Result<()> {
    let address = checked(aligned(ptr, 8)?, 8)?;
    if address == 0 {
        write_u64_at_address_0(value);
        return Ok(());
    }
    // SAFETY: as in `write_u32`, for 8 bytes aligned for a `u64`.
    unsafe { (address as *mut u64).write(value) };
    Ok(())
}

#[inline(never)]
fn write_u64_at_address_0(value: u64) {
    write_at_address_0(&value.to_le_bytes());
}

/// Writes a preview1 struct, whose widest field needs `align`.
pub fn write_record(ptr: u32, align: u32, record: &[u8]) -> Result<()> {
    write_bytes(aligned(ptr, align)?, record)
}

/// Writes a preview1 struct made of `N` (at most 8) 64-bit slots, such as
/// a `filestat` or an `fdstat`: one check, then one store per slot, rather
/// than building the record and copying it (Wasmtime's fuel counts
/// `memory.copy` by the byte).
#[inline(always)]
pub fn write_u64_slots<const N: usize>(ptr: u32, slots: [u64; N]) -> Result<()> {
    const { assert!(N >= 1 && N <= 8) };
    let address = checked(aligned(ptr, 8)?, N * 8)?;
    let Some((&first, rest)) = slots.split_first() else {
        return Ok(());
    };
    if address == 0 {
        write_u64_at_address_0(first);
    } else {
        // SAFETY: `[address, address + 8)` is the program's memory (checked
        // above), aligned for a `u64`, and no adapter reference aliases it.
        unsafe { (address as *mut u64).write(first.to_le()) };
    }
    // Unrolled by hand: the adapter is built for size, so LLVM keeps a loop
    // here, and turns a loop over an array on the stack into a copy.
    let write = |index: usize| {
        if let Some(&value) = rest.get(index - 1) {
            // SAFETY: slot `index` lies in `[address + 8, address + N * 8)`,
            // the program's memory (checked above), never at address 0,
            // aligned for a `u64`; no adapter reference aliases it.
            unsafe { ((address + 8 * index) as *mut u64).write(value.to_le()) };
        }
    };
    write(1);
    write(2);
    write(3);
    write(4);
    write(5);
    write(6);
    write(7);
    Ok(())
}

/// The `N` bytes of a preview1 struct at `ptr`, whose widest field needs
/// `align`, copied out with one bounds check so that several fields can be
/// decoded from them.
pub fn read_record<const N: usize>(ptr: u32, align: u32) -> Result<Area<N>> {
    let address = checked(aligned(ptr, align)?, N)?;
    // SAFETY: all `N` bytes are written just below before any is read.
    let mut record = unsafe { Area::uninit() };
    // SAFETY: `[address, address + N)` is the program's memory (checked
    // above) and the record has room for `N` bytes.
    unsafe { copy_out_of_program(address, record.as_mut_ptr(), N) };
    Ok(record)
}

/// `ptr + offset`, for walking arrays of preview1 structs.
pub fn offset(ptr: u32, index: u32, stride: u32, field: u32) -> Result<u32> {
    index
        .checked_mul(stride)
        .and_then(|at| at.checked_add(field))
        .and_then(|at| ptr.checked_add(at))
        .ok_or(OUTSIDE_MEMORY)
}

/// One `iovec` of the program: where it points and how long it is.
#[derive(Clone, Copy)]
pub struct Iovec {
    pub buf: u32,
    pub len: u32,
}

/// Entry 0 of an iovec array, read in place, when the array is aligned,
/// lies in the program's own pages and not at address 0: `iovec`'s usual
/// case, for a fast path that leaves every other case (`None`) to it.
#[inline(always)]
pub fn first_iovec_in_place(array: u32) -> Option<Iovec> {
    use crate::abi::iovec::{BUF, LEN, SIZE};
    let end = array.checked_add(SIZE)?;
    if array == 0 || !array.is_multiple_of(4) || end as usize > program_end() {
        return None;
    }
    let words = array as usize as *const u32;
    // SAFETY: the entry's 8 bytes are the program's memory (checked above),
    // aligned for `u32`s and not at address 0; they are only read.
    let (buf, len) = unsafe {
        (
            words.add(BUF as usize / 4).read(),
            words.add(LEN as usize / 4).read(),
        )
    };
    Some(Iovec { buf, len })
}

/// Reads entry `index` of an iovec array.
pub fn iovec(array: u32, index: u32) -> Result<Iovec> {
    use crate::abi::iovec::{BUF, LEN, SIZE};
    let record = read_record::<{ SIZE as usize }>(offset(array, index, SIZE, 0)?, 4)?;
    Ok(Iovec {
        buf: record.u32_at(BUF as usize),
        len: record.u32_at(LEN as usize),
    })
}
