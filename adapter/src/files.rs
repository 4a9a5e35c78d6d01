//! Reading, writing and describing open descriptors (`fd_*`).
//!
//! Stream I/O honours every iovec with one host call where 0.2 allows it:
//! a write gathers its iovecs into one buffer, and a read asks for the total
//! length at once, landing directly in the first iovec when it fits.

use crate::abi::{Errno, Fd, Result, fdstat, filetype, rights};
use crate::fd_table::Descriptor;
use crate::state::{self, State, guest};
use crate::wasi::cli::{self, StdioKind};
use crate::wasi::io::StreamError;

/// The iovecs of one call, with empty ones skipped.
fn non_empty_iovecs(iovs: u32, count: u32) -> impl Iterator<Item = Result<guest::Iovec>> {
    (0..count)
        .map(move |index| guest::iovec(iovs, index))
        .filter(|iov| !matches!(iov, Ok(guest::Iovec { len: 0, .. })))
}

fn total_len(iovs: u32, count: u32) -> Result<u32> {
    let mut total: u32 = 0;
    for iov in non_empty_iovecs(iovs, count) {
        total = total.checked_add(iov?.len).ok_or(Errno::INVAL)?;
    }
    Ok(total)
}

/// The bytes of all iovecs as one slice: the program's own buffer when there
/// is a single one, else a gathered copy in scratch.
fn gather<'a>(state: &State, iovs: u32, count: u32) -> Result<&'a [u8]> {
    let total = total_len(iovs, count)?;
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
            let address = state.arena.alloc_scratch(1, total as usize)?;
            // SAFETY: `address` is `total` fresh bytes of scratch, used only
            // by this call.
            let buffer = unsafe { core::slice::from_raw_parts_mut(address as *mut u8, total as usize) };
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

/// Spreads `data` over the iovecs in order and returns how much was placed.
fn scatter(iovs: u32, count: u32, mut data: &[u8]) -> Result<u32> {
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

fn write(state: &State, fd: Fd, iovs: u32, count: u32, nwritten: u32) -> Result<()> {
    let stream = state.fds.output_stream(fd)?;
    let bytes = gather(state, iovs, count)?;
    if !bytes.is_empty() {
        stream.write_all(bytes)?;
    }
    guest::write_u32(nwritten, bytes.len() as u32)
}

fn read(state: &State, fd: Fd, iovs: u32, count: u32, nread: u32) -> Result<()> {
    let stream = state.fds.input_stream(fd)?;
    let total = total_len(iovs, count)?;
    let first = non_empty_iovecs(iovs, count).next().transpose()?;
    if let Some(first) = first {
        state.arena.redirect_next(guest::bytes_mut(first.buf, first.len)?.as_mut_ptr(), first.len as usize);
    }
    let result = stream.blocking_read(u64::from(total));
    state.arena.clear_redirect();
    let n = match result {
        // Native preview1 reports a read that returned nothing as `EINTR`.
        Ok(bytes) if bytes.len == 0 => return Err(Errno::INTR),
        Ok(bytes) => match first {
            Some(first) if bytes.ptr as usize == first.buf as usize => bytes.len as u32,
            // SAFETY: lowered into scratch by this call.
            _ => scatter(iovs, count, unsafe { bytes.as_slice() })?,
        },
        Err(StreamError::Closed) => 0,
        Err(error) => return Err(error.into()),
    };
    guest::write_u32(nread, n)
}

/// Rights and type as native preview1 reports them for each kind of fd.
fn fdstat_of(descriptor: Descriptor) -> Result<(u8, u16, u64, u64)> {
    let stdio_type = |kind| {
        if cli::is_terminal(kind) { filetype::CHARACTER_DEVICE } else { filetype::UNKNOWN }
    };
    Ok(match descriptor {
        Descriptor::Stdin { .. } => (stdio_type(StdioKind::Stdin), 0, rights::FD_READ, rights::FD_READ),
        Descriptor::Stdout { .. } => {
            (stdio_type(StdioKind::Stdout), 0, rights::FD_WRITE, rights::FD_WRITE)
        }
        Descriptor::Stderr { .. } => {
            (stdio_type(StdioKind::Stderr), 0, rights::FD_WRITE, rights::FD_WRITE)
        }
        Descriptor::Directory { .. } => {
            (filetype::DIRECTORY, 0, crate::directories::PREOPEN_RIGHTS, crate::directories::PREOPEN_INHERITING_RIGHTS)
        }
        Descriptor::Closed => return Err(Errno::BADF),
    })
}

fn fdstat_get(state: &State, fd: Fd, buf: u32) -> Result<()> {
    let (kind, flags, base, inheriting) = fdstat_of(state.fds.get(fd)?)?;
    let mut record = [0u8; fdstat::SIZE as usize];
    record[fdstat::FILETYPE as usize] = kind;
    record[fdstat::FLAGS as usize..][..2].copy_from_slice(&flags.to_le_bytes());
    record[fdstat::RIGHTS_BASE as usize..][..8].copy_from_slice(&base.to_le_bytes());
    record[fdstat::RIGHTS_INHERITING as usize..][..8].copy_from_slice(&inheriting.to_le_bytes());
    guest::write_bytes(buf, &record)
}

#[unsafe(no_mangle)]
pub extern "C" fn fd_write(fd: Fd, iovs: u32, iovs_len: u32, nwritten: u32) -> Errno {
    state::call(|state| write(state, fd, iovs, iovs_len, nwritten))
}

#[unsafe(no_mangle)]
pub extern "C" fn fd_read(fd: Fd, iovs: u32, iovs_len: u32, nread: u32) -> Errno {
    state::call(|state| read(state, fd, iovs, iovs_len, nread))
}

#[unsafe(no_mangle)]
pub extern "C" fn fd_fdstat_get(fd: Fd, buf: u32) -> Errno {
    state::call(|state| fdstat_get(state, fd, buf))
}

#[unsafe(no_mangle)]
pub extern "C" fn fd_fdstat_set_flags(fd: Fd, _flags: u32) -> Errno {
    state::call(|state| match state.fds.get(fd)? {
        // Native preview1 keeps flags only for regular files; stdio and
        // directories answer `EBADF`, which Go's start-up tolerates.
        Descriptor::Stdin { .. }
        | Descriptor::Stdout { .. }
        | Descriptor::Stderr { .. }
        | Descriptor::Directory { .. }
        | Descriptor::Closed => Err(Errno::BADF),
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn fd_close(fd: Fd) -> Errno {
    state::call(|state| state.fds.close(fd))
}

// Not yet implemented: they need regular files, which arrive with the
// filesystem work. Until then they answer `ENOSYS`, as the README says.

#[unsafe(no_mangle)]
pub extern "C" fn fd_advise(_fd: Fd, _offset: u64, _len: u64, _advice: u32) -> Errno {
    Errno::NOSYS
}

#[unsafe(no_mangle)]
pub extern "C" fn fd_allocate(_fd: Fd, _offset: u64, _len: u64) -> Errno {
    Errno::NOSYS
}

#[unsafe(no_mangle)]
pub extern "C" fn fd_datasync(_fd: Fd) -> Errno {
    Errno::NOSYS
}

#[unsafe(no_mangle)]
pub extern "C" fn fd_sync(_fd: Fd) -> Errno {
    Errno::NOSYS
}

#[unsafe(no_mangle)]
pub extern "C" fn fd_fdstat_set_rights(_fd: Fd, _base: u64, _inheriting: u64) -> Errno {
    Errno::NOSYS
}

#[unsafe(no_mangle)]
pub extern "C" fn fd_filestat_get(_fd: Fd, _buf: u32) -> Errno {
    Errno::NOSYS
}

#[unsafe(no_mangle)]
pub extern "C" fn fd_filestat_set_size(_fd: Fd, _size: u64) -> Errno {
    Errno::NOSYS
}

#[unsafe(no_mangle)]
pub extern "C" fn fd_filestat_set_times(_fd: Fd, _atim: u64, _mtim: u64, _flags: u32) -> Errno {
    Errno::NOSYS
}

#[unsafe(no_mangle)]
pub extern "C" fn fd_pread(_fd: Fd, _iovs: u32, _iovs_len: u32, _offset: u64, _nread: u32) -> Errno {
    Errno::NOSYS
}

#[unsafe(no_mangle)]
pub extern "C" fn fd_pwrite(_fd: Fd, _iovs: u32, _iovs_len: u32, _offset: u64, _nwritten: u32) -> Errno {
    Errno::NOSYS
}

#[unsafe(no_mangle)]
pub extern "C" fn fd_renumber(_fd: Fd, _to: Fd) -> Errno {
    Errno::NOSYS
}

#[unsafe(no_mangle)]
pub extern "C" fn fd_seek(_fd: Fd, _offset: i64, _whence: u32, _newoffset: u32) -> Errno {
    Errno::NOSYS
}

#[unsafe(no_mangle)]
pub extern "C" fn fd_tell(_fd: Fd, _offset: u32) -> Errno {
    Errno::NOSYS
}
