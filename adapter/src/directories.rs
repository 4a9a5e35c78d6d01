//! Preopened directories (`fd_prestat_*`) and path operations (`path_*`).
//!
//! Each path operation is one WASI 0.2 call on the directory's descriptor;
//! the checks before it (which fd kinds are accepted, UTF-8, flag bits)
//! happen in the order native preview1 makes them, so the same mistake
//! gets the same errno.

use crate::abi::{Errno, Fd, Result, fdflags, lookupflags, oflags, prestat, rights};
use crate::arguments;
use crate::descriptor_facts::{new_timestamps, write_stat};
use crate::entry::preview1_call;
use crate::fd_table::{Directory, FdEntry, File, Files, Origin, PreopenName};
use crate::path_rules::{
    Suffix, ends_in_dot_or_dot_dot, ends_in_no_name, last_component, may_have_suffix, single_name,
    split_suffix,
};
use crate::paths::{host_path, path, path_flags, utf8_and_host_path, utf8_path};
use crate::state::{State, guest};
use crate::wasi::clocks::wall_now;
use crate::wasi::filesystem::{
    self, ErrorCode, NewTimestamp, Path, descriptor_flags, descriptor_type,
};

fn preopen_name(state: &State, fd: Fd) -> Result<Option<PreopenName>> {
    Ok(match state.fds.get(fd)? {
        FdEntry::Directory(directory) => directory.preopen(),
        _ => None,
    })
}

fn prestat_get(state: &State, fd: Fd, buf: u32) -> Result<()> {
    // Native preview1 answers `EBADF` for an fd that is open but not a preopen.
    let name = preopen_name(state, fd)?.ok_or(Errno::BADF)?;
    let mut record = [0u8; prestat::SIZE as usize];
    record[prestat::TAG as usize] = prestat::TAG_DIR;
    record[prestat::NAME_LEN as usize..][..4].copy_from_slice(&name.len().to_le_bytes());
    guest::write_record(buf, 4, &record)
}

fn prestat_dir_name(state: &State, fd: Fd, path: u32, path_len: u32) -> Result<()> {
    // ... and `ENOTDIR` here, for the same case.
    let name = preopen_name(state, fd)?.ok_or(Errno::NOTDIR)?;
    if name.len() > path_len {
        return Err(Errno::NAMETOOLONG);
    }
    guest::write_bytes(path, name.bytes())
}

/// The errno for a failed `open-at`. Native's host refuses a final
/// symlink it must not follow as `ELOOP` even when a directory was asked
/// for; some hosts say `ENOTDIR` there, as Linux's `open` does.
fn open_error(
    dir: filesystem::Descriptor,
    follow: u8,
    bytes: &[u8],
    oflags_bits: u32,
    code: ErrorCode,
) -> Errno {
    let errno = Errno::from(code);
    let wanted_directory = oflags_bits & oflags::DIRECTORY != 0;
    // A trailing slash makes even a no-follow lookup follow the link.
    if errno != Errno::NOTDIR || follow != 0 || !wanted_directory || bytes.last() == Some(&b'/') {
        return errno;
    }
    match dir.stat_at(0, Path::assume_checked(bytes)) {
        Ok(stat) if stat.kind == descriptor_type::SYMBOLIC_LINK => Errno::LOOP,
        _ => errno,
    }
}

/// Native's host resolves `path`, following symlinks, and requires a
/// directory there: the lookup's errno, or `ENOTDIR`.
fn require_directory(dir: filesystem::Descriptor, path: Path<'_>) -> Result<()> {
    match dir.stat_at(lookupflags::SYMLINK_FOLLOW as u8, path)?.kind {
        descriptor_type::DIRECTORY => Ok(()),
        _ => Err(Errno::NOTDIR),
    }
}

/// For a path that ends in `/` or `/.`, its stem, checked as native's host
/// checks it before anything else: it must resolve, following symlinks, to
/// a directory (else the lookup's errno, or `ENOTDIR`). `None` for other
/// paths. The path must have passed `host_path`.
fn directory_stem<'a>(dir: filesystem::Descriptor, bytes: &'a [u8]) -> Result<Option<Path<'a>>> {
    let Some((_, stem)) = split_suffix(bytes) else {
        return Ok(None);
    };
    let stem = Path::assume_checked(stem);
    require_directory(dir, stem)?;
    Ok(Some(stem))
}

#[unsafe(no_mangle)]
pub extern "C" fn fd_prestat_get(fd: Fd, buf: u32) -> Errno {
    preview1_call(|state| prestat_get(state, fd, buf))
}

#[unsafe(no_mangle)]
pub extern "C" fn fd_prestat_dir_name(fd: Fd, path: u32, path_len: u32) -> Errno {
    preview1_call(|state| prestat_dir_name(state, fd, path, path_len))
}

#[unsafe(no_mangle)]
pub extern "C" fn path_create_directory(fd: Fd, path_ptr: u32, path_len: u32) -> Errno {
    preview1_call(|state| {
        let dir = state.fds.directory_handle(fd)?;
        let path = path(state, path_ptr, path_len)?;
        let bytes = utf8_path(state, path_ptr, path_len)?;
        match split_suffix(bytes) {
            // Native's host drops the slashes of `name/` and creates `name`.
            Some((Suffix::Slash, stem)) => Ok(dir.create_directory_at(Path::assume_checked(stem))?),
            // `name/.` exists once `name` is a directory.
            Some((Suffix::Dot, _)) => {
                directory_stem(dir, bytes)?;
                Err(Errno::EXIST)
            }
            None => Ok(dir.create_directory_at(path)?),
        }
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn path_filestat_get(
    fd: Fd,
    flags: u32,
    path_ptr: u32,
    path_len: u32,
    buf: u32,
) -> Errno {
    preview1_call(|state| {
        let follow = path_flags(flags);
        let dir = state.fds.directory_handle(fd)?;
        let (bytes, path) = utf8_and_host_path(state, path_ptr, path_len)?;
        let mut path = path?;
        let mut follow = follow;
        // Only a lookup that does not follow needs the name alone.
        let name = if follow == 0 {
            single_name(bytes)
        } else {
            None
        };
        match name {
            Some(name) => path = Path::assume_checked(name),
            // A path ending in a name, nearly every path, has no stem to
            // check (a test here spares the call).
            None if !may_have_suffix(bytes) => {}
            None => {
                if let Some(stem) = directory_stem(dir, bytes)? {
                    (path, follow) = (stem, lookupflags::SYMLINK_FOLLOW as u8);
                }
            }
        }
        let stat = dir.stat_at_inlined(follow, path)?;
        let ino = dir.metadata_hash_at(follow, path)?;
        write_stat(buf, stat, ino)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn path_filestat_set_times(
    fd: Fd,
    flags: u32,
    path_ptr: u32,
    path_len: u32,
    atim: u64,
    mtim: u64,
    fst_flags: u32,
) -> Errno {
    preview1_call(|state| {
        let follow = path_flags(flags);
        let (atim, mtim) = new_timestamps(atim, mtim, fst_flags)?;
        let dir = state.fds.directory_handle(fd)?;
        let bytes = utf8_path(state, path_ptr, path_len)?;
        host_path(bytes)?;
        match directory_stem(dir, bytes)? {
            Some(stem) => set_times_at(
                dir,
                lookupflags::SYMLINK_FOLLOW as u8,
                stem.bytes(),
                atim,
                mtim,
            ),
            None => set_times_at(dir, follow, bytes, atim, mtim),
        }
    })
}

/// Sets a path's times with explicit values only. Some hosts (jco) turn
/// `now` into seconds where they expect milliseconds, and keep a time by
/// copying the directory's instead of the path's (or fail on a preopen);
/// explicit times they get right, so the adapter reads the clock for `now`
/// and the path's own stat for a time that stays.
fn set_times_at(
    dir: filesystem::Descriptor,
    follow: u8,
    bytes: &[u8],
    atim: NewTimestamp,
    mtim: NewTimestamp,
) -> Result<()> {
    let path = host_path(bytes)?;
    let keeps = |time| matches!(time, NewTimestamp::NoChange);
    if keeps(atim) && keeps(mtim) {
        // Following, native's host opens the path itself first (`ENOENT`
        // for a dangling symlink).
        if follow != 0 {
            dir.stat_at(follow, path)?;
            return Ok(());
        }
        // A path leaving the directory has no parent inside it.
        if last_component(bytes).is_none() {
            return Err(Errno::PERM);
        }
        return directory_of_entry(dir, bytes);
    }
    let current = if keeps(atim) || keeps(mtim) {
        Some(dir.stat_at(follow, path)?)
    } else {
        None
    };
    let explicit = |time, kept: Option<u64>| -> Result<NewTimestamp> {
        let nanos = match time {
            NewTimestamp::Now => wall_now().ok_or(Errno::OVERFLOW)?,
            // 0 is the epoch or a host without this time: a host that
            // honours `no-change` is right either way.
            NewTimestamp::NoChange => match kept {
                Some(nanos) if nanos != 0 => nanos,
                _ => return Ok(NewTimestamp::NoChange),
            },
            at => return Ok(at),
        };
        Ok(NewTimestamp::At {
            seconds: nanos / 1_000_000_000,
            nanoseconds: (nanos % 1_000_000_000) as u32,
        })
    };
    let atim = explicit(atim, current.as_ref().and_then(|stat| stat.atim))?;
    let mtim = explicit(mtim, current.as_ref().and_then(|stat| stat.mtim))?;
    Ok(dir.set_times_at(follow, path, atim, mtim)?)
}

/// Resolves what native's host resolves before it acts on the last name of
/// `path`: the path itself when it ends in `.` or `..` (its "last name" is
/// then the directory it leads to), else the directory holding the last
/// name; a path that leaves the directory by its letters is `EPERM`.
fn directory_holding_last_name(dir: filesystem::Descriptor, path: &[u8]) -> Result<()> {
    let stem = split_suffix(path).map_or(path, |(_, stem)| stem);
    if last_component(stem).is_none() {
        return Err(Errno::PERM);
    }
    if !ends_in_dot_or_dot_dot(path) {
        return directory_of_entry(dir, stem);
    }
    // What a final `..` climbs out of must be a directory; some hosts
    // resolve `name/..` by its letters without looking at `name`.
    let Some(below) = path.strip_suffix(b"/..") else {
        // `.` alone is the directory itself, and `..` alone leaves it (see
        // above); `name/.` is resolved by the callers, as `name/`.
        return Ok(());
    };
    require_directory(dir, Path::assume_checked(below))
}

/// Checks that the directory holding the last component of `path` resolves,
/// and nothing more: with no time to change, native's host stops there, as
/// `utimensat` does given `UTIME_OMIT` twice.
fn directory_of_entry(dir: filesystem::Descriptor, path: &[u8]) -> Result<()> {
    let Some(slash) = path.iter().rposition(|&byte| byte == b'/') else {
        return Ok(());
    };
    // `/name` keeps its slash, so the host refuses it as absolute.
    let parent = path.get(..slash.max(1)).unwrap_or(path);
    require_directory(dir, Path::assume_checked(parent))
}

#[unsafe(no_mangle)]
pub extern "C" fn path_link(
    old_fd: Fd,
    old_flags: u32,
    old_path: u32,
    old_path_len: u32,
    new_fd: Fd,
    new_path: u32,
    new_path_len: u32,
) -> Errno {
    preview1_call(|state| {
        let follow = path_flags(old_flags);
        let old_dir = state.fds.directory_handle(old_fd)?;
        let new_dir = state.fds.directory_handle(new_fd)?;
        let (old_bytes, new_bytes) = (
            utf8_path(state, old_path, old_path_len)?,
            utf8_path(state, new_path, new_path_len)?,
        );
        // Native's host cannot follow a symlink while linking (`EINVAL`),
        // which it says before it looks at either path.
        if follow != 0 {
            return Err(Errno::INVAL);
        }
        // Native's host resolves an old `name/` first, then the old
        // parent, a new `name/`, the new parent, then the old name; an
        // empty path fails (`ENOENT`) where its resolution starts.
        let old = host_path(old_bytes)?;
        let old_is_directory = directory_stem(old_dir, old_bytes)?.is_some();
        let stem = |bytes| split_suffix(bytes).map_or(bytes, |(_, stem)| stem);
        // A path leaving the directory has no parent inside it.
        if last_component(stem(old_bytes)).is_none() {
            return Err(Errno::PERM);
        }
        directory_of_entry(old_dir, stem(old_bytes))?;
        let new = host_path(new_bytes)?;
        if last_component(stem(new_bytes)).is_none() {
            return Err(Errno::PERM);
        }
        let new_is_directory = directory_stem(new_dir, new_bytes)?.is_some();
        directory_of_entry(new_dir, stem(new_bytes))?;
        if !old_is_directory {
            old_dir.stat_at(0, old)?;
        }
        // `name/` is a directory, which cannot be linked, or already
        // exists; as on Linux, a new name that exists (`EEXIST`) outranks
        // an old one that is a directory (`EPERM`).
        if new_is_directory {
            return Err(Errno::EXIST);
        }
        if old_is_directory {
            // A free new name leaves only the directory to refuse.
            return Err(match new_dir.stat_at(0, new).map_err(Errno::from) {
                Ok(_) => Errno::EXIST,
                Err(Errno::NOENT) => Errno::PERM,
                Err(errno) => errno,
            });
        }
        Ok(old_dir.link_at(follow, old, new_dir, new)?)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn path_open(
    fd: Fd,
    dirflags: u32,
    path_ptr: u32,
    path_len: u32,
    oflags_bits: u32,
    rights_base: u64,
    rights_inheriting: u64,
    fdflags_bits: u32,
    opened: u32,
) -> Errno {
    preview1_call(|state| {
        let follow = path_flags(dirflags);
        let oflags_bits = arguments::flags(oflags_bits, 16, oflags::ALL.into());
        arguments::flags64(rights_base, rights::ALL);
        arguments::flags64(rights_inheriting, rights::ALL);
        let fdflags_bits = arguments::flags(fdflags_bits, 16, fdflags::ALL.into());
        // Native preview1 reads the path before it looks at the fd.
        let (bytes, path) = utf8_and_host_path(state, path_ptr, path_len)?;
        state.fds.reserve_one()?;
        let dir = state.fds.read_in_place(fd, |entry| match entry {
            FdEntry::Directory(directory) => Ok(directory.handle),
            FdEntry::File(_) => Err(Errno::NOTDIR),
            _ => Err(Errno::BADF),
        })?;
        // Only builds that can hold files export `path_open`: there this is
        // a constant.
        let Some(files) = Files::ROOT else {
            return Err(Errno::NOTSUP);
        };
        let fdflags_bits = fdflags_bits as u16;
        // Only what the program asked for: some hosts refuse flags they cannot
        // honour even when they would not matter.
        let mut flags = 0;
        if rights_base & rights::FD_READ != 0 {
            flags |= descriptor_flags::READ;
        }
        if rights_base & rights::FD_WRITE != 0 {
            flags |= descriptor_flags::WRITE;
        }
        // Native's host refuses the sync flags (`ENOTSUP`) before it looks at
        // the oflags or the path; some hosts would honour them or look first.
        if fdflags_bits & (fdflags::SYNC | fdflags::DSYNC | fdflags::RSYNC) != 0 {
            return Err(Errno::NOTSUP);
        }
        // Native's host refuses to create or truncate what must be a directory,
        // before it looks at the path.
        if oflags_bits & oflags::DIRECTORY != 0
            && oflags_bits & (oflags::CREAT | oflags::EXCL | oflags::TRUNC) != 0
        {
            return Err(Errno::INVAL);
        }
        // A host opens a file asked for neither reading nor writing for
        // reading, as native preview1 shows.
        let readable = flags & descriptor_flags::READ != 0 || flags & descriptor_flags::WRITE == 0;
        // Native's host opens a file it creates or truncates for writing,
        // whatever rights were asked for (and for reading, as above); some
        // hosts only when asked.
        if oflags_bits & (oflags::CREAT | oflags::TRUNC) != 0 {
            flags |= descriptor_flags::WRITE;
            if readable {
                flags |= descriptor_flags::READ;
            }
        }
        let mut path = path?;
        let mut follow = follow;
        if let Some((suffix, stem)) = may_have_suffix(bytes)
            .then(|| split_suffix(bytes))
            .flatten()
        {
            // Native's host refuses to create a file named with a slash, once
            // the directory to create it in resolves.
            if suffix == Suffix::Slash && oflags_bits & oflags::CREAT != 0 {
                directory_of_entry(dir, stem)?;
                return Err(Errno::ISDIR);
            }
            if let Some(stem) = directory_stem(dir, bytes)? {
                (path, follow) = (stem, lookupflags::SYMLINK_FOLLOW as u8);
            }
        }
        let handle = match dir.open_at(follow, path, oflags_bits as u8, flags) {
            Ok(handle) => handle,
            Err(code) => return Err(open_error(dir, follow, bytes, oflags_bits, code)),
        };
        // What was opened must be a directory if one was asked for (the
        // host checks); otherwise the type is asked when first needed, so
        // an open and close makes no `get-type` call.
        let descriptor = if oflags_bits & oflags::DIRECTORY != 0 {
            FdEntry::Directory(Directory {
                handle,
                origin: Origin::Opened(files),
                listing: None,
            })
        } else {
            FdEntry::Untyped(File {
                handle,
                flags: fdflags_bits & (fdflags::APPEND | fdflags::NONBLOCK),
                readable,
                writable: flags & descriptor_flags::WRITE != 0,
                position: 0,
                files,
            })
        };
        let new_fd = match state.fds.insert(descriptor) {
            Ok(new_fd) => new_fd,
            Err(errno) => {
                handle.drop_handle();
                return Err(errno);
            }
        };
        guest::write_u32(opened, new_fd)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn path_readlink(
    fd: Fd,
    path_ptr: u32,
    path_len: u32,
    buf: u32,
    buf_len: u32,
    used: u32,
) -> Errno {
    preview1_call(|state| {
        let dir = state.fds.directory_handle(fd)?;
        let path = path(state, path_ptr, path_len)?;
        // `name/` names the directory the link leads to, which is no link.
        if directory_stem(dir, utf8_path(state, path_ptr, path_len)?)?.is_some() {
            return Err(Errno::INVAL);
        }
        let target = dir.readlink_at(path)?;
        // SAFETY: lowered into scratch by this call.
        let target = unsafe { target.as_slice() };
        // Native's host does not reveal a link that points outside the
        // directory tree by an absolute path (`EPERM`); some hosts would.
        if target.first() == Some(&b'/') {
            return Err(Errno::PERM);
        }
        // Preview1 truncates a target that does not fit, without an error.
        let target = target.get(..buf_len as usize).unwrap_or(target);
        guest::write_bytes(buf, target)?;
        guest::write_u32(used, target.len() as u32)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn path_remove_directory(fd: Fd, path_ptr: u32, path_len: u32) -> Errno {
    preview1_call(|state| {
        let dir = state.fds.directory_handle(fd)?;
        let path = path(state, path_ptr, path_len)?;
        let bytes = utf8_path(state, path_ptr, path_len)?;
        // Native's host refuses these itself (for `name/`, once `name` is a
        // directory: it would remove that directory's `.`; for a final `.`
        // or `..`, once the path resolves); some hosts would resolve
        // `dir/sub/..` to `dir` and remove that.
        if directory_stem(dir, bytes)?.is_some() {
            return Err(Errno::INVAL);
        }
        if ends_in_dot_or_dot_dot(bytes) {
            directory_holding_last_name(dir, bytes)?;
        }
        if ends_in_no_name(bytes) {
            return Err(Errno::INVAL);
        }
        Ok(dir.remove_directory_at(path)?)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn path_rename(
    fd: Fd,
    old_path: u32,
    old_path_len: u32,
    new_fd: Fd,
    new_path: u32,
    new_path_len: u32,
) -> Errno {
    preview1_call(|state| {
        let old_dir = state.fds.directory_handle(fd)?;
        let new_dir = state.fds.directory_handle(new_fd)?;
        let old = path(state, old_path, old_path_len)?;
        let (old_bytes, new_bytes) = (
            utf8_path(state, old_path, old_path_len)?,
            utf8_path(state, new_path, new_path_len)?,
        );
        for (dir, bytes) in [(old_dir, old_bytes), (new_dir, new_bytes)] {
            if matches!(split_suffix(bytes), Some((Suffix::Dot, _))) {
                directory_stem(dir, bytes)?;
            }
        }
        if new_bytes.is_empty() {
            // Native's host resolves the old path's directory before it
            // finds the empty new path names nothing (`ENOENT`).
            let stem = split_suffix(old_bytes).map_or(old_bytes, |(_, stem)| stem);
            if last_component(stem).is_none() {
                return Err(Errno::PERM);
            }
            directory_of_entry(old_dir, stem)?;
            return Err(Errno::NOENT);
        }
        let new = host_path(new_bytes)?;
        // Native's host resolves both sides' directories, then answers as
        // Linux does (`EBUSY`) when a side names `.` or `..`; some hosts
        // would resolve such a name by its letters and move the directory.
        if ends_in_dot_or_dot_dot(old_bytes) || ends_in_dot_or_dot_dot(new_bytes) {
            for (dir, bytes) in [(old_dir, old_bytes), (new_dir, new_bytes)] {
                directory_holding_last_name(dir, bytes)?;
            }
            return Err(Errno::BUSY);
        }
        let slashed = |bytes| matches!(split_suffix(bytes), Some((Suffix::Slash, _)));
        if slashed(old_bytes) || slashed(new_bytes) {
            return rename_slashed(old_dir, old_bytes, new_dir, new_bytes);
        }
        Ok(old_dir.rename_at(old, new_dir, new)?)
    })
}

/// A rename where a side ends in `/`. Native's host drops the slashes and
/// renames the names themselves, which Linux allows only for a directory
/// (not a symlink to one) moving to a directory or a free name; some hosts
/// follow the symlinks or ignore the slash instead.
fn rename_slashed(
    old_dir: filesystem::Descriptor,
    old_bytes: &[u8],
    new_dir: filesystem::Descriptor,
    new_bytes: &[u8],
) -> Result<()> {
    let stem = |bytes| {
        split_suffix(bytes).map_or(Path::assume_checked(bytes), |(_, stem)| {
            Path::assume_checked(stem)
        })
    };
    let (old, new) = (stem(old_bytes), stem(new_bytes));
    // Native's host resolves both parents (refusing a path that leaves
    // the directory), looks the old name up, checks the new name's length
    // (255 bytes at most), then the old name's kind.
    for (dir, path) in [(old_dir, old), (new_dir, new)] {
        if last_component(path.bytes()).is_none() {
            return Err(Errno::PERM);
        }
        directory_of_entry(dir, path.bytes())?;
    }
    let old_kind = old_dir.stat_at(0, old)?.kind;
    if new
        .bytes()
        .split(|&byte| byte == b'/')
        .any(|name| name.len() > 255)
    {
        return Err(Errno::NAMETOOLONG);
    }
    if old_kind != descriptor_type::DIRECTORY {
        return Err(Errno::NOTDIR);
    }
    // Linux refuses to move a directory below itself (`EINVAL`) first.
    let (old_bytes, new_bytes) = (old.bytes(), new.bytes());
    let named_below = new_bytes.len() > old_bytes.len()
        && new_bytes.starts_with(old_bytes)
        && new_bytes.get(old_bytes.len()) == Some(&b'/');
    // ... also when a symlink leads there: the new name's directory is the
    // old directory itself.
    let parent_is_old = || {
        let Some(slash) = new_bytes.iter().rposition(|&byte| byte == b'/') else {
            return false;
        };
        let parent = Path::assume_checked(new_bytes.get(..slash.max(1)).unwrap_or(new_bytes));
        let parent_hash = new_dir.metadata_hash_at(lookupflags::SYMLINK_FOLLOW as u8, parent);
        parent_hash.is_ok() && parent_hash.ok() == old_dir.metadata_hash_at(0, old).ok()
    };
    let below_itself = named_below || parent_is_old();
    match new_dir.stat_at(0, new) {
        Ok(stat) if stat.kind != descriptor_type::DIRECTORY && !below_itself => Err(Errno::NOTDIR),
        _ => Ok(old_dir.rename_at(old, new_dir, new)?),
    }
}

#[unsafe(no_mangle)]
pub extern "C" fn path_symlink(
    old_path: u32,
    old_path_len: u32,
    fd: Fd,
    new_path: u32,
    new_path_len: u32,
) -> Errno {
    preview1_call(|state| {
        let dir = state.fds.directory_handle(fd)?;
        let old_bytes = utf8_path(state, old_path, old_path_len)?;
        let new_bytes = utf8_path(state, new_path, new_path_len)?;
        // Native's host refuses an absolute target before it looks at the
        // new path; some hosts resolve the new path first.
        if old_bytes.first() == Some(&b'/') {
            return Err(Errno::PERM);
        }
        let new = host_path(new_bytes)?;
        if old_bytes.is_empty() {
            // Native's host resolves the new path (a `name/` must be a
            // directory, else its parent must resolve), and only then does
            // Linux refuse an empty target (`ENOENT`).
            if directory_stem(dir, new_bytes)?.is_none() {
                if last_component(new_bytes).is_none() {
                    return Err(Errno::PERM);
                }
                directory_of_entry(dir, new_bytes)?;
            }
            return Err(Errno::NOENT);
        }
        let old = host_path(old_bytes)?;
        if directory_stem(dir, utf8_path(state, new_path, new_path_len)?)?.is_some() {
            return Err(Errno::EXIST);
        }
        Ok(dir.symlink_at(old, new)?)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn path_unlink_file(fd: Fd, path_ptr: u32, path_len: u32) -> Errno {
    preview1_call(|state| {
        let dir = state.fds.directory_handle(fd)?;
        let path = path(state, path_ptr, path_len)?;
        if directory_stem(dir, utf8_path(state, path_ptr, path_len)?)?.is_some() {
            return Err(Errno::ISDIR);
        }
        Ok(dir.unlink_file_at(path)?)
    })
}
