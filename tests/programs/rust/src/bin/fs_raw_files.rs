//! The fd_* functions on files and directories through raw preview1 calls:
//! path_open with every oflags combination, rights and fdflags; reads and
//! writes with many iovecs; seek and tell; filestat and fdstat, getting and
//! setting; advise, allocate, sync and close. (Out-of-range enum and flag
//! values are `fs_invalid_args`: native preview1 traps on some of them.) Every result is printed as an
//! errno name or as data any correct host reports identically.
//!
//! With the argument `times`, only fd_filestat_set_times is tried: some
//! hosts store a descriptor's times wrongly, a case of its own so that it
//! hides nothing else. With `first-use`, each kind of call is the first one
//! made on a freshly opened file, directory or symlink to a directory.
//!
//! Expects the case's tree at /sandbox (fd 3).

use wasi::{Fd, Whence};
use wasi_upgrade_test_programs::{
    FDFLAG_NAMES, FILE_RIGHTS, OFLAG_NAMES, contents, create_file, describe, flag_names, fnv1a,
    open, open_rw, pread_vectored_fully, preopen_name, read_to_end, read_vectored_fully,
    show_bytes, status, write_all_vectored,
};

const SANDBOX: Fd = 3;
const READ: wasi::Rights = wasi::RIGHTS_FD_READ | wasi::RIGHTS_FD_SEEK | wasi::RIGHTS_FD_TELL;
const WRITE: wasi::Rights = wasi::RIGHTS_FD_WRITE | wasi::RIGHTS_FD_SEEK | wasi::RIGHTS_FD_TELL;

fn main() {
    println!("fd 3: {:?}", preopen_name(SANDBOX));
    if std::env::args().nth(1).as_deref() == Some("times") {
        set_times();
        return;
    }
    if std::env::args().nth(1).as_deref() == Some("first-use") {
        first_use();
        return;
    }
    oflags();
    rights();
    fdflags_on_open();
    append();
    lookup_flags();
    iovecs();
    large_write();
    read_write_errors();
    seek_and_tell();
    filestat();
    set_size();
    fdstat();
    set_flags();
    set_rights();
    advise_allocate_sync();
    close();
}

/// Every combination of the four oflags on an existing file, a missing file
/// and a directory, read-only and read-write. Files left behind are compared.
fn oflags() {
    println!("-- path_open oflags");
    unsafe { wasi::path_create_directory(SANDBOX, "oflags") }.expect("mkdir oflags");
    let combos = [
        0,
        wasi::OFLAGS_CREAT,
        wasi::OFLAGS_EXCL,
        wasi::OFLAGS_TRUNC,
        wasi::OFLAGS_DIRECTORY,
        wasi::OFLAGS_CREAT | wasi::OFLAGS_EXCL,
        wasi::OFLAGS_CREAT | wasi::OFLAGS_TRUNC,
        wasi::OFLAGS_CREAT | wasi::OFLAGS_DIRECTORY,
        wasi::OFLAGS_EXCL | wasi::OFLAGS_DIRECTORY,
        wasi::OFLAGS_TRUNC | wasi::OFLAGS_DIRECTORY,
        wasi::OFLAGS_CREAT | wasi::OFLAGS_EXCL | wasi::OFLAGS_TRUNC,
        wasi::OFLAGS_CREAT | wasi::OFLAGS_EXCL | wasi::OFLAGS_DIRECTORY,
    ];
    for (i, &oflags) in combos.iter().enumerate() {
        for (mode, rights) in [("ro", READ), ("rw", READ | WRITE)] {
            for target in ["existing", "missing", "directory"] {
                let path = format!("oflags/{target}_{i}_{mode}");
                match target {
                    "existing" => create_file(SANDBOX, &path, b"abc"),
                    "directory" => unsafe { wasi::path_create_directory(SANDBOX, &path) }
                        .expect("mkdir for oflags"),
                    _ => {}
                }
                let result = describe_open(open(SANDBOX, &path, oflags, rights, 0));
                println!(
                    "{target} {} {mode}: {result}",
                    flag_names(oflags.into(), OFLAG_NAMES)
                );
            }
        }
    }
}

/// Creates `name` in the sandbox holding `contents` and opens it for
/// reading and writing.
fn new_file(name: &str, contents: &[u8]) -> Fd {
    create_file(SANDBOX, name, contents);
    open_rw(SANDBOX, name)
}

/// What a `path_open` gave: its errno, or the type of the descriptor it
/// opened and, for files, the size it has (the descriptor is closed).
fn describe_open(opened: Result<Fd, wasi::Errno>) -> String {
    let fd = match opened {
        Ok(fd) => fd,
        Err(e) => return format!("errno {}", e.name()),
    };
    let line = match unsafe { wasi::fd_filestat_get(fd) } {
        Ok(stat) if stat.filetype == wasi::FILETYPE_REGULAR_FILE => {
            format!("ok {} size {}", stat.filetype.name(), stat.size)
        }
        Ok(stat) => format!("ok {}", stat.filetype.name()),
        Err(e) => format!("ok, but fd_filestat_get errno {}", e.name()),
    };
    unsafe { wasi::fd_close(fd) }.expect("close");
    line
}

/// What reading and writing do with only some rights.
fn rights() {
    println!("-- rights");
    for (label, rights) in [
        ("read only", READ),
        ("write only", WRITE),
        ("no rights", 0),
        ("all rights", FILE_RIGHTS),
    ] {
        create_file(SANDBOX, "rights.txt", b"rights\n");
        let fd = open(SANDBOX, "rights.txt", 0, rights, 0).expect("open rights.txt");
        let mut buf = [0u8; 3];
        let read = read_vectored_fully(fd, &mut [&mut buf]);
        let read = match read {
            Ok(n) => format!("ok {}", show_bytes(&buf[..n])),
            Err(e) => format!("errno {}", e.name()),
        };
        let write = unsafe { wasi::fd_write(fd, &[ciovec(b"W")]) };
        println!("{label}: read {read}, write {}", describe(&write));
        unsafe { wasi::fd_close(fd) }.expect("close");
        println!(
            "{label}: file now {}",
            show_bytes(&contents(SANDBOX, "rights.txt").unwrap())
        );
    }
}

/// Each fdflag given to path_open, and what fd_fdstat_get reports afterwards.
fn fdflags_on_open() {
    println!("-- path_open fdflags");
    for flags in [
        0,
        wasi::FDFLAGS_APPEND,
        wasi::FDFLAGS_NONBLOCK,
        wasi::FDFLAGS_DSYNC,
        wasi::FDFLAGS_RSYNC,
        wasi::FDFLAGS_SYNC,
        wasi::FDFLAGS_APPEND | wasi::FDFLAGS_NONBLOCK,
    ] {
        let name = flag_names(flags.into(), FDFLAG_NAMES);
        match open(SANDBOX, "hello.txt", 0, READ | WRITE, flags) {
            Ok(fd) => {
                let stat = unsafe { wasi::fd_fdstat_get(fd) }.expect("fdstat");
                println!(
                    "open with {name}: ok, flags now {}",
                    flag_names(stat.fs_flags.into(), FDFLAG_NAMES)
                );
                unsafe { wasi::fd_close(fd) }.expect("close");
            }
            Err(e) => println!("open with {name}: errno {}", e.name()),
        }
    }
}

/// Writes through an APPEND descriptor land at the end, pwrite included.
fn append() {
    println!("-- append");
    create_file(SANDBOX, "append.txt", b"start\n");
    let fd = open(SANDBOX, "append.txt", 0, READ | WRITE, wasi::FDFLAGS_APPEND).expect("open");
    println!(
        "tell after open: {}",
        describe(&unsafe { wasi::fd_tell(fd) })
    );
    write_all_vectored(fd, &[b"one", b"", b"\n"]).expect("append write");
    println!(
        "tell after write: {}",
        describe(&unsafe { wasi::fd_tell(fd) })
    );
    let pwrite = unsafe { wasi::fd_pwrite(fd, &[ciovec(b"two\n")], 0) };
    println!("pwrite at 0: {}", describe(&pwrite));
    println!(
        "tell after pwrite: {}",
        describe(&unsafe { wasi::fd_tell(fd) })
    );
    unsafe { wasi::fd_seek(fd, 0, wasi::WHENCE_SET) }.expect("seek");
    write_all_vectored(fd, &[b"three\n"]).expect("append after seek");
    unsafe { wasi::fd_seek(fd, 0, wasi::WHENCE_SET) }.expect("seek");
    println!("contents: {}", show_bytes(&read_to_end(fd).unwrap()));
    unsafe { wasi::fd_close(fd) }.expect("close");
}

/// path_open on symlinks with and without SYMLINK_FOLLOW.
fn lookup_flags() {
    println!("-- lookup flags");
    for (path, oflags) in [
        ("link_hello", 0),
        ("link_dir", wasi::OFLAGS_DIRECTORY),
        ("link_dir/nested.txt", 0),
        ("link_dangling", 0),
        ("link_dangling", wasi::OFLAGS_CREAT),
        ("loop_a", 0),
    ] {
        for follow in [0, wasi::LOOKUPFLAGS_SYMLINK_FOLLOW] {
            let opened =
                unsafe { wasi::path_open(SANDBOX, follow, path, oflags, READ | WRITE, 0, 0) };
            let result = describe_open(opened);
            let follow = if follow == 0 { "nofollow" } else { "follow" };
            println!(
                "{path} {} {follow}: {result}",
                flag_names(oflags.into(), OFLAG_NAMES)
            );
        }
    }
}

fn ciovec(bytes: &[u8]) -> wasi::Ciovec {
    wasi::Ciovec {
        buf: bytes.as_ptr(),
        buf_len: bytes.len(),
    }
}

/// fd_read, fd_write, fd_pread and fd_pwrite with several iovecs, empty ones
/// among them: every iovec must be honoured.
fn iovecs() {
    println!("-- iovecs");
    let fd = open(
        SANDBOX,
        "iovecs.txt",
        wasi::OFLAGS_CREAT | wasi::OFLAGS_EXCL,
        READ | WRITE,
        0,
    )
    .expect("create iovecs.txt");
    write_all_vectored(fd, &[b"", b"abc", b"", b"defg", b"", b"hij", b""]).expect("write");
    println!(
        "tell after write: {}",
        describe(&unsafe { wasi::fd_tell(fd) })
    );
    unsafe { wasi::fd_seek(fd, 0, wasi::WHENCE_SET) }.expect("seek");
    let (mut a, mut b, mut c, mut d, mut e) = ([0u8; 0], [0u8; 2], [0u8; 0], [0u8; 5], [0u8; 100]);
    let total = read_vectored_fully(fd, &mut [&mut a, &mut b, &mut c, &mut d, &mut e]);
    println!(
        "read into [0,2,0,5,100]: {} -> {} {} {}",
        describe(&total),
        show_bytes(&b),
        show_bytes(&d),
        show_bytes(&e[..total.unwrap_or(0).saturating_sub(7)])
    );
    let mut one = [0u8; 4];
    let at_eof = unsafe { wasi::fd_read(fd, &[iovec(&mut one)]) };
    println!("fd_read at end of file: {}", describe(&at_eof));
    println!(
        "fd_read with no iovecs: {}",
        describe(&unsafe { wasi::fd_read(fd, &[]) })
    );
    unsafe { wasi::fd_seek(fd, 0, wasi::WHENCE_SET) }.expect("seek");
    let empties = unsafe { wasi::fd_read(fd, &[iovec(&mut []), iovec(&mut [])]) };
    println!("fd_read with only empty iovecs: {}", describe(&empties));
    println!(
        "tell after empty reads: {}",
        describe(&unsafe { wasi::fd_tell(fd) })
    );
    unsafe { wasi::fd_seek(fd, 10, wasi::WHENCE_SET) }.expect("seek");

    let (mut x, mut y, mut z) = ([0u8; 2], [0u8; 0], [0u8; 4]);
    let pread = pread_vectored_fully(fd, &mut [&mut x, &mut y, &mut z], 3);
    println!(
        "pread [2,0,4] at 3: {} -> {} {}",
        describe(&pread),
        show_bytes(&x),
        show_bytes(&z)
    );
    let mut far = [0u8; 8];
    let beyond = unsafe { wasi::fd_pread(fd, &[iovec(&mut far)], 100) };
    println!("pread at 100: {}", describe(&beyond));
    println!(
        "tell after preads: {}",
        describe(&unsafe { wasi::fd_tell(fd) })
    );

    let pwrite = pwrite_all(fd, &[b"XY", b"", b"Z"], 1);
    println!("pwrite [2,0,1] at 1: {}", describe(&pwrite));
    let past_end = pwrite_all(fd, &[b"end"], 14);
    println!("pwrite at 14 (past the end): {}", describe(&past_end));
    println!(
        "tell after pwrites: {}",
        describe(&unsafe { wasi::fd_tell(fd) })
    );
    unsafe { wasi::fd_seek(fd, 2, wasi::WHENCE_SET) }.expect("seek");
    write_all_vectored(fd, &[b"-", b"-"]).expect("write at 2");
    println!(
        "tell after write at 2: {}",
        describe(&unsafe { wasi::fd_tell(fd) })
    );
    unsafe { wasi::fd_close(fd) }.expect("close");
    println!(
        "iovecs.txt: {}",
        show_bytes(&contents(SANDBOX, "iovecs.txt").unwrap())
    );
}

fn iovec(buf: &mut [u8]) -> wasi::Iovec {
    wasi::Iovec {
        buf: buf.as_mut_ptr(),
        buf_len: buf.len(),
    }
}

/// Writes all of `bufs` at `offset` with raw fd_pwrite, resubmitting after
/// short writes. Returns the total written.
fn pwrite_all(fd: Fd, bufs: &[&[u8]], offset: u64) -> Result<usize, wasi::Errno> {
    let mut pending: Vec<&[u8]> = bufs.to_vec();
    let mut total = 0;
    while pending.iter().any(|b| !b.is_empty()) {
        let iovs: Vec<wasi::Ciovec> = pending.iter().map(|b| ciovec(b)).collect();
        let mut written = unsafe { wasi::fd_pwrite(fd, &iovs, offset + total as u64)? };
        total += written;
        for buf in pending.iter_mut() {
            let taken = written.min(buf.len());
            *buf = &buf[taken..];
            written -= taken;
        }
        pending.retain(|b| !b.is_empty());
    }
    Ok(total)
}

/// 4 MiB written from 64 iovecs and read back through 3 iovecs.
fn large_write() {
    println!("-- large transfer");
    let block: Vec<u8> = (0..65536u32).map(|i| (i % 251) as u8).collect();
    let fd = open(SANDBOX, "large.bin", wasi::OFLAGS_CREAT, READ | WRITE, 0).expect("create");
    let bufs: Vec<&[u8]> = (0..64).map(|_| block.as_slice()).collect();
    write_all_vectored(fd, &bufs).expect("large write");
    let size = unsafe { wasi::fd_filestat_get(fd) }.map(|s| s.size);
    println!("size after writing 64 x 64 KiB: {}", describe(&size));
    let mut data = vec![0u8; 4 << 20];
    let (a, rest) = data.split_at_mut(1000);
    let (b, c) = rest.split_at_mut(2 << 20);
    let read = pread_vectored_fully(fd, &mut [a, b, c], 0);
    println!(
        "pread back: {}, fnv1a {:#018x}, expected {:#018x}",
        describe(&read),
        fnv1a(&data),
        fnv1a(&bufs.concat())
    );
    unsafe { wasi::fd_close(fd) }.expect("close");
    unsafe { wasi::path_unlink_file(SANDBOX, "large.bin") }.expect("unlink large.bin");
}

/// Reads and writes on descriptors that cannot do them.
fn read_write_errors() {
    println!("-- read/write errors");
    let dir = open(SANDBOX, "dir", wasi::OFLAGS_DIRECTORY, READ, 0).expect("open dir");
    let mut buf = [0u8; 4];
    println!(
        "fd_read on a directory: {}",
        describe(&unsafe { wasi::fd_read(dir, &[iovec(&mut buf)]) })
    );
    println!(
        "fd_write on a directory: {}",
        describe(&unsafe { wasi::fd_write(dir, &[ciovec(b"x")]) })
    );
    println!(
        "fd_pread on a directory: {}",
        describe(&unsafe { wasi::fd_pread(dir, &[iovec(&mut buf)], 0) })
    );
    println!(
        "fd_pwrite on a directory: {}",
        describe(&unsafe { wasi::fd_pwrite(dir, &[ciovec(b"x")], 0) })
    );
    println!(
        "fd_read on a preopen: {}",
        describe(&unsafe { wasi::fd_read(SANDBOX, &[iovec(&mut buf)]) })
    );
    unsafe { wasi::fd_close(dir) }.expect("close");
    println!(
        "fd_pread on stdin: {}",
        describe(&unsafe { wasi::fd_pread(0, &[iovec(&mut buf)], 0) })
    );
    println!(
        "fd_pwrite on stdout: {}",
        describe(&unsafe { wasi::fd_pwrite(1, &[ciovec(b"x")], 0) })
    );
    println!(
        "fd_read on stdout: {}",
        describe(&unsafe { wasi::fd_read(1, &[iovec(&mut buf)]) })
    );
    println!(
        "fd_write on stdin: {}",
        describe(&unsafe { wasi::fd_write(0, &[ciovec(b"x")]) })
    );
    let fd = open_rw(SANDBOX, "hello.txt");
    unsafe { wasi::fd_close(fd) }.expect("close");
    println!(
        "fd_read on a closed fd: {}",
        describe(&unsafe { wasi::fd_read(fd, &[iovec(&mut buf)]) })
    );
    println!(
        "fd_write on a closed fd: {}",
        describe(&unsafe { wasi::fd_write(fd, &[ciovec(b"x")]) })
    );
    println!(
        "fd_pread on fd 999: {}",
        describe(&unsafe { wasi::fd_pread(999, &[iovec(&mut buf)], 0) })
    );
    println!(
        "fd_pwrite on fd 999: {}",
        describe(&unsafe { wasi::fd_pwrite(999, &[ciovec(b"x")], 0) })
    );
}

/// fd_seek with every whence, offsets before the start and past the end,
/// an invalid whence, and descriptors that cannot seek; fd_tell alongside.
fn seek_and_tell() {
    println!("-- seek and tell");
    let fd = open(SANDBOX, "digits.txt", 0, READ, 0).expect("open digits.txt");
    let whence_name = |w: Whence| match w.raw() {
        0 => "SET",
        1 => "CUR",
        _ => "END",
    };
    for (offset, whence) in [
        (3, wasi::WHENCE_SET),
        (2, wasi::WHENCE_CUR),
        (-1, wasi::WHENCE_CUR),
        (0, wasi::WHENCE_END),
        (-3, wasi::WHENCE_END),
        (5, wasi::WHENCE_END),
        (-1, wasi::WHENCE_SET),
        (-100, wasi::WHENCE_CUR),
        (-11, wasi::WHENCE_END),
        (0, wasi::WHENCE_SET),
        (0, wasi::WHENCE_CUR),
    ] {
        let seek = unsafe { wasi::fd_seek(fd, offset, whence) };
        let tell = unsafe { wasi::fd_tell(fd) };
        let mut byte = [0u8; 1];
        let read = unsafe { wasi::fd_read(fd, &[iovec(&mut byte)]) };
        let next = match read {
            Ok(1) => show_bytes(&byte),
            other => describe(&other),
        };
        println!(
            "seek {offset} {}: {}, tell {}, next byte {next}",
            whence_name(whence),
            describe(&seek),
            describe(&tell)
        );
    }
    unsafe { wasi::fd_close(fd) }.expect("close");
    let dir = open(SANDBOX, "dir", wasi::OFLAGS_DIRECTORY, READ, 0).expect("open dir");
    for (label, fd) in [
        ("a directory", dir),
        ("a preopen", SANDBOX),
        ("stdin", 0),
        ("stdout", 1),
        ("a closed fd", fd),
    ] {
        println!(
            "seek on {label}: {}, tell: {}",
            describe(&unsafe { wasi::fd_seek(fd, 0, wasi::WHENCE_CUR) }),
            describe(&unsafe { wasi::fd_tell(fd) })
        );
    }
    unsafe { wasi::fd_close(dir) }.expect("close");
}

/// fd_filestat_get on files, directories and stdio.
fn filestat() {
    println!("-- fd_filestat_get");
    let file = open(SANDBOX, "hello.txt", 0, READ, 0).expect("open");
    let dir = open(SANDBOX, "dir", wasi::OFLAGS_DIRECTORY, READ, 0).expect("open dir");
    for (label, fd) in [("hello.txt", file), ("dir", dir), ("a preopen", SANDBOX)] {
        match unsafe { wasi::fd_filestat_get(fd) } {
            Ok(stat) if stat.filetype == wasi::FILETYPE_REGULAR_FILE => println!(
                "{label}: {} size {} nlink {}",
                stat.filetype.name(),
                stat.size,
                stat.nlink
            ),
            Ok(stat) => println!("{label}: {}", stat.filetype.name()),
            Err(e) => println!("{label}: errno {}", e.name()),
        }
    }
    let again = open(SANDBOX, "hello.txt", 0, READ, 0).expect("open");
    let (a, b) = unsafe { (wasi::fd_filestat_get(file), wasi::fd_filestat_get(again)) };
    let other = unsafe { wasi::fd_filestat_get(dir) };
    println!(
        "same file, same ino: {}; other file, other ino: {}",
        a.unwrap().ino == b.unwrap().ino,
        a.unwrap().ino != other.unwrap().ino
    );
    for fd in [file, dir, again] {
        unsafe { wasi::fd_close(fd) }.expect("close");
    }
    println!(
        "closed fd: {}",
        status(&unsafe { wasi::fd_filestat_get(file) })
    );
}

/// fd_filestat_set_size growing and shrinking, and where it cannot apply.
fn set_size() {
    println!("-- fd_filestat_set_size");
    let fd = new_file("sized.txt", b"0123456789");
    for size in [20, 4, 6] {
        let result = unsafe { wasi::fd_filestat_set_size(fd, size) };
        let now = unsafe { wasi::fd_filestat_get(fd) }.map(|s| s.size);
        println!(
            "set_size {size}: {}, size now {}",
            describe(&result),
            describe(&now)
        );
    }
    unsafe { wasi::fd_close(fd) }.expect("close");
    println!(
        "sized.txt: {}",
        show_bytes(&contents(SANDBOX, "sized.txt").unwrap())
    );
    let read_only = open(SANDBOX, "sized.txt", 0, READ, 0).expect("open");
    println!(
        "set_size on a read-only fd: {}",
        describe(&unsafe { wasi::fd_filestat_set_size(read_only, 1) })
    );
    unsafe { wasi::fd_close(read_only) }.expect("close");
    let dir = open(SANDBOX, "dir", wasi::OFLAGS_DIRECTORY, READ, 0).expect("open dir");
    println!(
        "set_size on a directory: {}",
        describe(&unsafe { wasi::fd_filestat_set_size(dir, 1) })
    );
    unsafe { wasi::fd_close(dir) }.expect("close");
    println!(
        "set_size on stdout: {}",
        describe(&unsafe { wasi::fd_filestat_set_size(1, 1) })
    );
}

/// fd_filestat_set_times with explicit times (read back exactly), with NOW,
/// with one of the two, and with contradictory flags. The times are a few
/// seconds after 1970: a host that stores them 1000 (or, rewriting a time
/// left unchanged, a million or a billion) times too large still stays
/// inside what every file system keeps exactly (32-bit seconds), so what it
/// shows does not depend on the file system the tests run on.
fn set_times() {
    println!("-- fd_filestat_set_times");
    const ATIM: u64 = 1_000_000_005;
    const MTIM: u64 = 2_123_456_789;
    const ONLY_MTIM: u64 = 3_000_000_000;
    let fd = new_file("times.txt", b"times");
    let times = |fd| {
        unsafe { wasi::fd_filestat_get(fd) }
            .map(|s| (s.atim, s.mtim))
            .unwrap()
    };
    let set = |fd, atim, mtim, flags| unsafe { wasi::fd_filestat_set_times(fd, atim, mtim, flags) };

    let explicit = set(fd, ATIM, MTIM, wasi::FSTFLAGS_ATIM | wasi::FSTFLAGS_MTIM);
    println!("explicit: {} -> {:?}", describe(&explicit), times(fd));
    let only_mtim = set(fd, 7, ONLY_MTIM, wasi::FSTFLAGS_MTIM);
    println!("mtim only: {} -> {:?}", describe(&only_mtim), times(fd));
    let nothing = set(fd, 1, 2, 0);
    println!("no flags: {} -> {:?}", describe(&nothing), times(fd));
    let now = set(fd, 0, 0, wasi::FSTFLAGS_ATIM_NOW | wasi::FSTFLAGS_MTIM_NOW);
    let (atim, mtim) = times(fd);
    println!(
        "now: {}, atim advanced {}, mtim advanced {}",
        describe(&now),
        atim > ATIM,
        mtim > ONLY_MTIM
    );
    let atim_both = set(fd, ATIM, 0, wasi::FSTFLAGS_ATIM | wasi::FSTFLAGS_ATIM_NOW);
    let mtim_both = set(fd, 0, MTIM, wasi::FSTFLAGS_MTIM | wasi::FSTFLAGS_MTIM_NOW);
    println!(
        "ATIM|ATIM_NOW: {}, MTIM|MTIM_NOW: {}",
        describe(&atim_both),
        describe(&mtim_both)
    );
    let read_only = open(SANDBOX, "times.txt", 0, READ, 0).expect("open");
    let through_ro = set(
        read_only,
        ATIM,
        MTIM,
        wasi::FSTFLAGS_ATIM | wasi::FSTFLAGS_MTIM,
    );
    println!(
        "through a read-only fd: {} -> {:?}",
        describe(&through_ro),
        times(read_only)
    );
    unsafe { wasi::fd_close(read_only) }.expect("close");
    unsafe { wasi::fd_close(fd) }.expect("close");

    let dir = open(SANDBOX, "empty_dir", wasi::OFLAGS_DIRECTORY, READ, 0).expect("open dir");
    let on_dir = set(dir, ATIM, MTIM, wasi::FSTFLAGS_ATIM | wasi::FSTFLAGS_MTIM);
    println!("on a directory: {} -> {:?}", describe(&on_dir), times(dir));
    unsafe { wasi::fd_close(dir) }.expect("close");
    let on_stdout = set(1, ATIM, MTIM, wasi::FSTFLAGS_ATIM | wasi::FSTFLAGS_MTIM);
    println!("on stdout: {}", describe(&on_stdout));
    println!(
        "on a closed fd: {}",
        describe(&set(dir, ATIM, MTIM, wasi::FSTFLAGS_ATIM))
    );
}

fn show_fdstat(label: &str, fd: Fd) {
    match unsafe { wasi::fd_fdstat_get(fd) } {
        Ok(stat) => println!(
            "{label}: {} flags {} rights {:#x} inheriting {:#x}",
            stat.fs_filetype.name(),
            flag_names(stat.fs_flags.into(), FDFLAG_NAMES),
            stat.fs_rights_base,
            stat.fs_rights_inheriting
        ),
        Err(e) => println!("{label}: errno {}", e.name()),
    }
}

/// fd_fdstat_get on files opened with different rights and on directories.
fn fdstat() {
    println!("-- fd_fdstat_get");
    for (label, rights) in [
        ("read", READ),
        ("write", WRITE),
        ("read-write", READ | WRITE),
    ] {
        let fd = open(SANDBOX, "hello.txt", 0, rights, 0).expect("open");
        show_fdstat(&format!("file opened {label}"), fd);
        unsafe { wasi::fd_close(fd) }.expect("close");
    }
    let dir = open(SANDBOX, "dir", wasi::OFLAGS_DIRECTORY, READ, 0).expect("open dir");
    show_fdstat("directory", dir);
    unsafe { wasi::fd_close(dir) }.expect("close");
    show_fdstat("preopen", SANDBOX);
    show_fdstat("closed fd", dir);
}

/// fd_fdstat_set_flags with each flag, and the effect of APPEND on writes.
fn set_flags() {
    println!("-- fd_fdstat_set_flags");
    let fd = new_file("flags.txt", b"base\n");
    for flags in [
        wasi::FDFLAGS_APPEND,
        wasi::FDFLAGS_NONBLOCK,
        wasi::FDFLAGS_APPEND | wasi::FDFLAGS_NONBLOCK,
        0,
        wasi::FDFLAGS_SYNC,
        wasi::FDFLAGS_DSYNC,
        wasi::FDFLAGS_RSYNC,
        wasi::FDFLAGS_APPEND,
    ] {
        let result = unsafe { wasi::fd_fdstat_set_flags(fd, flags) };
        let now = unsafe { wasi::fd_fdstat_get(fd) }
            .map(|s| s.fs_flags)
            .unwrap();
        println!(
            "set {}: {}, flags now {}",
            flag_names(flags.into(), FDFLAG_NAMES),
            describe(&result),
            flag_names(now.into(), FDFLAG_NAMES)
        );
    }
    // APPEND is on: this write goes to the end despite the position at 0.
    unsafe { wasi::fd_seek(fd, 0, wasi::WHENCE_SET) }.expect("seek");
    write_all_vectored(fd, &[b"appended\n"]).expect("write");
    unsafe { wasi::fd_fdstat_set_flags(fd, 0) }.expect("clear APPEND");
    unsafe { wasi::fd_seek(fd, 0, wasi::WHENCE_SET) }.expect("seek");
    write_all_vectored(fd, &[b"BA"]).expect("write at 0");
    unsafe { wasi::fd_close(fd) }.expect("close");
    println!(
        "flags.txt: {}",
        show_bytes(&contents(SANDBOX, "flags.txt").unwrap())
    );

    let dir = open(SANDBOX, "dir", wasi::OFLAGS_DIRECTORY, READ, 0).expect("open dir");
    for (label, fd) in [
        ("a directory", dir),
        ("a preopen", SANDBOX),
        ("a closed fd", fd),
    ] {
        let result = unsafe { wasi::fd_fdstat_set_flags(fd, wasi::FDFLAGS_NONBLOCK) };
        println!("set NONBLOCK on {label}: {}", describe(&result));
    }
    unsafe { wasi::fd_close(dir) }.expect("close");
}

/// fd_fdstat_set_rights: keeping, dropping and adding rights.
fn set_rights() {
    println!("-- fd_fdstat_set_rights");
    let fd = open(SANDBOX, "hello.txt", 0, READ, 0).expect("open");
    let stat = unsafe { wasi::fd_fdstat_get(fd) }.expect("fdstat");
    for (label, base) in [
        ("the same rights", stat.fs_rights_base),
        ("fewer rights", wasi::RIGHTS_FD_READ),
        ("no rights", 0),
    ] {
        let result = unsafe { wasi::fd_fdstat_set_rights(fd, base, stat.fs_rights_inheriting) };
        show_fdstat(&format!("set {label}: {}, now", describe(&result)), fd);
    }
    let mut buf = [0u8; 5];
    let read = read_vectored_fully(fd, &mut [&mut buf]);
    println!(
        "read after dropping rights: {} {}",
        describe(&read),
        show_bytes(&buf)
    );
    unsafe { wasi::fd_close(fd) }.expect("close");
    let result = unsafe { wasi::fd_fdstat_set_rights(SANDBOX, 0, 0) };
    println!("on a preopen: {}", describe(&result));
    println!(
        "on a closed fd: {}",
        describe(&unsafe { wasi::fd_fdstat_set_rights(fd, 0, 0) })
    );
}

/// fd_advise, fd_allocate, fd_datasync and fd_sync on files and on the
/// descriptors they do not apply to.
fn advise_allocate_sync() {
    println!("-- advise, allocate, sync");
    let fd = new_file("sync.txt", b"sync me\n");
    for advice in [
        wasi::ADVICE_NORMAL,
        wasi::ADVICE_SEQUENTIAL,
        wasi::ADVICE_RANDOM,
        wasi::ADVICE_WILLNEED,
        wasi::ADVICE_DONTNEED,
        wasi::ADVICE_NOREUSE,
    ] {
        let result = unsafe { wasi::fd_advise(fd, 0, 8, advice) };
        println!("advise {}: {}", advice.name(), describe(&result));
    }
    println!(
        "allocate 0+100: {}",
        describe(&unsafe { wasi::fd_allocate(fd, 0, 100) })
    );
    println!(
        "size after allocate: {}",
        describe(&unsafe { wasi::fd_filestat_get(fd) }.map(|s| s.size))
    );
    println!("datasync: {}", describe(&unsafe { wasi::fd_datasync(fd) }));
    println!("sync: {}", describe(&unsafe { wasi::fd_sync(fd) }));
    unsafe { wasi::fd_close(fd) }.expect("close");
    let read_only = open(SANDBOX, "sync.txt", 0, READ, 0).expect("open");
    println!(
        "read-only: datasync {}, sync {}",
        describe(&unsafe { wasi::fd_datasync(read_only) }),
        describe(&unsafe { wasi::fd_sync(read_only) })
    );
    unsafe { wasi::fd_close(read_only) }.expect("close");
    let dir = open(SANDBOX, "dir", wasi::OFLAGS_DIRECTORY, READ, 0).expect("open dir");
    for (label, fd) in [
        ("a directory", dir),
        ("a preopen", SANDBOX),
        ("stdout", 1),
        ("a closed fd", fd),
    ] {
        println!(
            "{label}: advise {}, allocate {}, datasync {}, sync {}",
            describe(&unsafe { wasi::fd_advise(fd, 0, 1, wasi::ADVICE_NORMAL) }),
            describe(&unsafe { wasi::fd_allocate(fd, 0, 1) }),
            describe(&unsafe { wasi::fd_datasync(fd) }),
            describe(&unsafe { wasi::fd_sync(fd) })
        );
    }
    unsafe { wasi::fd_close(dir) }.expect("close");
}

/// fd_close twice, and closing a directory.
fn close() {
    println!("-- fd_close");
    let fd = open_rw(SANDBOX, "hello.txt");
    println!("close: {}", describe(&unsafe { wasi::fd_close(fd) }));
    println!("close again: {}", describe(&unsafe { wasi::fd_close(fd) }));
    let dir = open(SANDBOX, "dir", wasi::OFLAGS_DIRECTORY, READ, 0).expect("open dir");
    println!(
        "close a directory: {}",
        describe(&unsafe { wasi::fd_close(dir) })
    );
    println!(
        "close fd 999: {}",
        describe(&unsafe { wasi::fd_close(999) })
    );
}

/// Each kind of call as the first one on a freshly opened fd, for a file, a
/// directory opened with and without `DIRECTORY`, and a symlink to a
/// directory; then what `fd_fdstat_get` says of the fd after it.
fn first_use() {
    println!("-- first use");
    let targets: [(&str, &str, wasi::Oflags, wasi::Rights, wasi::Fdflags); 5] = [
        ("file", "hello.txt", 0, READ | WRITE, 0),
        ("appending file", "digits.txt", 0, READ | WRITE, wasi::FDFLAGS_APPEND),
        ("directory", "dir", 0, READ, 0),
        ("directory with DIRECTORY", "dir", wasi::OFLAGS_DIRECTORY, READ, 0),
        ("directory asked APPEND", "dir/sub", 0, READ, wasi::FDFLAGS_APPEND),
    ];
    let calls = [
        "fdstat", "filestat", "read", "write", "pread", "pwrite", "seek", "tell", "readdir",
        "set_flags", "set_size", "advise", "sync", "path_open", "path_filestat", "prestat",
        "renumber", "close",
    ];
    for (label, path, oflags, rights, fdflags) in targets {
        for call in calls {
            let fd = open(SANDBOX, path, oflags, rights, fdflags).expect("open for first use");
            let result = first_call(fd, call);
            let after = match call {
                "close" => describe(&unsafe { wasi::fd_fdstat_get(fd) }.map(|_| ())),
                "renumber" => continue,
                _ => match unsafe { wasi::fd_fdstat_get(fd) } {
                    Ok(stat) => format!(
                        "{} flags {} rights {:#x}",
                        stat.fs_filetype.name(),
                        flag_names(stat.fs_flags.into(), FDFLAG_NAMES),
                        stat.fs_rights_base
                    ),
                    Err(e) => format!("errno {}", e.name()),
                },
            };
            println!("{label} {call}: {result}; then {after}");
            if call != "close" {
                unsafe { wasi::fd_close(fd) }.expect("close after first use");
            }
        }
        // Renumbered first, then used where it landed.
        let fd = open(SANDBOX, path, oflags, rights, fdflags).expect("open for renumber");
        let other = open(SANDBOX, "empty.txt", 0, READ, 0).expect("open empty.txt");
        let moved = describe(&unsafe { wasi::fd_renumber(fd, other) });
        let stat = unsafe { wasi::fd_fdstat_get(other) }.map(|stat| stat.fs_filetype.name());
        let from = describe(&unsafe { wasi::fd_fdstat_get(fd) }.map(|_| ()));
        println!("{label} renumbered: {moved}, lands as {}, source {from}", describe(&stat));
        unsafe { wasi::fd_close(other) }.expect("close renumbered");
    }
    // An fd freshly renumbered onto and then closed, both never typed.
    let a = open(SANDBOX, "hello.txt", 0, READ, 0).expect("open a");
    let b = open(SANDBOX, "dir", 0, READ, 0).expect("open b");
    let moved = describe(&unsafe { wasi::fd_renumber(a, b) });
    let closed = describe(&unsafe { wasi::fd_close(b) });
    let again = describe(&unsafe { wasi::fd_close(a) });
    println!("untyped onto untyped: renumber {moved}, close {closed}, source close {again}");
}

fn first_call(fd: Fd, call: &str) -> String {
    let mut buf = [0u8; 4];
    let mut listing = [0u8; 4096];
    let data = *b"xy";
    let iov = [wasi::Iovec { buf: buf.as_mut_ptr(), buf_len: buf.len() }];
    let ciov = [wasi::Ciovec { buf: data.as_ptr(), buf_len: data.len() }];
    unsafe {
        match call {
            "fdstat" => describe(&wasi::fd_fdstat_get(fd).map(|stat| {
                (stat.fs_filetype.name(), stat.fs_flags, stat.fs_rights_base)
            })),
            "filestat" => describe(&wasi::fd_filestat_get(fd).map(|stat| {
                let size = (stat.filetype == wasi::FILETYPE_REGULAR_FILE).then_some(stat.size);
                (stat.filetype.name(), size)
            })),
            "read" => describe(&wasi::fd_read(fd, &iov)),
            "write" => describe(&wasi::fd_write(fd, &ciov)),
            "pread" => describe(&wasi::fd_pread(fd, &iov, 1)),
            "pwrite" => describe(&wasi::fd_pwrite(fd, &ciov, 100)),
            "seek" => describe(&wasi::fd_seek(fd, 2, wasi::WHENCE_SET)),
            "tell" => describe(&wasi::fd_tell(fd)),
            // All entries fit, so the size does not depend on their order.
            "readdir" => describe(&wasi::fd_readdir(fd, listing.as_mut_ptr(), listing.len(), 0)),
            "set_flags" => describe(&wasi::fd_fdstat_set_flags(fd, wasi::FDFLAGS_NONBLOCK)),
            "set_size" => describe(&wasi::fd_filestat_set_size(fd, 13)),
            "advise" => describe(&wasi::fd_advise(fd, 0, 4, wasi::ADVICE_NORMAL)),
            "sync" => describe(&wasi::fd_sync(fd)),
            "path_open" => {
                let opened = open(fd, "nested.txt", 0, READ, 0);
                if let Ok(inner) = opened {
                    wasi::fd_close(inner).expect("close nested");
                }
                status(&opened)
            }
            "path_filestat" => describe(&wasi::path_filestat_get(fd, 0, "sub").map(|s| s.filetype.name())),
            "prestat" => describe(&wasi::fd_prestat_get(fd).map(|_| ())),
            "renumber" => describe(&wasi::fd_renumber(fd, fd)),
            "close" => describe(&wasi::fd_close(fd)),
            _ => unreachable!(),
        }
    }
}
