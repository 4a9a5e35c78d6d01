//! `args_*` and `environ_*`: the program's arguments and environment.
//!
//! Each call asks the host afresh (it must return the same values every
//! time) and lowers the answer into scratch, which grows as far as needed,
//! so there is no limit on count or size beyond memory itself.

use crate::abi::{Errno, Result};
use crate::entry::preview1_call;
use crate::listen_variable::is_listen_variable;
use crate::state::guest;
use crate::wasi::{RawBytes, RawList, cli};

/// Walks a lowered `list<string>` or `list<tuple<string, string>>`: each
/// record is `parts` strings in a row.
fn records(list: RawList, parts: usize) -> impl Iterator<Item = &'static [RawBytes]> {
    (0..list.len).map(move |index| {
        let first = (list.ptr as *const RawBytes).wrapping_add(index * parts);
        // SAFETY: the host lowered `list.len` records of `parts` strings
        // each at `list.ptr`, into scratch that outlives this call's use of it.
        unsafe { core::slice::from_raw_parts(first, parts) }
    })
}

/// The records the program sees: all but the adapter's own variable.
fn elements(list: RawList, parts: usize) -> impl Iterator<Item = &'static [RawBytes]> {
    records(list, parts).filter(move |record| match record {
        // SAFETY: see `records`.
        [name, _] => !is_listen_variable(unsafe { name.as_slice() }),
        _ => true,
    })
}

/// Every environment variable as (name, value), lowered into scratch.
#[cfg(feature = "listener")]
pub fn variables() -> impl Iterator<Item = (&'static [u8], &'static [u8])> {
    records(cli::get_environment(), 2).filter_map(|record| match record {
        // SAFETY: see `records`.
        [name, value] => Some(unsafe { (name.as_slice(), value.as_slice()) }),
        _ => None,
    })
}

/// Writes `strings` (each a group of `parts` joined by `separator`) as
/// NUL-terminated strings into `buf`, and their addresses into `pointers`.
fn write_strings(
    list: RawList,
    parts: usize,
    separator: u8,
    pointers: u32,
    buf: u32,
) -> Result<()> {
    let mut cursor = buf;
    for (index, element) in elements(list, parts).enumerate() {
        let index = u32::try_from(index).map_err(|_| Errno::OVERFLOW)?;
        guest::write_u32(guest::offset(pointers, index, 4, 0)?, cursor)?;
        for (part_index, part) in element.iter().enumerate() {
            if part_index > 0 {
                guest::write_u8(cursor, separator)?;
                cursor = cursor.checked_add(1).ok_or(Errno::OVERFLOW)?;
            }
            // SAFETY: see `elements`.
            let bytes = unsafe { part.as_slice() };
            guest::write_bytes(cursor, bytes)?;
            cursor = guest::offset(cursor, 1, bytes.len() as u32, 0)?;
        }
        guest::write_u8(cursor, 0)?;
        cursor = cursor.checked_add(1).ok_or(Errno::OVERFLOW)?;
    }
    Ok(())
}

/// Writes the element count and the total size of the NUL-terminated
/// strings (parts joined by one separator byte each).
fn write_sizes(list: RawList, parts: usize, count_ptr: u32, size_ptr: u32) -> Result<()> {
    let (mut count, mut size) = (0u32, 0u32);
    for element in elements(list, parts) {
        for part in element {
            size = size.checked_add(part.len as u32).ok_or(Errno::OVERFLOW)?;
        }
        // `parts - 1` separators and one NUL.
        size = size.checked_add(parts as u32).ok_or(Errno::OVERFLOW)?;
        count += 1;
    }
    guest::write_u32(count_ptr, count)?;
    guest::write_u32(size_ptr, size)
}

#[unsafe(no_mangle)]
pub extern "C" fn args_sizes_get(argc: u32, argv_buf_size: u32) -> Errno {
    preview1_call(|_| write_sizes(cli::get_arguments(), 1, argc, argv_buf_size))
}

#[unsafe(no_mangle)]
pub extern "C" fn args_get(argv: u32, argv_buf: u32) -> Errno {
    preview1_call(|_| write_strings(cli::get_arguments(), 1, 0, argv, argv_buf))
}

#[unsafe(no_mangle)]
pub extern "C" fn environ_sizes_get(count: u32, buf_size: u32) -> Errno {
    preview1_call(|_| write_sizes(cli::get_environment(), 2, count, buf_size))
}

#[unsafe(no_mangle)]
pub extern "C" fn environ_get(environ: u32, environ_buf: u32) -> Errno {
    preview1_call(|_| write_strings(cli::get_environment(), 2, b'=', environ, environ_buf))
}
