//! The errno of each way a file operation can fail, through raw preview1
//! calls: ENOENT, EEXIST, ENOTDIR, EISDIR, EBADF, EINVAL, ENOTEMPTY, ELOOP
//! (a symlink loop, and a final symlink without SYMLINK_FOLLOW), names that
//! are too long or not UTF-8, and paths that escape the preopen through
//! `..`, an absolute path, or an absolute or relative symlink.
//!
//! With the argument `nul`, only paths containing NUL bytes are tried (some
//! hosts cannot even represent them, so they are a case of their own).
//!
//! Expects the case's tree at /sandbox (fd 3).

use wasi::Fd;
use wasi_upgrade_test_programs::{FILE_RIGHTS, describe, raw_errno_name, status};

const SANDBOX: Fd = 3;
const FOLLOW: wasi::Lookupflags = wasi::LOOKUPFLAGS_SYMLINK_FOLLOW;
const READ: wasi::Rights = wasi::RIGHTS_FD_READ;

fn main() {
    if std::env::args().nth(1).as_deref() == Some("nul") {
        nul_paths();
        return;
    }
    errnos();
    escapes();
    loops();
    names();
}

fn open(
    flags: wasi::Lookupflags,
    path: &str,
    oflags: wasi::Oflags,
    rights: wasi::Rights,
) -> String {
    let result = unsafe { wasi::path_open(SANDBOX, flags, path, oflags, rights, 0, 0) };
    if let Ok(fd) = result {
        unsafe { wasi::fd_close(fd) }.expect("close");
    }
    status(&result)
}

fn stat(flags: wasi::Lookupflags, path: &str) -> String {
    status(&unsafe { wasi::path_filestat_get(SANDBOX, flags, path) })
}

fn mkdir(path: &str) -> String {
    describe(&unsafe { wasi::path_create_directory(SANDBOX, path) })
}

fn rmdir(path: &str) -> String {
    describe(&unsafe { wasi::path_remove_directory(SANDBOX, path) })
}

fn unlink(path: &str) -> String {
    describe(&unsafe { wasi::path_unlink_file(SANDBOX, path) })
}

fn rename(from: &str, to: &str) -> String {
    describe(&unsafe { wasi::path_rename(SANDBOX, from, SANDBOX, to) })
}

fn link(flags: wasi::Lookupflags, from: &str, to: &str) -> String {
    describe(&unsafe { wasi::path_link(SANDBOX, flags, from, SANDBOX, to) })
}

fn symlink(target: &str, path: &str) -> String {
    describe(&unsafe { wasi::path_symlink(target, SANDBOX, path) })
}

/// Sets the modification time to now.
fn touch(flags: wasi::Lookupflags, path: &str) -> String {
    describe(&unsafe {
        wasi::path_filestat_set_times(SANDBOX, flags, path, 0, 0, wasi::FSTFLAGS_MTIM_NOW)
    })
}

fn errnos() {
    println!("-- ENOENT, EEXIST, ENOTDIR, EISDIR, EBADF, EINVAL, ENOTEMPTY");
    let lines = [
        ("open missing.txt", open(0, "missing.txt", 0, READ)),
        (
            "open missing_dir/x",
            open(0, "missing_dir/x", wasi::OFLAGS_CREAT, READ),
        ),
        ("stat link_dangling (follow)", stat(FOLLOW, "link_dangling")),
        ("unlink missing.txt", unlink("missing.txt")),
        (
            "open CREAT|EXCL hello.txt",
            open(0, "hello.txt", wasi::OFLAGS_CREAT | wasi::OFLAGS_EXCL, READ),
        ),
        ("mkdir dir", mkdir("dir")),
        ("symlink over hello.txt", symlink("x", "hello.txt")),
        ("link onto hello.txt", link(0, "digits.txt", "hello.txt")),
        ("open hello.txt/x", open(0, "hello.txt/x", 0, READ)),
        (
            "open DIRECTORY hello.txt",
            open(0, "hello.txt", wasi::OFLAGS_DIRECTORY, READ),
        ),
        ("rmdir hello.txt", rmdir("hello.txt")),
        ("rename dir over hello.txt", rename("dir", "hello.txt")),
        (
            "open dir for writing",
            open(0, "dir", 0, READ | wasi::RIGHTS_FD_WRITE),
        ),
        (
            "open dir with TRUNC",
            open(0, "dir", wasi::OFLAGS_TRUNC, READ),
        ),
        ("unlink dir", unlink("dir")),
        ("rename hello.txt over dir", rename("hello.txt", "dir")),
        (
            "open below fd 999",
            status(&unsafe { wasi::path_open(999, 0, "hello.txt", 0, READ, 0, 0) }),
        ),
        (
            "fd_filestat_get fd 999",
            status(&unsafe { wasi::fd_filestat_get(999) }),
        ),
        ("fd_readdir fd 999", readdir(999)),
        (
            "open CREAT|DIRECTORY",
            open(
                0,
                "new_dir",
                wasi::OFLAGS_CREAT | wasi::OFLAGS_DIRECTORY,
                READ,
            ),
        ),
        ("readlink hello.txt", readlink("hello.txt")),
        ("rename dir into itself", rename("dir", "dir/sub/x")),
        ("link with SYMLINK_FOLLOW", link(FOLLOW, "hello.txt", "x")),
        ("rmdir full_dir", rmdir("full_dir")),
        (
            "rename empty_dir over full_dir",
            rename("empty_dir", "full_dir"),
        ),
    ];
    for (label, result) in lines {
        println!("{label}: {result}");
    }
    let file = unsafe { wasi::path_open(SANDBOX, 0, "hello.txt", 0, FILE_RIGHTS, 0, 0) }.unwrap();
    println!("fd_readdir on a file: {}", readdir(file));
    println!(
        "open below a file: {}",
        status(&unsafe { wasi::path_open(file, 0, "x", 0, READ, 0, 0) })
    );
    unsafe { wasi::fd_close(file) }.unwrap();
    println!("fd_readdir on a closed fd: {}", readdir(file));
}

fn readdir(fd: Fd) -> String {
    let mut buf = [0u8; 256];
    status(&unsafe { wasi::fd_readdir(fd, buf.as_mut_ptr(), buf.len(), 0) })
}

fn readlink(path: &str) -> String {
    let mut buf = [0u8; 64];
    status(&unsafe { wasi::path_readlink(SANDBOX, path, buf.as_mut_ptr(), buf.len()) })
}

/// Paths that leave the preopen through `..` or by being absolute, given to
/// every path function.
fn escapes() {
    println!("-- escaping the preopen");
    for path in [
        "..",
        "../outside",
        "dir/../../outside",
        "dir/sub/../../..",
        "/etc/passwd",
        "/",
    ] {
        let results = [
            ("open", open(0, path, 0, READ)),
            ("open follow", open(FOLLOW, path, 0, READ)),
            ("open CREAT", open(0, path, wasi::OFLAGS_CREAT, READ)),
            ("stat", stat(0, path)),
            ("stat follow", stat(FOLLOW, path)),
            ("mkdir", mkdir(path)),
            ("rmdir", rmdir(path)),
            ("unlink", unlink(path)),
            ("readlink", readlink(path)),
            ("symlink at", symlink("hello.txt", path)),
            ("link to", link(0, "hello.txt", path)),
            ("link from", link(0, path, "x")),
            ("rename to", rename("digits.txt", path)),
            ("rename from", rename(path, "x")),
            ("set_times", touch(0, path)),
        ];
        let line: Vec<String> = results.iter().map(|(f, r)| format!("{f} {r}")).collect();
        println!("{path:?}: {}", line.join(", "));
    }
    println!("-- symlinks leading out of the preopen");
    for path in ["link_abs", "link_abs/passwd", "link_up", "link_up/x"] {
        let results = [
            ("open", open(0, path, 0, READ)),
            ("open follow", open(FOLLOW, path, 0, READ)),
            (
                "open CREAT follow",
                open(FOLLOW, path, wasi::OFLAGS_CREAT, READ),
            ),
            (
                "open DIRECTORY follow",
                open(FOLLOW, path, wasi::OFLAGS_DIRECTORY, READ),
            ),
            ("stat", stat(0, path)),
            ("stat follow", stat(FOLLOW, path)),
            ("readlink", readlink(path)),
            ("set_times follow", touch(FOLLOW, path)),
        ];
        let line: Vec<String> = results.iter().map(|(f, r)| format!("{f} {r}")).collect();
        println!("{path:?}: {}", line.join(", "));
    }
    let below = format!("mkdir below link_abs: {}", mkdir("link_abs/made"));
    println!("{below}");
    let inside = open(FOLLOW, "dir/link_inside", 0, READ);
    println!("a relative symlink that stays inside (dir/link_inside): open follow {inside}");
    for path in ["link_abs", "link_up"] {
        println!("unlink {path}: {}", unlink(path));
    }
}

fn loops() {
    println!("-- loops and final symlinks");
    for path in [
        "loop_a",
        "loop_a/x",
        "link_hello",
        "link_dir",
        "link_dangling",
    ] {
        println!(
            "{path}: open {}, open follow {}, open DIRECTORY {}, open DIRECTORY follow {}",
            open(0, path, 0, READ),
            open(FOLLOW, path, 0, READ),
            open(0, path, wasi::OFLAGS_DIRECTORY, READ),
            open(FOLLOW, path, wasi::OFLAGS_DIRECTORY, READ)
        );
    }
    // A chain longer than any host follows.
    unsafe { wasi::path_create_directory(SANDBOX, "chain") }.unwrap();
    for i in 0..50 {
        let target = if i == 49 {
            "../hello.txt".to_owned()
        } else {
            format!("l{}", i + 1)
        };
        unsafe { wasi::path_symlink(&target, SANDBOX, &format!("chain/l{i}")) }.unwrap();
    }
    println!(
        "chain of 50 symlinks: open follow {}",
        open(FOLLOW, "chain/l0", 0, READ)
    );
    println!(
        "chain of 10 symlinks: open follow {}",
        open(FOLLOW, "chain/l40", 0, READ)
    );
}

fn names() {
    println!("-- names");
    let long = "n".repeat(300);
    println!(
        "300-byte name: open CREAT {}",
        open(0, &long, wasi::OFLAGS_CREAT, READ)
    );
    println!("300-byte name: mkdir {}", mkdir(&long));
    let fine = "n".repeat(255);
    println!(
        "255-byte name: open CREAT {}",
        open(0, &fine, wasi::OFLAGS_CREAT, READ)
    );
    let deep = vec!["dir"; 1500].join("/");
    println!("a 5999-byte path: stat {}", stat(0, &deep));
    let bytes = b"bad\xffname";
    let mut fd = 0u32;
    let raw = unsafe {
        wasi::wasi_snapshot_preview1::path_open(
            SANDBOX as i32,
            0,
            bytes.as_ptr() as i32,
            bytes.len() as i32,
            wasi::OFLAGS_CREAT as i32,
            READ as i64,
            0,
            0,
            &mut fd as *mut u32 as i32,
        )
    };
    println!(
        "a name that is not UTF-8: open CREAT {}",
        raw_errno_name(raw)
    );
    let raw = unsafe {
        wasi::wasi_snapshot_preview1::path_create_directory(
            SANDBOX as i32,
            bytes.as_ptr() as i32,
            bytes.len() as i32,
        )
    };
    println!("a name that is not UTF-8: mkdir {}", raw_errno_name(raw));
}

fn nul_paths() {
    println!("-- paths with NUL bytes");
    for path in ["hello.txt\0", "hel\0lo.txt", "\0", "dir\0/nested.txt"] {
        println!(
            "{path:?}: open {}, open CREAT {}, stat {}, mkdir {}",
            open(0, path, 0, READ),
            open(0, path, wasi::OFLAGS_CREAT, READ),
            stat(0, path),
            mkdir(path)
        );
    }
}
