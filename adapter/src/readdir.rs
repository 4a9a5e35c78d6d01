//! `fd_readdir`: listing a directory a bufferful at a time.
//!
//! Preview1 resumes a listing from a cookie; WASI 0.2 only offers a stream
//! that starts at the beginning. Each directory fd therefore keeps its
//! stream open between calls, with the index of the entry it yields next and
//! the one entry that did not fit in the program's last buffer. Resuming
//! where the last call stopped (what every libc does) costs nothing extra;
//! only a cookie from elsewhere restarts the stream and skips ahead, reading
//! names without doing any other work for them. A read from cookie 0 or 1
//! (a new pass, as after `rewinddir`) always opens a new stream, so it shows
//! entries added since.
//!
//! Cookies are entry indices, as in native preview1: `.` is 0, `..` is 1,
//! the stream's entries follow from 2, and each dirent's `d_next` is its
//! index plus one. Inode numbers are the metadata hashes native reports.

use crate::abi::{Errno, Fd, Result, filetype};
use crate::descriptor_facts::filetype_of;
use crate::dirent_buffer::{DirentBuffer, Fit};
use crate::entry::preview1_call;
use crate::fd_table::{Directory, FdEntry};
use crate::listings::{self, Listing, close_stream, listing};
use crate::state::{State, guest};
use crate::wasi::filesystem::{self, DirectoryEntryStream, descriptor_flags, open_flags};

fn read_dir(
    state: &State,
    fd: Fd,
    buf: u32,
    buf_len: u32,
    cookie: u64,
    bufused: u32,
) -> Result<()> {
    let mut directory: Directory = state.fds.directory(fd)?;
    let at = match directory.listing {
        Some(at) => at,
        None => {
            let at = listings::allocate(state)?;
            // SAFETY: `at` is fresh from `allocate`, and no other reference
            // to it exists.
            let entry = unsafe { listing(state, at) };
            entry.stream = 0;
            entry.dot = 0;
            entry.has_pending = false;
            if directory.preopen().is_some() {
                let dot = [b'.'];
                let dot = filesystem::Path::assume_checked(&dot);
                entry.dot = directory
                    .handle
                    .open_at(0, dot, open_flags::DIRECTORY, descriptor_flags::READ)
                    .map_err(Errno::from)?
                    .0;
            }
            directory.listing = Some(at);
            state.fds.set(fd, FdEntry::Directory(directory));
            at
        }
    };
    // SAFETY: the directory fd holds `at` from `allocate`, and the
    // reference above has ended; this is the only one for the rest of the call.
    let entry = unsafe { listing(state, at) };
    let handle = if entry.dot != 0 {
        filesystem::Descriptor(entry.dot)
    } else {
        directory.handle
    };
    let mut out = DirentBuffer::new(buf_len, |offset, bytes| {
        guest::write_bytes(guest::offset(buf, 1, offset, 0)?, bytes)
    });
    if buf_len == 0 {
        return guest::write_u32(bufused, 0);
    }

    let mut index = cookie;
    if index < 2 {
        // A read that starts with the dot entries is a new pass over the
        // directory, as after `rewinddir`: it must see the directory as it
        // is now (native lists it afresh on every call), not the rest of an
        // old stream.
        close_stream(entry);
        entry.has_pending = false;
        let ino = handle.metadata_hash().map_err(Errno::from)?;
        // Built on the stack: a byte-string literal would be a data section.
        let dots = [b'.'; 2];
        for dot_index in index..2 {
            let name = dots.get(..dot_index as usize + 1).unwrap_or(&[]);
            if out.push(dot_index + 1, ino, filetype::DIRECTORY, name)? != Fit::Whole {
                return guest::write_u32(bufused, out.used);
            }
        }
        index = 2;
    }

    // Position the stream at `index`, reusing what the last call left.
    if entry.has_pending && entry.stream_index == index + 1 {
        let name_len = entry.pending_len as usize;
        let name = entry.pending_name.get(..name_len).unwrap_or(&[]);
        match out.push(index + 1, entry.pending_ino, entry.pending_type, name)? {
            Fit::Truncated => return guest::write_u32(bufused, out.used),
            Fit::WholeAndFull => {
                entry.has_pending = false;
                return guest::write_u32(bufused, out.used);
            }
            Fit::Whole => {}
        }
        entry.has_pending = false;
        index += 1;
    } else if entry.stream == 0 || entry.stream_index != index || entry.has_pending {
        close_stream(entry);
        entry.has_pending = false;
        entry.stream = handle.read_directory().map_err(Errno::from)?.into_handle();
        entry.stream_index = 2;
        while entry.stream_index < index {
            let mark = state.arena.scratch_mark();
            let next = current_stream(entry).read().map_err(Errno::from)?;
            state.arena.reset_scratch(mark);
            if next.is_none() {
                return guest::write_u32(bufused, out.used);
            }
            entry.stream_index += 1;
        }
    }

    loop {
        let mark = state.arena.scratch_mark();
        let Some(next) = current_stream(entry).read().map_err(Errno::from)? else {
            break;
        };
        entry.stream_index += 1;
        // SAFETY: lowered into scratch by this call, and not reset until
        // the entry has been written.
        let name = unsafe { next.name.as_slice() };
        let path = filesystem::Path::assume_checked(name);
        let ino = handle.metadata_hash_at(0, path).map_err(Errno::from)?;
        let kind = filetype_of(next.kind);
        match out.push(index + 1, ino, kind, name)? {
            Fit::Whole => {}
            Fit::WholeAndFull => break,
            Fit::Truncated => {
                // Keep the entry for the next call, which will ask for it
                // again; a name too long to keep makes that call restart.
                if let Some(room) = entry.pending_name.get_mut(..name.len()) {
                    room.copy_from_slice(name);
                    entry.pending_len = name.len() as u32;
                    entry.pending_type = kind;
                    entry.pending_ino = ino;
                    entry.has_pending = true;
                }
                break;
            }
        }
        state.arena.reset_scratch(mark);
        index += 1;
    }
    guest::write_u32(bufused, out.used)
}

fn current_stream(entry: &Listing) -> core::mem::ManuallyDrop<DirectoryEntryStream> {
    // The listing keeps owning the handle, so this view must not drop it.
    core::mem::ManuallyDrop::new(DirectoryEntryStream::from_handle(entry.stream))
}

#[unsafe(no_mangle)]
pub extern "C" fn fd_readdir(fd: Fd, buf: u32, buf_len: u32, cookie: u64, bufused: u32) -> Errno {
    preview1_call(|state| read_dir(state, fd, buf, buf_len, cookie, bufused))
}
