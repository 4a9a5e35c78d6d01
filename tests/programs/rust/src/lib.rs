//! Helpers shared by the test programs. Everything here talks to preview1
//! directly, so a program's output depends only on what the host reports,
//! never on how a host splits reads and writes.

/// Writes every byte of `bufs` to `fd` with raw vectored `fd_write` calls.
///
/// A host may transfer fewer bytes than asked (native wasmtime writes only the
/// first non-empty buffer per call), so the remaining buffers are resubmitted
/// until everything is out. Returns the number of `fd_write` calls made.
pub fn write_all_vectored(fd: wasi::Fd, bufs: &[&[u8]]) -> Result<usize, wasi::Errno> {
    let mut pending: Vec<&[u8]> = bufs.to_vec();
    let mut calls = 0;
    while pending.iter().any(|b| !b.is_empty()) {
        let iovs: Vec<wasi::Ciovec> = pending
            .iter()
            .map(|b| wasi::Ciovec {
                buf: b.as_ptr(),
                buf_len: b.len(),
            })
            .collect();
        let mut written = unsafe { wasi::fd_write(fd, &iovs)? };
        calls += 1;
        for buf in pending.iter_mut() {
            let taken = written.min(buf.len());
            *buf = &buf[taken..];
            written -= taken;
        }
        pending.retain(|b| !b.is_empty());
    }
    Ok(calls)
}

/// Writes `text` to stdout with raw `fd_write`, bypassing std's buffering.
pub fn print_raw(text: &str) {
    write_all_vectored(wasi::FD_STDOUT, &[text.as_bytes()]).expect("fd_write to stdout");
}

/// A host-independent rendering of a preview1 result.
pub fn describe<T: core::fmt::Debug>(result: &Result<T, wasi::Errno>) -> String {
    match result {
        Ok(value) => format!("ok {value:?}"),
        Err(errno) => format!("errno {}", errno.name()),
    }
}

/// A `poll_oneoff` subscription to clock `id` (relative unless `flags` has
/// `ABSTIME`).
pub fn clock_subscription(
    userdata: u64,
    id: wasi::Clockid,
    timeout: u64,
    flags: wasi::Subclockflags,
) -> wasi::Subscription {
    wasi::Subscription {
        userdata,
        u: wasi::SubscriptionU {
            tag: wasi::EVENTTYPE_CLOCK.raw(),
            u: wasi::SubscriptionUU {
                clock: wasi::SubscriptionClock { id, timeout, precision: 0, flags },
            },
        },
    }
}

/// A `poll_oneoff` subscription to `fd` becoming readable or writable (`event`).
pub fn fd_subscription(userdata: u64, event: wasi::Eventtype, fd: wasi::Fd) -> wasi::Subscription {
    wasi::Subscription {
        userdata,
        u: wasi::SubscriptionU {
            tag: event.raw(),
            u: wasi::SubscriptionUU {
                fd_read: wasi::SubscriptionFdReadwrite { file_descriptor: fd },
            },
        },
    }
}

/// FNV-1a over `bytes`, for printing a short fingerprint of large data.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Fills `bufs` in order with raw vectored reads until they are full or the
/// file ends, resubmitting the unfilled buffers after short reads (native
/// wasmtime fills only the first non-empty buffer per call). `read` gets the
/// iovecs and the number of bytes already read. Returns the total.
pub fn fill_vectored(
    bufs: &mut [&mut [u8]],
    mut read: impl FnMut(&[wasi::Iovec], usize) -> Result<usize, wasi::Errno>,
) -> Result<usize, wasi::Errno> {
    let mut total = 0;
    let mut filled = vec![0usize; bufs.len()];
    loop {
        let iovs: Vec<wasi::Iovec> = bufs
            .iter_mut()
            .zip(&filled)
            .filter(|(buf, done)| **done < buf.len())
            .map(|(buf, done)| wasi::Iovec {
                buf: buf[*done..].as_mut_ptr(),
                buf_len: buf.len() - done,
            })
            .collect();
        if iovs.is_empty() {
            return Ok(total);
        }
        let mut got = read(&iovs, total)?;
        if got == 0 {
            return Ok(total);
        }
        total += got;
        for (buf, done) in bufs.iter().zip(filled.iter_mut()) {
            let taken = got.min(buf.len() - *done);
            *done += taken;
            got -= taken;
        }
    }
}

/// `fd_read` into `bufs` until they are full or the file ends.
pub fn read_vectored_fully(fd: wasi::Fd, bufs: &mut [&mut [u8]]) -> Result<usize, wasi::Errno> {
    fill_vectored(bufs, |iovs, _| unsafe { wasi::fd_read(fd, iovs) })
}

/// `fd_pread` from `offset` into `bufs` until they are full or the file ends.
pub fn pread_vectored_fully(
    fd: wasi::Fd,
    bufs: &mut [&mut [u8]],
    offset: u64,
) -> Result<usize, wasi::Errno> {
    fill_vectored(bufs, |iovs, done| unsafe {
        wasi::fd_pread(fd, iovs, offset + done as u64)
    })
}

/// Everything from the current position of `fd` to the end, by raw `fd_read`.
pub fn read_to_end(fd: wasi::Fd) -> Result<Vec<u8>, wasi::Errno> {
    let mut data = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = unsafe {
            wasi::fd_read(
                fd,
                &[wasi::Iovec {
                    buf: chunk.as_mut_ptr(),
                    buf_len: chunk.len(),
                }],
            )?
        };
        if n == 0 {
            return Ok(data);
        }
        data.extend_from_slice(&chunk[..n]);
    }
}

/// The errno a call without a result answered, named as `raw_errno_name`
/// names it (`SUCCESS` for `Ok`).
pub fn errno_of(result: Result<(), wasi::Errno>) -> String {
    match result {
        Ok(()) => "SUCCESS".to_owned(),
        Err(errno) => errno.name().to_owned(),
    }
}

/// `Ok` or the errno's name, without the value: for calls whose result
/// (a descriptor number, a position) is not what the line is about.
pub fn status<T>(result: &Result<T, wasi::Errno>) -> String {
    match result {
        Ok(_) => "ok".to_owned(),
        Err(errno) => format!("errno {}", errno.name()),
    }
}

/// The `|`-joined names of the flags set in `bits`, or `0`.
pub fn flag_names(bits: u64, names: &[(u64, &str)]) -> String {
    let set: Vec<&str> = names
        .iter()
        .filter(|(bit, _)| bits & bit != 0)
        .map(|(_, name)| *name)
        .collect();
    if set.is_empty() {
        "0".to_owned()
    } else {
        set.join("|")
    }
}

/// The names of the `oflags` bits.
pub const OFLAG_NAMES: &[(u64, &str)] = &[
    (wasi::OFLAGS_CREAT as u64, "CREAT"),
    (wasi::OFLAGS_DIRECTORY as u64, "DIRECTORY"),
    (wasi::OFLAGS_EXCL as u64, "EXCL"),
    (wasi::OFLAGS_TRUNC as u64, "TRUNC"),
];

/// The names of the `fdflags` bits.
pub const FDFLAG_NAMES: &[(u64, &str)] = &[
    (wasi::FDFLAGS_APPEND as u64, "APPEND"),
    (wasi::FDFLAGS_DSYNC as u64, "DSYNC"),
    (wasi::FDFLAGS_NONBLOCK as u64, "NONBLOCK"),
    (wasi::FDFLAGS_RSYNC as u64, "RSYNC"),
    (wasi::FDFLAGS_SYNC as u64, "SYNC"),
];

/// Every right a regular file can have, for opening files read-write.
pub const FILE_RIGHTS: wasi::Rights = wasi::RIGHTS_FD_DATASYNC
    | wasi::RIGHTS_FD_READ
    | wasi::RIGHTS_FD_SEEK
    | wasi::RIGHTS_FD_FDSTAT_SET_FLAGS
    | wasi::RIGHTS_FD_SYNC
    | wasi::RIGHTS_FD_TELL
    | wasi::RIGHTS_FD_WRITE
    | wasi::RIGHTS_FD_ADVISE
    | wasi::RIGHTS_FD_ALLOCATE
    | wasi::RIGHTS_FD_FILESTAT_GET
    | wasi::RIGHTS_FD_FILESTAT_SET_SIZE
    | wasi::RIGHTS_FD_FILESTAT_SET_TIMES
    | wasi::RIGHTS_POLL_FD_READWRITE;

/// Rights for a directory opened to list it and work below it.
pub const DIR_RIGHTS: wasi::Rights = wasi::RIGHTS_FD_READDIR
    | wasi::RIGHTS_FD_FILESTAT_GET
    | wasi::RIGHTS_FD_FILESTAT_SET_TIMES
    | wasi::RIGHTS_PATH_CREATE_DIRECTORY
    | wasi::RIGHTS_PATH_CREATE_FILE
    | wasi::RIGHTS_PATH_LINK_SOURCE
    | wasi::RIGHTS_PATH_LINK_TARGET
    | wasi::RIGHTS_PATH_OPEN
    | wasi::RIGHTS_PATH_READLINK
    | wasi::RIGHTS_PATH_RENAME_SOURCE
    | wasi::RIGHTS_PATH_RENAME_TARGET
    | wasi::RIGHTS_PATH_FILESTAT_GET
    | wasi::RIGHTS_PATH_FILESTAT_SET_SIZE
    | wasi::RIGHTS_PATH_FILESTAT_SET_TIMES
    | wasi::RIGHTS_PATH_SYMLINK
    | wasi::RIGHTS_PATH_REMOVE_DIRECTORY
    | wasi::RIGHTS_PATH_UNLINK_FILE;

/// `path_open` below `dir` without following a final symlink.
pub fn open(
    dir: wasi::Fd,
    path: &str,
    oflags: wasi::Oflags,
    rights: wasi::Rights,
    fdflags: wasi::Fdflags,
) -> Result<wasi::Fd, wasi::Errno> {
    unsafe {
        wasi::path_open(
            dir,
            0,
            path,
            oflags,
            rights,
            FILE_RIGHTS | DIR_RIGHTS,
            fdflags,
        )
    }
}

/// Opens `path` below `dir` read-write, failing the program if it cannot.
pub fn open_rw(dir: wasi::Fd, path: &str) -> wasi::Fd {
    open(dir, path, 0, FILE_RIGHTS, 0).unwrap_or_else(|e| panic!("open {path}: {}", e.name()))
}

/// Creates (or truncates) `path` below `dir` holding `contents`.
pub fn create_file(dir: wasi::Fd, path: &str, contents: &[u8]) {
    let fd = open(
        dir,
        path,
        wasi::OFLAGS_CREAT | wasi::OFLAGS_TRUNC,
        FILE_RIGHTS,
        0,
    )
    .unwrap_or_else(|e| panic!("create {path}: {}", e.name()));
    write_all_vectored(fd, &[contents]).unwrap_or_else(|e| panic!("write {path}: {}", e.name()));
    unsafe { wasi::fd_close(fd) }.unwrap_or_else(|e| panic!("close {path}: {}", e.name()));
}

/// The contents of `path` below `dir`, or the errno of opening or reading it.
pub fn contents(dir: wasi::Fd, path: &str) -> Result<Vec<u8>, wasi::Errno> {
    let fd = open(dir, path, 0, wasi::RIGHTS_FD_READ, 0)?;
    let data = read_to_end(fd);
    unsafe { wasi::fd_close(fd) }?;
    data
}

/// `bytes` in double quotes, escaped where not printable ASCII.
pub fn show_bytes(bytes: &[u8]) -> String {
    format!("\"{}\"", bytes.escape_ascii())
}

/// The name of preopen `fd` (`fd_prestat_dir_name`), or the errno.
pub fn preopen_name(fd: wasi::Fd) -> Result<String, wasi::Errno> {
    let prestat = unsafe { wasi::fd_prestat_get(fd)? };
    let len = unsafe { prestat.u.dir.pr_name_len };
    let mut name = vec![0u8; len];
    unsafe { wasi::fd_prestat_dir_name(fd, name.as_mut_ptr(), len)? };
    Ok(String::from_utf8_lossy(&name).into_owned())
}

/// The name of an errno returned by a raw `wasi_snapshot_preview1` call.
pub fn raw_errno_name(raw: i32) -> String {
    match u16::try_from(raw) {
        Ok(0) => "SUCCESS".to_owned(),
        // `Errno` is a transparent u16 and 1..=76 are the defined values.
        Ok(code @ 1..=76) => unsafe { core::mem::transmute::<u16, wasi::Errno>(code) }
            .name()
            .to_owned(),
        _ => format!("unknown ({raw})"),
    }
}
