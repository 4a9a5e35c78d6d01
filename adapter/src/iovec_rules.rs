//! Which of a call's iovecs the adapter may transfer, decided from their
//! lengths and whether their buffers lie in memory alone (the rule is
//! explained in `iovecs`). Nothing here touches memory, so
//! `adapter-build/tests/adapter_logic.rs` tests it on the host.

use crate::abi::{Errno, NATIVE_COPY_BUDGET, Result, iovec};

/// The usable part of one call's iovec array.
#[derive(Clone, Copy)]
pub struct Usable {
    /// How many entries of the array, from the first, are used.
    pub entries: u32,
    /// The sum of their lengths.
    pub total: u32,
}

/// The longest usable prefix of an array of `count` iovecs, where
/// `entry(index)` reads entry `index` as its length and whether its buffer
/// lies in the program's memory (an error if the entry itself cannot be
/// read).
pub fn usable(
    count: u32,
    mut entry: impl FnMut(u32) -> Result<(u32, Result<()>)>,
) -> Result<Usable> {
    // Native refuses an array, or an array and its first buffer, larger than
    // it copies for one call, before it reads any of it.
    let array_bytes = u64::from(count) * u64::from(iovec::SIZE);
    if array_bytes > NATIVE_COPY_BUDGET {
        return Err(Errno::NOMEM);
    }
    let mut total: u32 = 0;
    for index in 0..count {
        let shorter = Usable {
            entries: index,
            total,
        };
        let (len, in_memory) = match entry(index) {
            Ok(entry) => entry,
            Err(errno) if total == 0 => return Err(errno),
            Err(_) => return Ok(shorter),
        };
        if len == 0 {
            continue;
        }
        let within_budget = array_bytes + u64::from(total) + u64::from(len) <= NATIVE_COPY_BUDGET;
        if !within_budget {
            return if total == 0 {
                Err(Errno::NOMEM)
            } else {
                Ok(shorter)
            };
        }
        if let Err(errno) = in_memory {
            return if total == 0 { Err(errno) } else { Ok(shorter) };
        }
        match total.checked_add(len) {
            Some(sum) => total = sum,
            None => return Ok(shorter),
        }
    }
    Ok(Usable {
        entries: count,
        total,
    })
}
