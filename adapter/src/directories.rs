//! Preopened directories (`fd_prestat_*`) and path operations (`path_*`).

use crate::abi::{Errno, Fd, Result, prestat, rights};
use crate::fd_table::{Descriptor, PreopenName};
use crate::state::{self, State, guest};

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

fn preopen_name(state: &State, fd: Fd) -> Result<Option<PreopenName>> {
    Ok(match state.fds.get(fd)? {
        Descriptor::Directory { preopen, .. } => Some(preopen),
        _ => None,
    })
}

fn prestat_get(state: &State, fd: Fd, buf: u32) -> Result<()> {
    // Native preview1 answers `EBADF` for an fd that is open but not a preopen.
    let name = preopen_name(state, fd)?.ok_or(Errno::BADF)?;
    let mut record = [0u8; prestat::SIZE as usize];
    record[prestat::TAG as usize] = prestat::TAG_DIR;
    record[prestat::NAME_LEN as usize..][..4].copy_from_slice(&name.len().to_le_bytes());
    guest::write_bytes(buf, &record)
}

fn prestat_dir_name(state: &State, fd: Fd, path: u32, path_len: u32) -> Result<()> {
    // ... and `ENOTDIR` here, for the same case.
    let name = preopen_name(state, fd)?.ok_or(Errno::NOTDIR)?;
    if name.len() > path_len {
        return Err(Errno::NAMETOOLONG);
    }
    guest::write_bytes(path, name.bytes())
}

#[unsafe(no_mangle)]
pub extern "C" fn fd_prestat_get(fd: Fd, buf: u32) -> Errno {
    state::call(|state| prestat_get(state, fd, buf))
}

#[unsafe(no_mangle)]
pub extern "C" fn fd_prestat_dir_name(fd: Fd, path: u32, path_len: u32) -> Errno {
    state::call(|state| prestat_dir_name(state, fd, path, path_len))
}

// Not yet implemented: directory listing and every path operation arrive
// with the filesystem work. Until then they answer `ENOSYS`, as the README says.

#[unsafe(no_mangle)]
pub extern "C" fn fd_readdir(_fd: Fd, _buf: u32, _buf_len: u32, _cookie: u64, _used: u32) -> Errno {
    Errno::NOSYS
}

#[unsafe(no_mangle)]
pub extern "C" fn path_create_directory(_fd: Fd, _path: u32, _path_len: u32) -> Errno {
    Errno::NOSYS
}

#[unsafe(no_mangle)]
pub extern "C" fn path_filestat_get(_fd: Fd, _flags: u32, _path: u32, _path_len: u32, _buf: u32) -> Errno {
    Errno::NOSYS
}

#[unsafe(no_mangle)]
pub extern "C" fn path_filestat_set_times(
    _fd: Fd,
    _flags: u32,
    _path: u32,
    _path_len: u32,
    _atim: u64,
    _mtim: u64,
    _fst_flags: u32,
) -> Errno {
    Errno::NOSYS
}

#[unsafe(no_mangle)]
pub extern "C" fn path_link(
    _old_fd: Fd,
    _old_flags: u32,
    _old_path: u32,
    _old_path_len: u32,
    _new_fd: Fd,
    _new_path: u32,
    _new_path_len: u32,
) -> Errno {
    Errno::NOSYS
}

#[unsafe(no_mangle)]
pub extern "C" fn path_open(
    _fd: Fd,
    _dirflags: u32,
    _path: u32,
    _path_len: u32,
    _oflags: u32,
    _rights_base: u64,
    _rights_inheriting: u64,
    _fdflags: u32,
    _opened: u32,
) -> Errno {
    Errno::NOSYS
}

#[unsafe(no_mangle)]
pub extern "C" fn path_readlink(
    _fd: Fd,
    _path: u32,
    _path_len: u32,
    _buf: u32,
    _buf_len: u32,
    _used: u32,
) -> Errno {
    Errno::NOSYS
}

#[unsafe(no_mangle)]
pub extern "C" fn path_remove_directory(_fd: Fd, _path: u32, _path_len: u32) -> Errno {
    Errno::NOSYS
}

#[unsafe(no_mangle)]
pub extern "C" fn path_rename(
    _fd: Fd,
    _old_path: u32,
    _old_path_len: u32,
    _new_fd: Fd,
    _new_path: u32,
    _new_path_len: u32,
) -> Errno {
    Errno::NOSYS
}

#[unsafe(no_mangle)]
pub extern "C" fn path_symlink(
    _old_path: u32,
    _old_path_len: u32,
    _fd: Fd,
    _new_path: u32,
    _new_path_len: u32,
) -> Errno {
    Errno::NOSYS
}

#[unsafe(no_mangle)]
pub extern "C" fn path_unlink_file(_fd: Fd, _path: u32, _path_len: u32) -> Errno {
    Errno::NOSYS
}
