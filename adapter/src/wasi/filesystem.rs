//! `wasi:filesystem`: preopened directories, descriptors and directory
//! listings.
//!
//! Paths are passed straight from the program's memory (the canonical ABI
//! reads them in place), so every caller must have checked them with
//! `paths::path` (or `paths::host_path`) first: lifting a string that is not
//! UTF-8 traps.

use super::io::OutputStream;
use super::{Area, RawBytes, RawList, ReturnArea};

// The `proxy` build serves the `wasi:http/proxy` world, which has no
// filesystem: `absent` answers in its place, with no preopens at all.
#[cfg(feature = "proxy")]
use super::absent::filesystem::*;

#[cfg(not(feature = "proxy"))]
#[link(wasm_import_module = "wasi:filesystem/preopens@0.2.12")]
unsafe extern "C" {
    #[link_name = "get-directories"]
    fn get_directories_import(ret: *mut u8);
}

#[cfg(not(feature = "proxy"))]
#[link(wasm_import_module = "wasi:filesystem/types@0.2.12")]
unsafe extern "C" {
    #[link_name = "[resource-drop]descriptor"]
    fn drop_descriptor(handle: u32);
    #[link_name = "[resource-drop]directory-entry-stream"]
    fn drop_directory_entry_stream(handle: u32);
    #[link_name = "[method]descriptor.read"]
    fn read_import(handle: u32, len: u64, offset: u64, ret: *mut u8);
    #[link_name = "[method]descriptor.write"]
    fn write_import(handle: u32, ptr: *const u8, len: usize, offset: u64, ret: *mut u8);
    #[link_name = "[method]descriptor.append-via-stream"]
    fn append_via_stream_import(handle: u32, ret: *mut u8);
    #[link_name = "[method]descriptor.advise"]
    fn advise_import(handle: u32, offset: u64, len: u64, advice: u32, ret: *mut u8);
    #[link_name = "[method]descriptor.sync-data"]
    fn sync_data_import(handle: u32, ret: *mut u8);
    #[link_name = "[method]descriptor.sync"]
    fn sync_import(handle: u32, ret: *mut u8);
    #[link_name = "[method]descriptor.get-flags"]
    fn get_flags_import(handle: u32, ret: *mut u8);
    #[link_name = "[method]descriptor.get-type"]
    fn get_type_import(handle: u32, ret: *mut u8);
    #[link_name = "[method]descriptor.set-size"]
    fn set_size_import(handle: u32, size: u64, ret: *mut u8);
    #[link_name = "[method]descriptor.set-times"]
    fn set_times_import(
        handle: u32,
        atim_tag: u32,
        atim_seconds: u64,
        atim_nanos: u32,
        mtim_tag: u32,
        mtim_seconds: u64,
        mtim_nanos: u32,
        ret: *mut u8,
    );
    #[link_name = "[method]descriptor.read-directory"]
    fn read_directory_import(handle: u32, ret: *mut u8);
    #[link_name = "[method]descriptor.create-directory-at"]
    fn create_directory_at_import(handle: u32, ptr: *const u8, len: usize, ret: *mut u8);
    #[link_name = "[method]descriptor.stat"]
    fn stat_import(handle: u32, ret: *mut u8);
    #[link_name = "[method]descriptor.stat-at"]
    fn stat_at_import(handle: u32, flags: u32, ptr: *const u8, len: usize, ret: *mut u8);
    #[link_name = "[method]descriptor.set-times-at"]
    fn set_times_at_import(
        handle: u32,
        flags: u32,
        ptr: *const u8,
        len: usize,
        atim_tag: u32,
        atim_seconds: u64,
        atim_nanos: u32,
        mtim_tag: u32,
        mtim_seconds: u64,
        mtim_nanos: u32,
        ret: *mut u8,
    );
    #[link_name = "[method]descriptor.link-at"]
    fn link_at_import(
        handle: u32,
        flags: u32,
        old_ptr: *const u8,
        old_len: usize,
        new_handle: u32,
        new_ptr: *const u8,
        new_len: usize,
        ret: *mut u8,
    );
    #[link_name = "[method]descriptor.open-at"]
    fn open_at_import(
        handle: u32,
        path_flags: u32,
        ptr: *const u8,
        len: usize,
        open_flags: u32,
        flags: u32,
        ret: *mut u8,
    );
    #[link_name = "[method]descriptor.readlink-at"]
    fn readlink_at_import(handle: u32, ptr: *const u8, len: usize, ret: *mut u8);
    #[link_name = "[method]descriptor.remove-directory-at"]
    fn remove_directory_at_import(handle: u32, ptr: *const u8, len: usize, ret: *mut u8);
    #[link_name = "[method]descriptor.rename-at"]
    fn rename_at_import(
        handle: u32,
        old_ptr: *const u8,
        old_len: usize,
        new_handle: u32,
        new_ptr: *const u8,
        new_len: usize,
        ret: *mut u8,
    );
    #[link_name = "[method]descriptor.symlink-at"]
    fn symlink_at_import(
        handle: u32,
        old_ptr: *const u8,
        old_len: usize,
        new_ptr: *const u8,
        new_len: usize,
        ret: *mut u8,
    );
    #[link_name = "[method]descriptor.unlink-file-at"]
    fn unlink_file_at_import(handle: u32, ptr: *const u8, len: usize, ret: *mut u8);
    #[link_name = "[method]descriptor.metadata-hash"]
    fn metadata_hash_import(handle: u32, ret: *mut u8);
    #[link_name = "[method]descriptor.metadata-hash-at"]
    fn metadata_hash_at_import(handle: u32, flags: u32, ptr: *const u8, len: usize, ret: *mut u8);
    #[link_name = "[method]directory-entry-stream.read-directory-entry"]
    fn read_directory_entry_import(handle: u32, ret: *mut u8);
}

/// `error-code`, as its WIT discriminant.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct ErrorCode(pub u8);

pub type Result<T> = core::result::Result<T, ErrorCode>;

/// `descriptor-type`, as its WIT discriminant.
pub mod descriptor_type {
    pub const BLOCK_DEVICE: u8 = 1;
    pub const CHARACTER_DEVICE: u8 = 2;
    pub const DIRECTORY: u8 = 3;
    pub const SYMBOLIC_LINK: u8 = 5;
    pub const REGULAR_FILE: u8 = 6;
    pub const SOCKET: u8 = 7;
}

/// `descriptor-flags` bits.
pub mod descriptor_flags {
    pub const READ: u8 = 1 << 0;
    pub const WRITE: u8 = 1 << 1;
    pub const FILE_INTEGRITY_SYNC: u8 = 1 << 2;
    pub const DATA_INTEGRITY_SYNC: u8 = 1 << 3;
    pub const REQUESTED_WRITE_SYNC: u8 = 1 << 4;
}

/// `open-flags` bits.
pub mod open_flags {
    pub const DIRECTORY: u8 = 1 << 1;
}

/// `new-timestamp`.
#[derive(Clone, Copy)]
pub enum NewTimestamp {
    NoChange,
    Now,
    At { seconds: u64, nanoseconds: u32 },
}

impl NewTimestamp {
    /// The flattened `(discriminant, seconds, nanoseconds)` of the variant.
    fn flat(self) -> (u32, u64, u32) {
        match self {
            NewTimestamp::NoChange => (0, 0, 0),
            NewTimestamp::Now => (1, 0, 0),
            NewTimestamp::At {
                seconds,
                nanoseconds,
            } => (2, seconds, nanoseconds),
        }
    }
}

/// `descriptor-stat`, with timestamps flattened to nanoseconds (0 when the
/// host has none, as native preview1 reports them).
pub struct Stat {
    pub kind: u8,
    pub link_count: u64,
    pub size: u64,
    pub atim: Option<u64>,
    pub mtim: Option<u64>,
    pub ctim: Option<u64>,
}

/// `result<_, error-code>`: the code sits right after the discriminant.
fn unit_result<const N: usize>(ret: &Area<N>) -> Result<()> {
    if ret.u8_at(0) == 0 {
        Ok(())
    } else {
        Err(ErrorCode(ret.u8_at(1)))
    }
}

/// `result<T, error-code>` whose payload starts at `offset`.
fn check<const N: usize>(ret: &Area<N>, offset: usize) -> Result<()> {
    if ret.u8_at(0) == 0 {
        Ok(())
    } else {
        Err(ErrorCode(ret.u8_at(offset)))
    }
}

/// One `option<datetime>` at `offset`, in nanoseconds (0 when absent, as
/// native preview1 reports it); `None` if it overflows 64 bits.
fn timestamp_at(ret: &StatArea, offset: usize) -> Option<u64> {
    if ret.u8_at(offset) == 0 {
        return Some(0);
    }
    ret.datetime_at(offset + 8)
}

/// The return area of `stat` and `stat-at`: `result<descriptor-stat,
/// error-code>`, with the record (type, link count, size, three timestamps)
/// from byte 8.
type StatArea = Area<104>;

#[inline(always)]
fn decode_stat(ret: &StatArea) -> Result<Stat> {
    check(ret, 8)?;
    Ok(Stat {
        kind: ret.u8_at(8),
        link_count: ret.u64_at(16),
        size: ret.u64_at(24),
        atim: timestamp_at(ret, 32),
        mtim: timestamp_at(ret, 56),
        ctim: timestamp_at(ret, 80),
    })
}

/// Size of one `tuple<own<descriptor>, string>` in the preopens list.
pub const PREOPEN_ENTRY_BYTES: usize = 12;

/// `list<tuple<own<descriptor>, string>>`: a handle, then a string's
/// pointer and length. The caller takes ownership of every handle.
pub fn get_directories() -> RawList {
    let mut ret = ReturnArea::new();
    // SAFETY: writes a `list<..>` (pointer, length) into `ret`.
    unsafe { get_directories_import(ret.as_mut_ptr()) };
    ret.list_at(0)
}

/// A borrowed `descriptor`: the fd table owns the handle.
#[derive(Clone, Copy)]
pub struct Descriptor(pub u32);

/// A path that is UTF-8 without NUL, as `paths::host_path` checks; the
/// host traps on anything else.
#[derive(Clone, Copy)]
pub struct Path<'a>(&'a [u8]);

impl<'a> Path<'a> {
    /// Wraps `bytes` that the caller has checked are UTF-8 without NUL (or
    /// knows are, like `.`); this checks nothing.
    pub fn assume_checked(bytes: &'a [u8]) -> Path<'a> {
        Path(bytes)
    }

    pub fn bytes(self) -> &'a [u8] {
        self.0
    }
}

/// Calls a `descriptor` method's import with the given arguments and a fresh
/// return area of type `$area`, then reads the result with `$read`. An
/// argument written `@p` passes the `Path` `p` as its pointer and length.
macro_rules! call_import {
    ($area:ty, $import:ident($($arg:tt)*) => $read:expr) => {{
        // SAFETY: the import writes the result's discriminant and the case
        // it names, which is all `$read` reads.
        let mut ret = unsafe { <$area>::uninit() };
        call_import!(@lower ret, $import, [] $($arg)*);
        $read(&ret)
    }};
    (@lower $ret:ident, $import:ident, [$($done:expr,)*] @$path:ident $(, $($rest:tt)*)?) => {
        call_import!(
            @lower $ret, $import, [$($done,)* $path.0.as_ptr(), $path.0.len(),] $($($rest)*)?
        )
    };
    (@lower $ret:ident, $import:ident, [$($done:expr,)*] $arg:expr $(, $($rest:tt)*)?) => {
        call_import!(@lower $ret, $import, [$($done,)* $arg,] $($($rest)*)?)
    };
    (@lower $ret:ident, $import:ident, [$($done:expr,)*]) => {
        // SAFETY: every use below passes `self.0` of a `Descriptor` (a live
        // handle the fd table holds), integers, and pointers and lengths of a
        // `Path` or slice borrowed for the call; the area is the one the
        // result is read from, with room and alignment for what the import
        // writes.
        unsafe { $import($($done,)* $ret.as_mut_ptr()) }
    };
}

/// `result<T, error-code>` whose payload is one byte at 1.
fn u8_result(ret: &ReturnArea) -> Result<u8> {
    check(ret, 1)?;
    Ok(ret.u8_at(1))
}

/// `result<T, error-code>` whose payload is a handle at 4.
fn handle_result(ret: &ReturnArea) -> Result<u32> {
    check(ret, 4)?;
    Ok(ret.u32_at(4))
}

/// `result<T, error-code>` whose payload is a `u64` at 8 (a size, or the
/// `lower` half of a `metadata-hash-value`).
fn u64_result<const N: usize>(ret: &Area<N>) -> Result<u64> {
    check(ret, 8)?;
    Ok(ret.u64_at(8))
}

/// `result<list<u8>, error-code>` or `result<string, error-code>`, lowered
/// wherever the import arena directs.
fn bytes_result(ret: &ReturnArea) -> Result<RawBytes> {
    check(ret, 4)?;
    Ok(RawBytes {
        ptr: ret.u32_at(4) as usize as *const u8,
        len: ret.u32_at(8) as usize,
    })
}

/// The return area of `metadata-hash` and `metadata-hash-at`:
/// `result<metadata-hash-value, error-code>`, `lower` (or the error code)
/// at 8, `upper` at 16.
type HashArea = Area<24>;

impl Descriptor {
    /// Releases the handle; the caller must not use `self` again.
    pub fn drop_handle(self) {
        // SAFETY: `self.0` is a live handle, which the caller gives up here.
        unsafe { drop_descriptor(self.0) }
    }

    /// Reads up to `len` bytes at `offset`; the bytes land wherever the
    /// import arena directs. An empty result means end of file.
    pub fn read(self, len: u64, offset: u64) -> Result<RawBytes> {
        call_import!(ReturnArea, read_import(self.0, len, offset) => bytes_result)
    }

    pub fn write(self, bytes: &[u8], offset: u64) -> Result<u64> {
        let (ptr, len) = (bytes.as_ptr(), bytes.len());
        call_import!(ReturnArea, write_import(self.0, ptr, len, offset) => u64_result)
    }

    /// A stream whose every write lands at the end of the file as one
    /// host append (`O_APPEND`), whatever else writes to the file meanwhile.
    /// The caller owns the stream.
    pub fn append_via_stream(self) -> Result<OutputStream> {
        call_import!(ReturnArea, append_via_stream_import(self.0) => handle_result)
            .map(OutputStream)
    }

    pub fn advise(self, offset: u64, len: u64, advice: u8) -> Result<()> {
        let advice = u32::from(advice);
        call_import!(ReturnArea, advise_import(self.0, offset, len, advice) => unit_result)
    }

    pub fn sync_data(self) -> Result<()> {
        call_import!(ReturnArea, sync_data_import(self.0) => unit_result)
    }

    pub fn sync(self) -> Result<()> {
        call_import!(ReturnArea, sync_import(self.0) => unit_result)
    }

    pub fn get_flags(self) -> Result<u8> {
        call_import!(ReturnArea, get_flags_import(self.0) => u8_result)
    }

    pub fn get_type(self) -> Result<u8> {
        call_import!(ReturnArea, get_type_import(self.0) => u8_result)
    }

    pub fn set_size(self, size: u64) -> Result<()> {
        call_import!(ReturnArea, set_size_import(self.0, size) => unit_result)
    }

    pub fn set_times(self, atim: NewTimestamp, mtim: NewTimestamp) -> Result<()> {
        let ((a_tag, a_sec, a_ns), (m_tag, m_sec, m_ns)) = (atim.flat(), mtim.flat());
        call_import!(ReturnArea, set_times_import(
            self.0, a_tag, a_sec, a_ns, m_tag, m_sec, m_ns
        ) => unit_result)
    }

    /// Opens the directory's listing; the caller owns the stream.
    pub fn read_directory(self) -> Result<DirectoryEntryStream> {
        call_import!(ReturnArea, read_directory_import(self.0) => handle_result)
            .map(DirectoryEntryStream)
    }

    pub fn create_directory_at(self, path: Path) -> Result<()> {
        call_import!(ReturnArea, create_directory_at_import(self.0, @path) => unit_result)
    }

    pub fn stat(self) -> Result<Stat> {
        call_import!(StatArea, stat_import(self.0) => decode_stat)
    }

    pub fn stat_at(self, path_flags: u8, path: Path) -> Result<Stat> {
        self.stat_at_inlined(path_flags, path)
    }

    /// `stat_at`, inlined into the caller for which it is hot
    /// (`path_filestat_get`): the result's fields then stay in locals on
    /// their way to the `filestat` record instead of passing through a
    /// `Stat` in memory.
    #[inline(always)]
    pub fn stat_at_inlined(self, path_flags: u8, path: Path) -> Result<Stat> {
        let flags = u32::from(path_flags);
        call_import!(StatArea, stat_at_import(self.0, flags, @path) => decode_stat)
    }

    pub fn set_times_at(
        self,
        path_flags: u8,
        path: Path,
        atim: NewTimestamp,
        mtim: NewTimestamp,
    ) -> Result<()> {
        let flags = u32::from(path_flags);
        let ((a_tag, a_sec, a_ns), (m_tag, m_sec, m_ns)) = (atim.flat(), mtim.flat());
        call_import!(ReturnArea, set_times_at_import(
            self.0, flags, @path, a_tag, a_sec, a_ns, m_tag, m_sec, m_ns
        ) => unit_result)
    }

    pub fn link_at(self, path_flags: u8, old: Path, new_dir: Descriptor, new: Path) -> Result<()> {
        let flags = u32::from(path_flags);
        call_import!(ReturnArea, link_at_import(
            self.0, flags, @old, new_dir.0, @new
        ) => unit_result)
    }

    /// Opens `path`; the new descriptor is owned by the caller.
    pub fn open_at(
        self,
        path_flags: u8,
        path: Path,
        open_flags: u8,
        flags: u8,
    ) -> Result<Descriptor> {
        let (path_flags, open_flags, flags) = (
            u32::from(path_flags),
            u32::from(open_flags),
            u32::from(flags),
        );
        call_import!(ReturnArea, open_at_import(
            self.0, path_flags, @path, open_flags, flags
        ) => handle_result)
        .map(Descriptor)
    }

    /// The link's target, lowered wherever the import arena directs.
    pub fn readlink_at(self, path: Path) -> Result<RawBytes> {
        call_import!(ReturnArea, readlink_at_import(self.0, @path) => bytes_result)
    }

    pub fn remove_directory_at(self, path: Path) -> Result<()> {
        call_import!(ReturnArea, remove_directory_at_import(self.0, @path) => unit_result)
    }

    pub fn rename_at(self, old: Path, new_dir: Descriptor, new: Path) -> Result<()> {
        call_import!(ReturnArea, rename_at_import(self.0, @old, new_dir.0, @new) => unit_result)
    }

    pub fn symlink_at(self, old: Path, new: Path) -> Result<()> {
        call_import!(ReturnArea, symlink_at_import(self.0, @old, @new) => unit_result)
    }

    pub fn unlink_file_at(self, path: Path) -> Result<()> {
        call_import!(ReturnArea, unlink_file_at_import(self.0, @path) => unit_result)
    }

    /// The lower half of the metadata hash, which native preview1 reports
    /// as the inode number.
    pub fn metadata_hash(self) -> Result<u64> {
        call_import!(HashArea, metadata_hash_import(self.0) => u64_result)
    }

    pub fn metadata_hash_at(self, path_flags: u8, path: Path) -> Result<u64> {
        let flags = u32::from(path_flags);
        call_import!(HashArea, metadata_hash_at_import(self.0, flags, @path) => u64_result)
    }
}

/// An owned `directory-entry-stream`, dropped with its owner.
pub struct DirectoryEntryStream(u32);

/// One `directory-entry`: its type and its name, lowered into the arena.
pub struct DirectoryEntry {
    pub kind: u8,
    pub name: RawBytes,
}

impl DirectoryEntryStream {
    pub fn from_handle(handle: u32) -> DirectoryEntryStream {
        DirectoryEntryStream(handle)
    }

    /// Gives the handle to the caller, who becomes responsible for dropping it.
    pub fn into_handle(self) -> u32 {
        let handle = self.0;
        core::mem::forget(self);
        handle
    }

    /// The next entry, or `None` at the end.
    pub fn read(&self) -> Result<Option<DirectoryEntry>> {
        // `result<option<directory-entry>, error-code>`: the option's
        // discriminant (or the error code) at 4, then the entry's type,
        // name pointer and name length.
        // SAFETY: the import writes the result's and the option's
        // discriminants and the case they name, which is all read below.
        let mut ret = unsafe { Area::<20>::uninit() };
        // SAFETY: live stream handle; the area is 20 bytes, 8-aligned.
        unsafe { read_directory_entry_import(self.0, ret.as_mut_ptr()) };
        check(&ret, 4)?;
        if ret.u8_at(4) == 0 {
            return Ok(None);
        }
        Ok(Some(DirectoryEntry {
            kind: ret.u8_at(8),
            name: RawBytes {
                ptr: ret.u32_at(12) as usize as *const u8,
                len: ret.u32_at(16) as usize,
            },
        }))
    }
}

impl Drop for DirectoryEntryStream {
    fn drop(&mut self) {
        // SAFETY: `self` owns the handle and this is its only release.
        unsafe { drop_directory_entry_stream(self.0) }
    }
}
