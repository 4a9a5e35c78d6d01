//! Re-reading a directory from cookie 0 after changing it, as `rewinddir`
//! followed by `readdir` does: the second pass must show the directory as it
//! is now. Covers an empty directory, one with entries, the preopen itself,
//! and a pass abandoned halfway (a one-entry buffer) before the change.
//!
//! Expects /sandbox (fd 3) holding `empty/` and `some/a.txt`.

use wasi::Fd;
use wasi_upgrade_test_programs::{DIR_RIGHTS, create_file, describe};

const SANDBOX: Fd = 3;
const HEADER: usize = 24;

fn main() {
    rewind_after_change("empty directory", open_dir("empty"), "empty/new.txt");
    rewind_after_change("directory with entries", open_dir("some"), "some/b.txt");
    rewind_after_change("the preopen", SANDBOX, "top.txt");
    // One entry per call: the first pass stops after `.`, `..` and one
    // more, leaving the stream in the middle.
    let half = open_dir("some");
    let first = names_from(half, 0, 3, 60);
    println!("abandoned pass saw {} entries", first.len());
    create_file(SANDBOX, "some/c.txt", b"");
    println!(
        "after creating c.txt: {:?}",
        sorted(names_from(half, 0, usize::MAX, 60))
    );
    // Removing is seen as well.
    println!(
        "unlink some/a.txt: {}",
        describe(&unsafe { wasi::path_unlink_file(SANDBOX, "some/a.txt") })
    );
    println!(
        "after the unlink: {:?}",
        sorted(names_from(half, 0, usize::MAX, 4096))
    );
}

/// Lists `fd` to its end, creates `path` (below the preopen) in it, and
/// lists it again from cookie 0.
fn rewind_after_change(label: &str, fd: Fd, path: &str) {
    println!("-- {label}");
    println!(
        "first pass: {:?}",
        sorted(names_from(fd, 0, usize::MAX, 4096))
    );
    create_file(SANDBOX, path, b"new");
    println!("created {path}");
    println!(
        "second pass from cookie 0: {:?}",
        sorted(names_from(fd, 0, usize::MAX, 4096))
    );
}

/// At most `limit` names of `fd` from `cookie`, resuming from the last
/// entry's cookie after each call through a `buf_len`-byte buffer.
fn names_from(fd: Fd, mut cookie: u64, limit: usize, buf_len: usize) -> Vec<String> {
    let mut buf = vec![0u8; buf_len];
    let mut names = Vec::new();
    while names.len() < limit {
        let used = unsafe { wasi::fd_readdir(fd, buf.as_mut_ptr(), buf.len(), cookie) }
            .unwrap_or_else(|e| panic!("fd_readdir: {}", e.name()));
        let mut at = 0;
        let mut progress = false;
        while at + HEADER <= used && names.len() < limit {
            let next = u64::from_le_bytes(buf[at..at + 8].try_into().unwrap());
            let namlen = u32::from_le_bytes(buf[at + 16..at + 20].try_into().unwrap()) as usize;
            if at + HEADER + namlen > used {
                break;
            }
            names.push(
                String::from_utf8_lossy(&buf[at + HEADER..at + HEADER + namlen]).into_owned(),
            );
            cookie = next;
            at += HEADER + namlen;
            progress = true;
        }
        if used < buf.len() {
            break;
        }
        assert!(progress, "an entry larger than the buffer");
    }
    names
}

fn sorted(mut names: Vec<String>) -> Vec<String> {
    names.sort();
    names
}

fn open_dir(path: &str) -> Fd {
    unsafe {
        wasi::path_open(
            SANDBOX,
            0,
            path,
            wasi::OFLAGS_DIRECTORY,
            DIR_RIGHTS,
            DIR_RIGHTS,
            0,
        )
    }
    .unwrap_or_else(|e| panic!("open {path}: {}", e.name()))
}
