//! What preview1 reports about a file or directory, shared by the areas that
//! report it: the filetype of a 0.2 descriptor type, the `filestat` record,
//! the rights of a preopen, and the timestamps the `*_set_times` calls take.

use crate::abi::{Errno, Result, filestat, filetype, fstflags, rights};
use crate::arguments;
use crate::state::guest;
use crate::wasi::filesystem::{NewTimestamp, Stat, descriptor_type};

/// The preview1 `filetype` of a WASI 0.2 `descriptor-type`.
pub fn filetype_of(kind: u8) -> u8 {
    // One nibble per descriptor type, packed into an integer operand: a
    // `match` becomes a lookup table (a data section) or a call's worth of
    // branches. Preview1 cannot tell stream from datagram sockets, and has
    // no FIFO (which stays unknown, as do types past the last).
    const PACKED: u32 = {
        let pairs = [
            (descriptor_type::BLOCK_DEVICE, filetype::BLOCK_DEVICE),
            (
                descriptor_type::CHARACTER_DEVICE,
                filetype::CHARACTER_DEVICE,
            ),
            (descriptor_type::DIRECTORY, filetype::DIRECTORY),
            (descriptor_type::SYMBOLIC_LINK, filetype::SYMBOLIC_LINK),
            (descriptor_type::REGULAR_FILE, filetype::REGULAR_FILE),
            (descriptor_type::SOCKET, filetype::SOCKET_STREAM),
        ];
        let mut packed = 0u32;
        let mut i = 0;
        while i < pairs.len() {
            packed |= (pairs[i].1 as u32) << (pairs[i].0 * 4);
            i += 1;
        }
        packed
    };
    if kind < 8 {
        ((PACKED >> (u32::from(kind) * 4)) & 0xf) as u8
    } else {
        filetype::UNKNOWN
    }
}

/// The rights native preview1 reports for a preopened directory.
pub const PREOPEN_RIGHTS: u64 = rights::PATH_CREATE_DIRECTORY
    | rights::PATH_CREATE_FILE
    | rights::PATH_LINK_SOURCE
    | rights::PATH_LINK_TARGET
    | rights::PATH_OPEN
    | rights::FD_READDIR
    | rights::PATH_READLINK
    | rights::PATH_RENAME_SOURCE
    | rights::PATH_RENAME_TARGET
    | rights::PATH_SYMLINK
    | rights::PATH_REMOVE_DIRECTORY
    | rights::PATH_UNLINK_FILE
    | rights::PATH_FILESTAT_GET
    | rights::PATH_FILESTAT_SET_TIMES
    | rights::FD_FILESTAT_GET
    | rights::FD_FILESTAT_SET_TIMES;

/// What native preview1 lets files opened under a preopen have.
pub const PREOPEN_INHERITING_RIGHTS: u64 = PREOPEN_RIGHTS
    | rights::FD_DATASYNC
    | rights::FD_READ
    | rights::FD_SEEK
    | rights::FD_FDSTAT_SET_FLAGS
    | rights::FD_SYNC
    | rights::FD_TELL
    | rights::FD_WRITE
    | rights::FD_ADVISE
    | rights::FD_ALLOCATE
    | rights::FD_FILESTAT_GET
    | rights::FD_FILESTAT_SET_SIZE
    | rights::FD_FILESTAT_SET_TIMES
    | rights::POLL_FD_READWRITE;

/// Writes a `filestat` record. Each of its fields fills an 8-byte slot
/// (the filetype's byte, then zero padding), so it is written slot by slot.
/// Inlined, so that the fields go from the caller's locals to the stores.
#[inline(always)]
pub fn write_filestat(
    buf: u32,
    dev: u64,
    ino: u64,
    kind: u8,
    nlink: u64,
    size: u64,
    times: [u64; 3],
) -> Result<()> {
    let mut slots = [0u64; filestat::SIZE as usize / 8];
    let mut set = |offset: u32, value: u64| slots[offset as usize / 8] = value;
    set(filestat::DEV, dev);
    set(filestat::INO, ino);
    set(filestat::FILETYPE, u64::from(kind));
    set(filestat::NLINK, nlink);
    set(filestat::FILE_SIZE, size);
    set(filestat::ATIM, times[0]);
    set(filestat::MTIM, times[1]);
    set(filestat::CTIM, times[2]);
    guest::write_u64_slots(buf, slots)
}

/// The `filestat` of a stat result, with the inode native reports.
#[inline(always)]
pub fn write_stat(buf: u32, stat: Stat, ino: u64) -> Result<()> {
    let times = [
        stat.atim.ok_or(Errno::OVERFLOW)?,
        stat.mtim.ok_or(Errno::OVERFLOW)?,
        stat.ctim.ok_or(Errno::OVERFLOW)?,
    ];
    write_filestat(
        buf,
        1,
        ino,
        filetype_of(stat.kind),
        stat.link_count,
        stat.size,
        times,
    )
}

/// The `new-timestamp` for one of `fd_filestat_set_times`'s two times.
fn new_timestamp(flags: u16, set: u16, now: u16, nanos: u64) -> Result<NewTimestamp> {
    match (flags & set != 0, flags & now != 0) {
        (true, true) => Err(Errno::INVAL),
        (true, false) => Ok(NewTimestamp::At {
            seconds: nanos / 1_000_000_000,
            nanoseconds: (nanos % 1_000_000_000) as u32,
        }),
        (false, true) => Ok(NewTimestamp::Now),
        (false, false) => Ok(NewTimestamp::NoChange),
    }
}

/// Both times of a `*_set_times` call, checked as native checks them.
pub fn new_timestamps(atim: u64, mtim: u64, flags: u32) -> Result<(NewTimestamp, NewTimestamp)> {
    let flags = arguments::flags(flags, 16, fstflags::ALL.into()) as u16;
    Ok((
        new_timestamp(flags, fstflags::ATIM, fstflags::ATIM_NOW, atim)?,
        new_timestamp(flags, fstflags::MTIM, fstflags::MTIM_NOW, mtim)?,
    ))
}
