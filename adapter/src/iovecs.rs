//! The program's iovecs: gathering them for a write, and scattering a read
//! over them with as few copies as the host allows.
//!
//! Native preview1 transfers only the first non-empty iovec and never looks
//! at the others. The adapter transfers as many as it can in one host call,
//! but its answer must never be worse than native's: the iovecs it uses are
//! the longest prefix of the array whose entries can be read, whose buffers
//! lie in memory and whose lengths stay within native's per-call budget
//! (`NATIVE_COPY_BUDGET`, so never near `u32::MAX`). Anything after that
//! only makes the transfer shorter, which every caller of
//! `fd_read`/`fd_write` must handle anyway. Only when not even the first
//! non-empty iovec is usable does the call fail: `ENOMEM` beyond the budget
//! (an array of more than 16 Mi iovecs, a count near 2^32), and a trap
//! outside memory or for a misaligned array, as native answers.

use crate::abi::{Errno, Result};
use crate::iovec_rules::{self, Usable};
use crate::state::{State, guest};
use crate::wasi::RawBytes;

/// The usable part of one call's iovec array (see `iovec_rules`).
fn usable(iovs: u32, count: u32) -> Result<Usable> {
    Ok(usable_and_first(iovs, count)?.0)
}

/// `usable`, and the first non-empty iovec among the usable ones, read on
/// the way so that the usual single buffer is not read twice.
fn usable_and_first(iovs: u32, count: u32) -> Result<(Usable, Option<guest::Iovec>)> {
    let mut first = None;
    let usable = iovec_rules::usable(count, |index| {
        let iov = guest::iovec(iovs, index)?;
        // `usable` either takes the first non-empty iovec or fails.
        if first.is_none() && iov.len != 0 {
            first = Some(iov);
        }
        Ok((iov.len, guest::check_range(iov.buf, iov.len)))
    })?;
    Ok((usable, first))
}

/// The non-empty iovecs among the first `entries`, which `usable` checked.
fn non_empty(iovs: u32, entries: u32) -> impl Iterator<Item = guest::Iovec> {
    (0..entries)
        .filter_map(move |index| guest::iovec(iovs, index).ok())
        .filter(|iov| iov.len != 0)
}

/// The iovecs native transfers at `offset`: all of them, unless together
/// they would pass `i64::MAX` where the first non-empty one, all native ever
/// transfers, would not. Then only that one, so the host answers as
/// native's does (a read at the end of a file, a write too large) rather
/// than refusing a transfer native never asks for.
pub fn native_count(iovs: u32, count: u32, offset: u64) -> Result<u32> {
    let total = u64::from(total_len(iovs, count)?);
    if offset.saturating_add(total) <= i64::MAX as u64 {
        return Ok(count);
    }
    let first = (0..count).find(|&index| guest::iovec(iovs, index).is_ok_and(|iov| iov.len != 0));
    Ok(first.map_or(count, |index| index + 1))
}

/// How many bytes the call transfers at most.
pub fn total_len(iovs: u32, count: u32) -> Result<u32> {
    Ok(usable(iovs, count)?.total)
}

/// The bytes of the usable iovecs as one slice: the program's own buffer
/// when there is a single one, else a gathered copy in scratch.
///
/// # Safety
///
/// As for [`guest::bytes`]: the slice is used only during the current call,
/// while scratch is not reset, and with the program's memory not written.
pub unsafe fn gather<'a>(state: &State, iovs: u32, count: u32) -> Result<&'a [u8]> {
    let (Usable { entries, total }, first) = usable_and_first(iovs, count)?;
    let Some(first) = first else {
        return Ok(&[]);
    };
    if first.len == total {
        // SAFETY: the caller keeps the same contract.
        return unsafe { guest::bytes(first.buf, first.len) };
    }
    let total = total as usize;
    let address = state.arena.alloc_scratch(1, total)?;
    // SAFETY: `address` is `total` fresh bytes of scratch, used only by
    // this call.
    let buffer = unsafe { core::slice::from_raw_parts_mut(address as *mut u8, total) };
    let mut filled = 0usize;
    for iov in non_empty(iovs, entries) {
        // SAFETY: `src` is copied out at once, before anything else runs.
        let src = unsafe { guest::bytes(iov.buf, iov.len) }?;
        let dest = buffer
            .get_mut(filled..filled + src.len())
            .ok_or(Errno::INVAL)?;
        dest.copy_from_slice(src);
        filled += src.len();
    }
    Ok(buffer)
}

/// The bytes of a call whose only iovec holds 1 to `max` bytes in the
/// program's own pages, away from address 0, in place: what `gather` answers
/// for that call, found without the general rules. `None` for every other
/// call, which `gather` handles.
///
/// # Safety
///
/// As for [`gather`].
#[inline(always)]
pub unsafe fn single_buffer<'a>(iovs: u32, count: u32, max: u32) -> Option<&'a [u8]> {
    if count != 1 {
        return None;
    }
    let iov = guest::first_iovec_in_place(iovs)?;
    if iov.len == 0 || iov.len > max {
        return None;
    }
    // SAFETY: the caller keeps the same contract.
    unsafe { guest::bytes_in_place(iov.buf, iov.len) }
}

/// A read into the program's iovecs: points the host's result at the first
/// iovec, and spreads it over the others only when it did not fit there.
pub struct Scatter {
    iovs: u32,
    entries: u32,
    pub total: u32,
    /// Where the host was told to put the bytes, if in the program's buffer.
    direct: Option<*mut u8>,
}

impl Scatter {
    pub fn prepare(state: &State, iovs: u32, count: u32) -> Result<Scatter> {
        let (Usable { entries, total }, first) = usable_and_first(iovs, count)?;
        let mut direct = None;
        if let Some(first) = first {
            direct = guest::direct_destination(first.buf, first.len)?;
            if let Some(dest) = direct {
                state.arena.redirect_next(dest, first.len as usize);
            }
        }
        Ok(Scatter {
            iovs,
            entries,
            total,
            direct,
        })
    }

    /// Places what the host returned and says how many bytes that was.
    pub fn finish(self, state: &State, bytes: RawBytes) -> Result<u32> {
        state.arena.clear_redirect();
        if self
            .direct
            .is_some_and(|dest| bytes.ptr == dest.cast_const())
        {
            return Ok(bytes.len as u32);
        }
        // SAFETY: lowered into scratch by this call.
        scatter(self.iovs, self.entries, unsafe { bytes.as_slice() })
    }
}

/// Copies `data` over the iovecs in order and says how much fitted.
pub fn scatter(iovs: u32, count: u32, mut data: &[u8]) -> Result<u32> {
    let Usable { entries, .. } = usable(iovs, count)?;
    let mut placed = 0u32;
    for iov in non_empty(iovs, entries) {
        if data.is_empty() {
            break;
        }
        let (now, rest) = data.split_at(data.len().min(iov.len as usize));
        guest::write_bytes(iov.buf, now)?;
        placed += now.len() as u32;
        data = rest;
    }
    Ok(placed)
}
