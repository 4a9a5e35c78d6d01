//! Path arguments: how native preview1 reads the program's path strings
//! before any host sees them.
//!
//! Hosts disagree on odd path forms (a NUL byte, an empty path, trailing
//! slashes, a final `.` or `..`); answering them here, by native's rules,
//! gives every host native's errnos. The rules that only look at the
//! bytes are in `path_rules`, which the host-side tests also compile.

use crate::abi::{Errno, Result, lookupflags};
use crate::path_rules::{has_nul, is_ascii_without_nul, is_utf8};
use crate::state::{State, guest};
use crate::wasi::filesystem::Path;

/// A path argument of the program: UTF-8, as native preview1 requires
/// (`EILSEQ` otherwise). It is borrowed for no longer than `state`, which a
/// preview1 function holds only for its call.
pub fn utf8_path(state: &State, ptr: u32, len: u32) -> Result<&[u8]> {
    utf8_and_host_path(state, ptr, len).map(|(bytes, _)| bytes)
}

/// `utf8_path`, together with what `host_path` answers for the path, for
/// the calls that check the two apart (native checks the fd or the flags
/// in between, so the caller answers the second where native does). An
/// ASCII path without NUL, nearly every path, passes both in one pass.
pub fn utf8_and_host_path(state: &State, ptr: u32, len: u32) -> Result<(&[u8], Result<Path<'_>>)> {
    let _ = state;
    // SAFETY: the slice lives no longer than the call's borrow of `state`,
    // and no code that reads a path resets scratch (only `fd_readdir` and
    // the listener set-up do, and neither reads one).
    let bytes = unsafe { guest::bytes(ptr, len) }?;
    if !bytes.is_empty() && is_ascii_without_nul(bytes) {
        return Ok((bytes, Ok(Path::assume_checked(bytes))));
    }
    if !is_utf8(bytes) {
        return Err(Errno::ILSEQ);
    }
    Ok((bytes, host_path(bytes)))
}

/// A path ready for a host call. A NUL byte cannot reach a host's file
/// system (native preview1's host rejects it as `EINVAL`) and some hosts
/// fail on it outright, so it is refused here.
///
/// An empty path names nothing: native's host answers `ENOENT` for it,
/// which some hosts would instead resolve to the directory itself.
pub fn host_path(bytes: &[u8]) -> Result<Path<'_>> {
    if has_nul(bytes) {
        return Err(Errno::INVAL);
    }
    if bytes.is_empty() {
        return Err(Errno::NOENT);
    }
    Ok(Path::assume_checked(bytes))
}

/// A path argument, for the operations that check it after the fd,
/// borrowed for no longer than `state` (see `utf8_path`).
pub fn path(state: &State, ptr: u32, len: u32) -> Result<Path<'_>> {
    utf8_and_host_path(state, ptr, len)?.1
}

/// WASI 0.2 `path-flags` from preview1 `lookupflags` (the same bit),
/// converted as native converts the argument.
pub fn path_flags(flags: u32) -> u8 {
    crate::arguments::flags(flags, 32, lookupflags::SYMLINK_FOLLOW) as u8
}
