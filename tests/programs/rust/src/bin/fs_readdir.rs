//! fd_readdir through raw preview1 calls: `.` and `..`, buffers that hold
//! one entry or less (resuming from cookies), cookie stability, restarting,
//! cookies past the end, listings after changes, a directory of 128 entries
//! the program creates and walks through a one-entry buffer, and the
//! directory `big` of the case, holding `entry_000000` up to the count given
//! as the first argument.
//!
//! Listing order is the host file system's, so entries are printed sorted;
//! what must match is the set of names, their types and how cookies behave.
//!
//! Expects the case's tree at /sandbox (fd 3), with `big` in it.

use wasi::Fd;
use wasi_upgrade_test_programs::{DIR_RIGHTS, create_file, describe, fnv1a, status};

const SANDBOX: Fd = 3;
const HEADER: usize = 24;

/// One directory entry as fd_readdir reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    name: String,
    kind: &'static str,
    ino: u64,
    next: u64,
}

fn main() {
    let big: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .expect("usage: fs_readdir <entries in big> [walk-big-in-small-buffer]");
    let walk_big = std::env::args().nth(2).as_deref() == Some("walk-big-in-small-buffer");
    small_directories();
    buffers_smaller_than_an_entry();
    cookies();
    changes();
    errors();
    medium_directory(128);
    big_directory(big, walk_big);
}

/// Every entry of `fd` from `cookie` on, read through a `buf_len`-byte
/// buffer, resuming from the cookie of the last complete entry after each
/// call. A buffer too small for the next entry is doubled, as wasi-libc does.
fn list_from(fd: Fd, buf_len: usize, mut cookie: u64) -> Result<Vec<Entry>, wasi::Errno> {
    let mut buf = vec![0u8; buf_len];
    let mut entries = Vec::new();
    loop {
        let used = unsafe { wasi::fd_readdir(fd, buf.as_mut_ptr(), buf.len(), cookie)? };
        let (parsed, complete) = parse(&buf[..used]);
        if let Some(last) = parsed.last() {
            cookie = last.next;
        }
        let progress = !parsed.is_empty();
        entries.extend(parsed);
        if used < buf.len() {
            // A short buffer means the end, and it must hold only whole entries.
            assert!(complete, "fd_readdir ended with a truncated entry");
            return Ok(entries);
        }
        if !progress {
            buf.resize(buf.len() * 2, 0);
        }
    }
}

fn list(fd: Fd, buf_len: usize) -> Vec<Entry> {
    list_from(fd, buf_len, 0).expect("fd_readdir")
}

/// The whole entries at the start of `bytes`, and whether nothing follows them.
fn parse(bytes: &[u8]) -> (Vec<Entry>, bool) {
    let mut entries = Vec::new();
    let mut at = 0;
    while at + HEADER <= bytes.len() {
        let field = |from: usize, len: usize| {
            let mut raw = [0u8; 8];
            raw[..len].copy_from_slice(&bytes[at + from..at + from + len]);
            u64::from_le_bytes(raw)
        };
        let (next, ino, namlen, kind) = (
            field(0, 8),
            field(8, 8),
            field(16, 4) as usize,
            bytes[at + 20],
        );
        if at + HEADER + namlen > bytes.len() {
            break;
        }
        let name = String::from_utf8_lossy(&bytes[at + HEADER..at + HEADER + namlen]).into_owned();
        entries.push(Entry {
            name,
            kind: type_name(kind),
            ino,
            next,
        });
        at += HEADER + namlen;
    }
    (entries, at == bytes.len())
}

fn type_name(raw: u8) -> &'static str {
    match raw {
        0 => "UNKNOWN",
        1 => "BLOCK_DEVICE",
        2 => "CHARACTER_DEVICE",
        3 => "DIRECTORY",
        4 => "REGULAR_FILE",
        5 => "SOCKET_DGRAM",
        6 => "SOCKET_STREAM",
        7 => "SYMBOLIC_LINK",
        _ => "INVALID",
    }
}

fn sorted(entries: &[Entry]) -> Vec<String> {
    let mut names: Vec<String> = entries
        .iter()
        .map(|e| format!("{} {}", e.name, e.kind))
        .collect();
    names.sort();
    names
}

fn open_dir(path: &str) -> Fd {
    let follow = wasi::LOOKUPFLAGS_SYMLINK_FOLLOW;
    unsafe {
        wasi::path_open(
            SANDBOX,
            follow,
            path,
            wasi::OFLAGS_DIRECTORY,
            DIR_RIGHTS,
            DIR_RIGHTS,
            0,
        )
    }
    .unwrap_or_else(|e| panic!("open {path}: {}", e.name()))
}

fn small_directories() {
    println!("-- small directories");
    let root = list(SANDBOX, 4096);
    println!(
        "preopen: {} entries, first two {:?} {:?}",
        root.len(),
        root[0].name,
        root[1].name
    );
    for name in sorted(&root) {
        println!("  {name}");
    }
    let small = list(SANDBOX, HEADER + 8);
    println!(
        "through a {}-byte buffer: same entries {}",
        HEADER + 8,
        sorted(&small) == sorted(&root)
    );
    let inodes_match = root.iter().filter(|e| e.kind == "REGULAR_FILE").all(|e| {
        unsafe { wasi::path_filestat_get(SANDBOX, 0, &e.name) }.is_ok_and(|s| s.ino == e.ino)
    });
    println!("d_ino of each file is its filestat ino: {inodes_match}");
    for path in ["dir", "dir/sub", "empty_dir", "link_dir"] {
        let fd = open_dir(path);
        let entries = list(fd, 4096);
        println!("{path}: {:?}", sorted(&entries));
        unsafe { wasi::fd_close(fd) }.unwrap();
    }
}

/// Buffers too small for even one entry are filled to the last byte.
fn buffers_smaller_than_an_entry() {
    println!("-- buffers smaller than an entry");
    let fd = open_dir("full_dir");
    for len in [0, 1, 10, HEADER, HEADER + 1] {
        let mut buf = vec![0u8; len];
        let used = unsafe { wasi::fd_readdir(fd, buf.as_mut_ptr(), len, 0) };
        let header = if len >= HEADER {
            let (namlen, kind) = (u32::from_le_bytes(buf[16..20].try_into().unwrap()), buf[20]);
            format!(", first entry namlen {namlen} type {}", type_name(kind))
        } else {
            String::new()
        };
        println!("{len}-byte buffer: {}{header}", describe(&used));
    }
    unsafe { wasi::fd_close(fd) }.unwrap();
}

fn cookies() {
    println!("-- cookies");
    let fd = open_dir("dir");
    unsafe { wasi::path_create_directory(SANDBOX, "dir/more") }.unwrap();
    for i in 0..20 {
        create_file(SANDBOX, &format!("dir/more/file_{i:02}.txt"), b"");
    }
    unsafe { wasi::fd_close(fd) }.unwrap();
    let fd = open_dir("dir/more");
    let all = list(fd, 4096);
    let resumes_agree =
        (0..all.len()).all(|i| list_from(fd, 4096, all[i].next).expect("resume") == all[i + 1..]);
    println!(
        "{} entries; resuming from each cookie lists exactly the rest: {resumes_agree}",
        all.len()
    );
    let small_resumes_agree = (0..all.len())
        .step_by(5)
        .all(|i| list_from(fd, HEADER + 16, all[i].next).expect("resume") == all[i + 1..]);
    println!(
        "the same through a {}-byte buffer: {small_resumes_agree}",
        HEADER + 16
    );
    println!("cookie 0 again lists everything: {}", list(fd, 4096) == all);
    let last = all.last().unwrap().next;
    let mut buf = [0u8; 256];
    for (label, cookie) in [
        ("the last", last),
        ("past the end", last + 5),
        ("u64::MAX", u64::MAX),
    ] {
        let used = unsafe { wasi::fd_readdir(fd, buf.as_mut_ptr(), buf.len(), cookie) };
        println!("reading from {label} cookie: {}", describe(&used));
    }
    unsafe { wasi::fd_close(fd) }.unwrap();
}

/// A listing started after a change sees it.
fn changes() {
    println!("-- listings after changes");
    let fd = open_dir("full_dir");
    println!("before: {:?}", sorted(&list(fd, 4096)));
    create_file(SANDBOX, "full_dir/c.txt", b"c");
    unsafe { wasi::path_unlink_file(SANDBOX, "full_dir/a.txt") }.unwrap();
    unsafe { wasi::path_create_directory(SANDBOX, "full_dir/d") }.unwrap();
    println!("after: {:?}", sorted(&list(fd, 4096)));
    unsafe { wasi::fd_close(fd) }.unwrap();
}

fn errors() {
    println!("-- errors");
    let file =
        unsafe { wasi::path_open(SANDBOX, 0, "hello.txt", 0, wasi::RIGHTS_FD_READ, 0, 0) }.unwrap();
    let mut buf = [0u8; 256];
    let mut readdir = |fd| status(&unsafe { wasi::fd_readdir(fd, buf.as_mut_ptr(), 256, 0) });
    println!("on a file: {}", readdir(file));
    println!("on stdout: {}", readdir(1));
    unsafe { wasi::fd_close(file) }.unwrap();
    println!("on a closed fd: {}", readdir(file));
}

/// Creates `count` empty files in a new directory `name` below the preopen.
fn populate(name: &str, count: usize) {
    unsafe { wasi::path_create_directory(SANDBOX, name) }.unwrap();
    for i in 0..count {
        let path = format!("{name}/entry_{i:06}");
        let fd = unsafe { wasi::path_open(SANDBOX, 0, &path, wasi::OFLAGS_CREAT, 0, 0, 0) }
            .unwrap_or_else(|e| panic!("create {path}: {}", e.name()));
        unsafe { wasi::fd_close(fd) }.unwrap();
    }
}

/// The count and a fingerprint of the sorted names.
fn summary(entries: &[Entry]) -> String {
    let names = sorted(entries).join("\n");
    format!(
        "{} entries, fnv1a {:#018x}",
        entries.len(),
        fnv1a(names.as_bytes())
    )
}

/// A directory walked completely through a buffer holding about one entry.
fn medium_directory(count: usize) {
    println!("-- {count} entries through a small buffer");
    populate("medium", count);
    let fd = open_dir("medium");
    let small = list(fd, HEADER + 20);
    let large = list(fd, 1 << 16);
    println!("small buffer: {}", summary(&small));
    println!(
        "large buffer: same entries in the same order {}",
        small == large
    );
    unsafe { wasi::fd_close(fd) }.unwrap();
}

/// The case's directory of `count` entries: listed whole, then read at two
/// cookies through a buffer holding one entry. Native preview1 lists and
/// stats the whole directory again on every call, so a full walk through a
/// small buffer would take it hours; the samples still resume mid-listing.
/// With `walk`, also lists all of it through a buffer that holds a few
/// entries, which only an adapter can do in reasonable time.
fn big_directory(count: usize, walk: bool) {
    println!("-- {count} entries");
    let fd = open_dir("big");
    let all = list(fd, 4 << 20);
    println!("listed: {}", summary(&all));
    let names: std::collections::BTreeSet<&str> = all.iter().map(|e| e.name.as_str()).collect();
    let expected = (0..count).all(|i| names.contains(format!("entry_{i:06}").as_str()));
    println!("every name present: {expected}");
    let samples = [all.len() / 2, all.len() - 2];
    let mut buf = vec![0u8; HEADER + 20];
    let agree = samples.iter().all(|&i| {
        let used =
            unsafe { wasi::fd_readdir(fd, buf.as_mut_ptr(), buf.len(), all[i].next) }.unwrap();
        parse(&buf[..used]).0.first() == all.get(i + 1)
    });
    println!(
        "one-entry reads at {} cookies match the listing: {agree}",
        samples.len()
    );
    if walk {
        let walked = list(fd, 128);
        println!("through a 128-byte buffer: same entries {}", walked == all);
    }
    unsafe { wasi::fd_close(fd) }.unwrap();
}
