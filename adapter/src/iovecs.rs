//! The program's iovecs: gathering them for a write, and scattering a read
//! over them with as few copies as the host allows.

use crate::abi::{Errno, Result};
use crate::state::{State, guest};
use crate::wasi::RawBytes;

/// The iovecs of one call, with empty ones skipped.
pub fn non_empty_iovecs(iovs: u32, count: u32) -> impl Iterator<Item = Result<guest::Iovec>> {
    (0..count)
        .map(move |index| guest::iovec(iovs, index))
        .filter(|iov| !matches!(iov, Ok(guest::Iovec { len: 0, .. })))
}

pub fn total_len(iovs: u32, count: u32) -> Result<u32> {
    let mut total: u32 = 0;
    for iov in non_empty_iovecs(iovs, count) {
        total = total.checked_add(iov?.len).ok_or(Errno::INVAL)?;
    }
    Ok(total)
}

/// The bytes of all iovecs as one slice: the program's own buffer when there
/// is a single one, else a gathered copy in scratch.
pub fn gather<'a>(state: &State, iovs: u32, count: u32) -> Result<&'a [u8]> {
    let mut single = None;
    let mut non_empty = 0;
    for iov in non_empty_iovecs(iovs, count) {
        single = Some(iov?);
        non_empty += 1;
    }
    match single {
        None => Ok(&[]),
        Some(iov) if non_empty == 1 => guest::bytes(iov.buf, iov.len),
        Some(_) => {
            let total = total_len(iovs, count)? as usize;
            let address = state.arena.alloc_scratch(1, total)?;
            // SAFETY: `address` is `total` fresh bytes of scratch, used only
            // by this call.
            let buffer = unsafe { core::slice::from_raw_parts_mut(address as *mut u8, total) };
            let mut filled = 0usize;
            for iov in non_empty_iovecs(iovs, count) {
                let iov = iov?;
                let src = guest::bytes(iov.buf, iov.len)?;
                let dest = buffer.get_mut(filled..filled + src.len()).ok_or(Errno::INVAL)?;
                dest.copy_from_slice(src);
                filled += src.len();
            }
            Ok(buffer)
        }
    }
}

/// A read into the program's iovecs: points the host's result at the first
/// iovec, and spreads it over the others only when it did not fit there.
pub struct Scatter {
    iovs: u32,
    count: u32,
    pub total: u32,
    first: Option<guest::Iovec>,
}

impl Scatter {
    pub fn prepare(state: &State, iovs: u32, count: u32) -> Result<Scatter> {
        let total = total_len(iovs, count)?;
        let first = non_empty_iovecs(iovs, count).next().transpose()?;
        if let Some(first) = first {
            state.arena.redirect_next(guest::bytes_mut(first.buf, first.len)?.as_mut_ptr(), first.len as usize);
        }
        Ok(Scatter { iovs, count, total, first })
    }

    /// Places what the host returned and says how many bytes that was.
    pub fn finish(self, state: &State, bytes: RawBytes) -> Result<u32> {
        state.arena.clear_redirect();
        if self.first.is_some_and(|first| bytes.ptr as usize == first.buf as usize) {
            return Ok(bytes.len as u32);
        }
        // SAFETY: lowered into scratch by this call.
        scatter(self.iovs, self.count, unsafe { bytes.as_slice() })
    }
}

/// Copies `data` over the iovecs in order and says how much fitted.
pub fn scatter(iovs: u32, count: u32, mut data: &[u8]) -> Result<u32> {
    let mut placed = 0u32;
    for iov in non_empty_iovecs(iovs, count) {
        if data.is_empty() {
            break;
        }
        let iov = iov?;
        let (now, rest) = data.split_at(data.len().min(iov.len as usize));
        guest::write_bytes(iov.buf, now)?;
        placed += now.len() as u32;
        data = rest;
    }
    Ok(placed)
}

