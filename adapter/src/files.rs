//! Reading, writing and describing open descriptors (`fd_*`).
//!
//! I/O honours every iovec with one host call where 0.2 allows it: a write
//! gathers its iovecs into one buffer, and a read asks for the total length
//! at once, landing directly in the first iovec when it fits there.
//! Positions of files are kept by the adapter, as preview1 semantics need.

use crate::abi::{ADVICE_MAX, Errno, Fd, Result, fdflags, fdstat, filetype, rights, whence};
use crate::arguments;
use crate::descriptor_facts::{
    PREOPEN_INHERITING_RIGHTS, PREOPEN_RIGHTS, filetype_of, new_timestamps, write_filestat,
    write_stat,
};
use crate::entry::{preview1_call, preview1_call_without_state};
use crate::fd_table::{Connection, FdEntry, File, Listener};
use crate::iovecs::{Scatter, gather, native_count, single_buffer, total_len};
use crate::sockets;
use crate::state::{State, guest};
use crate::wasi::cli::{self, StdioKind};
use crate::wasi::filesystem::{NewTimestamp, Path, descriptor_flags};
use crate::wasi::io::{BLOCKING_WRITE_LIMIT, OutputStream, StreamError};

fn write(state: &State, fd: Fd, iovs: u32, count: u32, nwritten: u32) -> Result<()> {
    let entry = state.fds.get_without_preopen_discovery(fd)?;
    let n = match entry {
        FdEntry::Stdout { .. } | FdEntry::Stderr { .. } => {
            let stream = state.fds.output_stream(fd, entry)?;
            // SAFETY: the bytes go to the host within this call; nothing
            // resets scratch or writes the program's memory before then.
            let bytes = unsafe { gather(state, iovs, count) }?;
            if !bytes.is_empty() {
                stream.write_all(bytes)?;
            }
            bytes.len() as u32
        }
        FdEntry::File(mut file) => {
            if file.flags & fdflags::APPEND == 0 {
                check_offset(file.position, file.writable, iovs, count)?;
            }
            if !file.writable {
                return Err(Errno::BADF);
            }
            let appending = file.flags & fdflags::APPEND != 0;
            let count = if appending {
                count
            } else {
                native_count(iovs, count, file.position)?
            };
            // SAFETY: the bytes go to the host within this call; nothing
            // resets scratch or writes the program's memory before then.
            let bytes = unsafe { gather(state, iovs, count) }?;
            let n = if appending {
                let n = append(file, bytes)?;
                // Native moves the position to the size the file has now.
                file.position = file.handle.stat()?.size;
                n
            } else {
                let n = file.handle.write(bytes, file.position)?;
                file.position = file.position.checked_add(n).ok_or(Errno::OVERFLOW)?;
                n
            };
            state.fds.set(fd, FdEntry::File(file));
            n as u32
        }
        FdEntry::Connection(connection) => sockets::send(state, connection, iovs, count)?,
        FdEntry::Listener(_) => return Err(Errno::NOTCONN),
        _ => return Err(Errno::BADF),
    };
    guest::write_u32(nwritten, n)
}

fn read(state: &State, fd: Fd, iovs: u32, count: u32, nread: u32) -> Result<()> {
    let entry = state.fds.get_without_preopen_discovery(fd)?;
    let n = match entry {
        FdEntry::Stdin { .. } => {
            let stream = state.fds.input_stream(fd, entry)?;
            let scatter = Scatter::prepare(state, iovs, count)?;
            // A read of nothing reads nothing on native; some hosts' stdin
            // refuses it.
            if scatter.total == 0 {
                return guest::write_u32(nread, 0);
            }
            let mut result = stream.blocking_read(u64::from(scatter.total));
            if matches!(result, Ok(bytes) if bytes.len == 0) && scatter.total > 0 {
                // Some hosts return nothing before the first data arrives,
                // although the read should block: wait, then read again.
                stream.subscribe().block();
                result = stream.blocking_read(u64::from(scatter.total));
            }
            match result {
                // Native preview1 reports a read that returned nothing as `EINTR`.
                Ok(bytes) if bytes.len == 0 => {
                    state.arena.clear_redirect();
                    return Err(Errno::INTR);
                }
                Ok(bytes) => scatter.finish(state, bytes)?,
                Err(StreamError::Closed) => 0,
                Err(error) => return Err(error.into()),
            }
        }
        FdEntry::File(mut file) => {
            check_offset(file.position, file.readable, iovs, count)?;
            if !file.readable {
                return Err(Errno::BADF);
            }
            let count = native_count(iovs, count, file.position)?;
            let scatter = Scatter::prepare(state, iovs, count)?;
            let bytes = file.handle.read(u64::from(scatter.total), file.position);
            let n = scatter.finish(state, bytes?)?;
            file.position = file
                .position
                .checked_add(u64::from(n))
                .ok_or(Errno::OVERFLOW)?;
            state.fds.set(fd, FdEntry::File(file));
            n
        }
        FdEntry::Connection(connection) => sockets::receive(state, connection, iovs, count)?,
        FdEntry::Listener(_) => return Err(Errno::NOTCONN),
        _ => return Err(Errno::BADF),
    };
    guest::write_u32(nread, n)
}

/// Native refuses a file offset past `i64::MAX` (`EINVAL`, as Linux does)
/// before it checks the fd's rights; where the fd has the right, moving no
/// bytes succeeds there, and so does an append, which ignores the offset.
fn check_offset(offset: u64, permitted: bool, iovs: u32, count: u32) -> Result<()> {
    if offset > i64::MAX as u64 && (!permitted || total_len(iovs, count)? > 0) {
        return Err(Errno::INVAL);
    }
    Ok(())
}

fn pread(state: &State, fd: Fd, iovs: u32, count: u32, offset: u64, nread: u32) -> Result<()> {
    let file = match state.fds.get(fd)? {
        FdEntry::File(file) => {
            check_offset(offset, file.readable, iovs, count)?;
            if !file.readable {
                return Err(Errno::BADF);
            }
            file
        }
        FdEntry::Stdin { .. } | FdEntry::Listener(_) | FdEntry::Connection(_) => {
            return Err(Errno::SPIPE);
        }
        _ => return Err(Errno::BADF),
    };
    let count = native_count(iovs, count, offset)?;
    let scatter = Scatter::prepare(state, iovs, count)?;
    let bytes = file.handle.read(u64::from(scatter.total), offset);
    let n = scatter.finish(state, bytes?)?;
    guest::write_u32(nread, n)
}

fn pwrite(state: &State, fd: Fd, iovs: u32, count: u32, offset: u64, nwritten: u32) -> Result<()> {
    let file = match state.fds.get(fd)? {
        FdEntry::File(file) => {
            if file.flags & fdflags::APPEND == 0 {
                check_offset(offset, file.writable, iovs, count)?;
            }
            if !file.writable {
                return Err(Errno::BADF);
            }
            file
        }
        FdEntry::Stdout { .. }
        | FdEntry::Stderr { .. }
        | FdEntry::Listener(_)
        | FdEntry::Connection(_) => return Err(Errno::SPIPE),
        _ => return Err(Errno::BADF),
    };
    // As on Linux, a file opened for appending ignores the offset.
    let appending = file.flags & fdflags::APPEND != 0;
    let count = if appending {
        count
    } else {
        native_count(iovs, count, offset)?
    };
    // SAFETY: the bytes go to the host within this call; nothing resets
    // scratch or writes the program's memory before then.
    let bytes = unsafe { gather(state, iovs, count) }?;
    let n = if appending {
        append(file, bytes)?
    } else {
        file.handle.write(bytes, offset)?
    };
    guest::write_u32(nwritten, n as u32)
}

/// Writes `bytes` at the end of `file` through the host's append stream, so
/// that each write lands at the end as the file is at that moment, even when
/// another program appends to it too (a size read first would be stale).
fn append(file: File, bytes: &[u8]) -> Result<u64> {
    if bytes.is_empty() {
        return Ok(0);
    }
    let stream = file.handle.append_via_stream()?;
    let written = stream.write_all(bytes);
    stream.drop_handle();
    written?;
    Ok(bytes.len() as u64)
}

fn seek(state: &State, fd: Fd, offset: i64, how: u32, newoffset: u32) -> Result<()> {
    let how = arguments::enum_value(how, 8, whence::END);
    let mut file: File = state.fds.seekable(fd)?;
    let position = match how {
        whence::SET => u64::try_from(offset).map_err(|_| Errno::INVAL)?,
        whence::CUR => file
            .position
            .checked_add_signed(offset)
            .ok_or(Errno::INVAL)?,
        _ => file
            .handle
            .stat()?
            .size
            .checked_add_signed(offset)
            .ok_or(Errno::INVAL)?,
    };
    file.position = position;
    state.fds.set(fd, FdEntry::File(file));
    guest::write_u64(newoffset, position)
}

/// Type, flags and rights as native preview1 reports them for each kind of fd.
/// What a program may do with a listener: accept, wait for connections,
/// and switch between blocking and not.
const LISTENER_RIGHTS: u64 = rights::SOCK_ACCEPT
    | rights::POLL_FD_READWRITE
    | rights::FD_FDSTAT_SET_FLAGS
    | rights::FD_FILESTAT_GET;
/// What a program may do with a connection.
const CONNECTION_RIGHTS: u64 = rights::FD_READ
    | rights::FD_WRITE
    | rights::POLL_FD_READWRITE
    | rights::SOCK_SHUTDOWN
    | rights::FD_FDSTAT_SET_FLAGS
    | rights::FD_FILESTAT_GET;

fn fdstat_of(descriptor: FdEntry) -> Result<(u8, u16, u64, u64)> {
    let stdio_type = |kind| {
        if cli::is_terminal(kind) {
            filetype::CHARACTER_DEVICE
        } else {
            filetype::UNKNOWN
        }
    };
    let (handle, flags) = match descriptor {
        FdEntry::Stdin { .. } => {
            return Ok((
                stdio_type(StdioKind::Stdin),
                0,
                rights::FD_READ,
                rights::FD_READ,
            ));
        }
        FdEntry::Stdout { .. } => {
            return Ok((
                stdio_type(StdioKind::Stdout),
                0,
                rights::FD_WRITE,
                rights::FD_WRITE,
            ));
        }
        FdEntry::Stderr { .. } => {
            return Ok((
                stdio_type(StdioKind::Stderr),
                0,
                rights::FD_WRITE,
                rights::FD_WRITE,
            ));
        }
        FdEntry::Directory(directory) if directory.preopen().is_some() => {
            return Ok((
                filetype::DIRECTORY,
                0,
                PREOPEN_RIGHTS,
                PREOPEN_INHERITING_RIGHTS,
            ));
        }
        FdEntry::Directory(directory) => (directory.handle, 0),
        FdEntry::File(file) | FdEntry::Untyped(file) => (file.handle, file.flags),
        FdEntry::Listener(listener) => {
            let inheriting = CONNECTION_RIGHTS;
            return Ok((
                filetype::SOCKET_STREAM,
                listener.flags,
                LISTENER_RIGHTS,
                inheriting,
            ));
        }
        FdEntry::Connection(connection) => {
            return Ok((
                filetype::SOCKET_STREAM,
                connection.flags,
                CONNECTION_RIGHTS,
                CONNECTION_RIGHTS,
            ));
        }
        FdEntry::Closed => return Err(Errno::BADF),
    };
    let host_flags = handle.get_flags()?;
    let kind = filetype_of(handle.get_type()?);
    let mut base = rights::ALL;
    let mut fs_flags = flags;
    if kind == filetype::DIRECTORY {
        base &= !(rights::FD_SEEK | rights::FD_FILESTAT_SET_SIZE | rights::PATH_FILESTAT_SET_SIZE);
        // A directory keeps no flags (an `Untyped` one may carry the ones
        // `path_open` was given).
        fs_flags = 0;
    }
    if host_flags & descriptor_flags::READ == 0 {
        base &= !(rights::FD_READ | rights::FD_READDIR);
    }
    if host_flags & descriptor_flags::WRITE == 0 {
        base &= !rights::FD_WRITE;
    }
    if host_flags & descriptor_flags::DATA_INTEGRITY_SYNC != 0 {
        fs_flags |= fdflags::DSYNC;
    }
    if host_flags & descriptor_flags::REQUESTED_WRITE_SYNC != 0 {
        fs_flags |= fdflags::RSYNC;
    }
    if host_flags & descriptor_flags::FILE_INTEGRITY_SYNC != 0 {
        fs_flags |= fdflags::SYNC;
    }
    Ok((kind, fs_flags, base, base))
}

fn fdstat_get(state: &State, fd: Fd, buf: u32) -> Result<()> {
    // The type is asked below in any case, so an `Untyped` fd stays so.
    let (kind, flags, base, inheriting) = fdstat_of(state.fds.get_untyped(fd)?)?;
    // Three 64-bit slots: the filetype and the flags share the first (with
    // zero padding), the rights fill the others.
    const _: () = assert!(fdstat::FILETYPE == 0 && fdstat::FLAGS == 2 && fdstat::SIZE == 24);
    let first = u64::from(kind) | (u64::from(flags) << (8 * fdstat::FLAGS));
    let mut slots = [first, 0, 0];
    slots[fdstat::RIGHTS_BASE as usize / 8] = base;
    slots[fdstat::RIGHTS_INHERITING as usize / 8] = inheriting;
    guest::write_u64_slots(buf, slots)
}

fn fdstat_set_flags(state: &State, fd: Fd, flags: u32) -> Result<()> {
    let flags = arguments::flags(flags, 16, fdflags::ALL.into()) as u16;
    let descriptor = match state.fds.get(fd)? {
        // Sockets keep only whether they block.
        FdEntry::Listener(listener) => FdEntry::Listener(Listener {
            flags: flags & fdflags::NONBLOCK,
            ..listener
        }),
        FdEntry::Connection(connection) => FdEntry::Connection(Connection {
            flags: flags & fdflags::NONBLOCK,
            ..connection
        }),
        // Native preview1 keeps flags only for regular files.
        FdEntry::File(file) => {
            if flags & (fdflags::DSYNC | fdflags::SYNC | fdflags::RSYNC) != 0 {
                return Err(Errno::INVAL);
            }
            FdEntry::File(File {
                flags: flags & (fdflags::APPEND | fdflags::NONBLOCK),
                ..file
            })
        }
        _ => return Err(Errno::BADF),
    };
    state.fds.set(fd, descriptor);
    Ok(())
}

fn filestat_get(state: &State, fd: Fd, buf: u32) -> Result<()> {
    // The stat says what the fd is, so an `Untyped` one stays so.
    let handle = match state.fds.get_untyped(fd)? {
        FdEntry::Stdin { .. } => return stdio_filestat(buf, StdioKind::Stdin),
        FdEntry::Stdout { .. } => return stdio_filestat(buf, StdioKind::Stdout),
        FdEntry::Stderr { .. } => return stdio_filestat(buf, StdioKind::Stderr),
        FdEntry::File(file) | FdEntry::Untyped(file) => file.handle,
        FdEntry::Directory(directory) if directory.preopen().is_some() => {
            // Some hosts (jco) cannot stat a preopen itself, but all can
            // stat `.` inside it, which is the same directory.
            let dot = [b'.'];
            let dot = Path::assume_checked(&dot);
            let stat = directory.handle.stat_at(0, dot)?;
            let ino = directory.handle.metadata_hash_at(0, dot)?;
            return write_stat(buf, stat, ino);
        }
        FdEntry::Directory(directory) => directory.handle,
        FdEntry::Listener(_) | FdEntry::Connection(_) => {
            return write_filestat(buf, 0, 0, filetype::SOCKET_STREAM, 0, 0, [0; 3]);
        }
        FdEntry::Closed => return Err(Errno::BADF),
    };
    let stat = handle.stat()?;
    let ino = handle.metadata_hash()?;
    write_stat(buf, stat, ino)
}

fn stdio_filestat(buf: u32, kind: StdioKind) -> Result<()> {
    let kind = if cli::is_terminal(kind) {
        filetype::CHARACTER_DEVICE
    } else {
        filetype::UNKNOWN
    };
    write_filestat(buf, 0, 0, kind, 0, 0, [0; 3])
}

#[unsafe(no_mangle)]
pub extern "C" fn fd_write(fd: Fd, iovs: u32, iovs_len: u32, nwritten: u32) -> Errno {
    // SAFETY: the bytes go to the host at once, and nothing uses scratch or
    // writes the program's memory before then.
    match unsafe { small_stdio_write(fd, iovs, iovs_len) } {
        Some((stream, bytes)) => preview1_call_without_state(|| {
            State::with(|state| {
                // SAFETY: nothing else refers to the answer's room while
                // this call has the host fill it and reads it (see `State`).
                let answer = unsafe { &mut *state.answer.get() };
                stream.blocking_write_and_flush(bytes, answer)
            })?;
            guest::write_u32_inlined(nwritten, bytes.len() as u32)
        }),
        None => write_in_general(fd, iovs, iovs_len, nwritten),
    }
}

/// The stream and bytes of `fd_write`'s most frequent call, one iovec of at
/// most what a single `blocking-write-and-flush` takes to stdout or stderr,
/// when every check the general path would make passes: it then makes the
/// same host call and answers the same, without setting up the call's arena
/// or walking the general rules. `None` for every other call.
///
/// # Safety
///
/// As for [`single_buffer`].
#[inline(always)]
unsafe fn small_stdio_write<'a>(fd: Fd, iovs: u32, count: u32) -> Option<(OutputStream, &'a [u8])> {
    let stream = State::with(|state| state.fds.stdio_output_stream(fd))?;
    // SAFETY: the caller keeps the same contract.
    let bytes = unsafe { single_buffer(iovs, count, BLOCKING_WRITE_LIMIT as u32) }?;
    Some((stream, bytes))
}

/// Every `fd_write` but the small stdio ones, out of line so that those
/// need no stack frame for it.
#[inline(never)]
fn write_in_general(fd: Fd, iovs: u32, count: u32, nwritten: u32) -> Errno {
    preview1_call(|state| write(state, fd, iovs, count, nwritten))
}

#[unsafe(no_mangle)]
pub extern "C" fn fd_read(fd: Fd, iovs: u32, iovs_len: u32, nread: u32) -> Errno {
    preview1_call(|state| read(state, fd, iovs, iovs_len, nread))
}

#[unsafe(no_mangle)]
pub extern "C" fn fd_pread(fd: Fd, iovs: u32, iovs_len: u32, offset: u64, nread: u32) -> Errno {
    preview1_call(|state| pread(state, fd, iovs, iovs_len, offset, nread))
}

#[unsafe(no_mangle)]
pub extern "C" fn fd_pwrite(fd: Fd, iovs: u32, iovs_len: u32, offset: u64, nwritten: u32) -> Errno {
    preview1_call(|state| pwrite(state, fd, iovs, iovs_len, offset, nwritten))
}

#[unsafe(no_mangle)]
pub extern "C" fn fd_seek(fd: Fd, offset: i64, whence: u32, newoffset: u32) -> Errno {
    preview1_call(|state| seek(state, fd, offset, whence, newoffset))
}

#[unsafe(no_mangle)]
pub extern "C" fn fd_tell(fd: Fd, offset: u32) -> Errno {
    preview1_call(|state| guest::write_u64(offset, state.fds.seekable(fd)?.position))
}

#[unsafe(no_mangle)]
pub extern "C" fn fd_fdstat_get(fd: Fd, buf: u32) -> Errno {
    preview1_call(|state| fdstat_get(state, fd, buf))
}

#[unsafe(no_mangle)]
pub extern "C" fn fd_fdstat_set_flags(fd: Fd, flags: u32) -> Errno {
    preview1_call(|state| fdstat_set_flags(state, fd, flags))
}

/// Rights are not enforced by WASI 0.2, and native preview1 does not let
/// them change either: it answers `ENOTSUP` for any file or directory.
#[unsafe(no_mangle)]
pub extern "C" fn fd_fdstat_set_rights(fd: Fd, base: u64, inheriting: u64) -> Errno {
    arguments::flags64(base, rights::ALL);
    arguments::flags64(inheriting, rights::ALL);
    preview1_call(|state| {
        state.fds.filesystem_handle(fd)?;
        Err(Errno::NOTSUP)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn fd_filestat_get(fd: Fd, buf: u32) -> Errno {
    preview1_call(|state| filestat_get(state, fd, buf))
}

#[unsafe(no_mangle)]
pub extern "C" fn fd_filestat_set_size(fd: Fd, size: u64) -> Errno {
    preview1_call(|state| Ok(state.fds.file(fd)?.handle.set_size(size)?))
}

#[unsafe(no_mangle)]
pub extern "C" fn fd_filestat_set_times(fd: Fd, atim: u64, mtim: u64, flags: u32) -> Errno {
    preview1_call(|state| {
        let (atim, mtim) = new_timestamps(atim, mtim, flags)?;
        match state.fds.get(fd)? {
            // Native preview1's host does not let a preopen's times change,
            // but setting neither time changes nothing, so it succeeds.
            FdEntry::Directory(directory) if directory.preopen().is_some() => match (atim, mtim) {
                (NewTimestamp::NoChange, NewTimestamp::NoChange) => Ok(()),
                _ => Err(Errno::BADF),
            },
            _ => Ok(state.fds.filesystem_handle(fd)?.set_times(atim, mtim)?),
        }
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn fd_advise(fd: Fd, offset: u64, len: u64, advice: u32) -> Errno {
    let advice = arguments::enum_value(advice, 8, ADVICE_MAX);
    preview1_call(|state| {
        // Preview1 and WASI 0.2 number their advice the same way.
        Ok(state
            .fds
            .file(fd)?
            .handle
            .advise(offset, len, advice as u8)?)
    })
}

/// WASI 0.2 cannot preallocate; native preview1 answers `ENOTSUP` too.
#[unsafe(no_mangle)]
pub extern "C" fn fd_allocate(fd: Fd, _offset: u64, _len: u64) -> Errno {
    preview1_call(|state| {
        state.fds.file(fd)?;
        Err(Errno::NOTSUP)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn fd_datasync(fd: Fd) -> Errno {
    preview1_call(|state| Ok(state.fds.file(fd)?.handle.sync_data()?))
}

#[unsafe(no_mangle)]
pub extern "C" fn fd_sync(fd: Fd) -> Errno {
    preview1_call(|state| Ok(state.fds.file(fd)?.handle.sync()?))
}

#[unsafe(no_mangle)]
pub extern "C" fn fd_close(fd: Fd) -> Errno {
    preview1_call(|state| state.fds.close(fd))
}

#[unsafe(no_mangle)]
pub extern "C" fn fd_renumber(from: Fd, to: Fd) -> Errno {
    preview1_call(|state| state.fds.renumber(from, to))
}
