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
///
/// # Safety
///
/// The host lowered `list` into scratch during the current call, and the
/// records, and the strings they point to, are used only while that scratch
/// is neither reset nor left behind by the call's end: `'a` must not outlive it.
unsafe fn records<'a>(list: RawList, parts: usize) -> impl Iterator<Item = &'a [RawBytes]> {
    (0..list.len).map(move |index| {
        let first = (list.ptr as *const RawBytes).wrapping_add(index * parts);
        // SAFETY: by the contract, `list.len` records of `parts` strings
        // each lie at `list.ptr`, in scratch that is still live.
        unsafe { core::slice::from_raw_parts(first, parts) }
    })
}

/// The records the program sees: all but the adapter's own variable.
///
/// # Safety
///
/// As for [`records`].
unsafe fn elements<'a>(list: RawList, parts: usize) -> impl Iterator<Item = &'a [RawBytes]> {
    // SAFETY: the caller keeps the contract, which is the same.
    let all = unsafe { records(list, parts) };
    all.filter(move |record| match record {
        // SAFETY: the name was lowered with the list, which is still live.
        [name, _] => !is_listen_variable(unsafe { name.as_slice() }),
        _ => true,
    })
}

/// Every environment variable as (name, value), lowered into scratch.
///
/// # Safety
///
/// The slices are used only while this call's scratch is neither reset
/// nor left behind by the preview1 call's end: `'a` must not outlive it.
#[cfg(feature = "listener")]
pub unsafe fn variables<'a>() -> impl Iterator<Item = (&'a [u8], &'a [u8])> {
    // SAFETY: the list is lowered just now, and the caller's contract covers
    // the rest of its use.
    let all = unsafe { records(cli::get_environment(), 2) };
    all.filter_map(|record| match record {
        // SAFETY: lowered with the list, which is still live.
        [name, value] => Some(unsafe { (name.as_slice(), value.as_slice()) }),
        _ => None,
    })
}

/// Writes `list`'s strings (each a group of `parts` joined by `separator`),
/// which the host lowered in this call, as NUL-terminated strings into
/// `buf`, and their addresses into `pointers`.
fn write_strings(
    list: RawList,
    parts: usize,
    separator: u8,
    pointers: u32,
    buf: u32,
) -> Result<()> {
    let mut cursor = buf;
    // SAFETY: the caller lowered `list` in this call, and nothing here
    // resets scratch.
    let elements = unsafe { elements(list, parts) };
    for (index, element) in elements.enumerate() {
        let index = u32::try_from(index).map_err(|_| Errno::OVERFLOW)?;
        guest::write_u32(guest::offset(pointers, index, 4, 0)?, cursor)?;
        for (part_index, part) in element.iter().enumerate() {
            if part_index > 0 {
                guest::write_u8(cursor, separator)?;
                cursor = cursor.checked_add(1).ok_or(Errno::OVERFLOW)?;
            }
            // SAFETY: lowered with the list, which is still live.
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
    // SAFETY: the caller lowered `list` in this call, and nothing here
    // resets scratch.
    let elements = unsafe { elements(list, parts) };
    for element in elements {
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
