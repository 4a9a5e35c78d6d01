//! Every path_* function given `name/` for each kind of entry: a regular
//! file, symlinks to a file, a directory and nothing, a missing name, a
//! directory and an empty directory. Each function works in a fresh copy of
//! the entries, so what one call changes cannot affect the next; the errno
//! (or success) of every call is printed, and the copies are left behind.
//!
//! The same lookups run once more on entries at the top of the sandbox,
//! since native looks up a path of a single name differently.
//!
//! Expects /sandbox (fd 3), writable and empty.

use wasi::Fd;
use wasi_upgrade_test_programs::{DIR_RIGHTS, FILE_RIGHTS, create_file, describe, status};

const SANDBOX: Fd = 3;

/// The entries of each fresh copy, and what the program calls them.
const NAMES: &[&str] = &[
    "file",
    "link_file",
    "link_dir",
    "link_empty",
    "dangling",
    "missing",
    "dir",
    "empty_dir",
];

/// How each name is written: with one trailing slash, with two, and with `/.`.
const SUFFIXES: &[&str] = &["/", "//", "/."];

/// One call on `path` inside the fresh copy `dir`; the last argument tells
/// the calls of one function apart, for names they create.
type Operation = fn(&str, &str, usize) -> String;

fn main() {
    let operations: &[(&str, Operation)] = &[
        ("path_create_directory", |dir, path, _| {
            describe(&unsafe { wasi::path_create_directory(SANDBOX, &format!("{dir}/{path}")) })
        }),
        ("path_filestat_get nofollow", |dir, path, _| {
            let stat = unsafe { wasi::path_filestat_get(SANDBOX, 0, &format!("{dir}/{path}")) };
            describe(&stat.map(|s| s.filetype.name()))
        }),
        ("path_filestat_get follow", |dir, path, _| {
            let follow = wasi::LOOKUPFLAGS_SYMLINK_FOLLOW;
            let stat =
                unsafe { wasi::path_filestat_get(SANDBOX, follow, &format!("{dir}/{path}")) };
            describe(&stat.map(|s| s.filetype.name()))
        }),
        ("path_filestat_set_times nofollow", |dir, path, _| {
            let flags = wasi::FSTFLAGS_ATIM | wasi::FSTFLAGS_MTIM;
            let result = unsafe {
                wasi::path_filestat_set_times(
                    SANDBOX,
                    0,
                    &format!("{dir}/{path}"),
                    1_000_000_000,
                    2_000_000_000,
                    flags,
                )
            };
            describe(&result)
        }),
        ("path_filestat_set_times follow", |dir, path, _| {
            let flags = wasi::FSTFLAGS_ATIM | wasi::FSTFLAGS_MTIM;
            let follow = wasi::LOOKUPFLAGS_SYMLINK_FOLLOW;
            let result = unsafe {
                wasi::path_filestat_set_times(
                    SANDBOX,
                    follow,
                    &format!("{dir}/{path}"),
                    1_000_000_000,
                    2_000_000_000,
                    flags,
                )
            };
            describe(&result)
        }),
        ("path_link from", |dir, path, i| {
            let result = unsafe {
                wasi::path_link(
                    SANDBOX,
                    0,
                    &format!("{dir}/{path}"),
                    SANDBOX,
                    &format!("{dir}/linked_{i}"),
                )
            };
            describe(&result)
        }),
        ("path_link to", |dir, path, _| {
            describe(&unsafe {
                wasi::path_link(
                    SANDBOX,
                    0,
                    &format!("{dir}/file"),
                    SANDBOX,
                    &format!("{dir}/{path}"),
                )
            })
        }),
        ("path_open", |dir, path, _| open(dir, path, 0, 0)),
        ("path_open follow", |dir, path, _| {
            open(dir, path, wasi::LOOKUPFLAGS_SYMLINK_FOLLOW, 0)
        }),
        ("path_open DIRECTORY", |dir, path, _| {
            open(dir, path, 0, wasi::OFLAGS_DIRECTORY)
        }),
        ("path_open follow DIRECTORY", |dir, path, _| {
            open(
                dir,
                path,
                wasi::LOOKUPFLAGS_SYMLINK_FOLLOW,
                wasi::OFLAGS_DIRECTORY,
            )
        }),
        ("path_open CREAT", |dir, path, _| {
            open(dir, path, 0, wasi::OFLAGS_CREAT)
        }),
        ("path_open CREAT|EXCL", |dir, path, _| {
            open(dir, path, 0, wasi::OFLAGS_CREAT | wasi::OFLAGS_EXCL)
        }),
        ("path_open TRUNC", |dir, path, _| {
            open(dir, path, 0, wasi::OFLAGS_TRUNC)
        }),
        ("path_readlink", |dir, path, _| {
            let mut buf = [0u8; 64];
            let result = unsafe {
                wasi::path_readlink(
                    SANDBOX,
                    &format!("{dir}/{path}"),
                    buf.as_mut_ptr(),
                    buf.len(),
                )
            };
            describe(&result.map(|n| String::from_utf8_lossy(&buf[..n]).into_owned()))
        }),
        ("path_remove_directory", |dir, path, _| {
            describe(&unsafe { wasi::path_remove_directory(SANDBOX, &format!("{dir}/{path}")) })
        }),
        ("path_rename from", |dir, path, i| {
            describe(&unsafe {
                wasi::path_rename(
                    SANDBOX,
                    &format!("{dir}/{path}"),
                    SANDBOX,
                    &format!("{dir}/renamed_{i}"),
                )
            })
        }),
        ("path_rename file to", |dir, path, i| {
            let source = format!("{dir}/source_{i}");
            create_file(SANDBOX, &source, b"source");
            describe(&unsafe {
                wasi::path_rename(SANDBOX, &source, SANDBOX, &format!("{dir}/{path}"))
            })
        }),
        ("path_rename dir to", |dir, path, i| {
            let source = format!("{dir}/source_dir_{i}");
            unsafe { wasi::path_create_directory(SANDBOX, &source) }.expect("mkdir source");
            describe(&unsafe {
                wasi::path_rename(SANDBOX, &source, SANDBOX, &format!("{dir}/{path}"))
            })
        }),
        ("path_symlink", |dir, path, _| {
            describe(&unsafe { wasi::path_symlink("file", SANDBOX, &format!("{dir}/{path}")) })
        }),
        ("path_unlink_file", |dir, path, _| {
            describe(&unsafe { wasi::path_unlink_file(SANDBOX, &format!("{dir}/{path}")) })
        }),
    ];
    top_level();
    for (index, (label, operation)) in operations.iter().enumerate() {
        println!("-- {label}");
        for (s, suffix) in SUFFIXES.iter().enumerate() {
            // A fresh copy for every call, so no call sees another's effects.
            for (n, name) in NAMES.iter().enumerate() {
                let dir = format!("op{index:02}_{s}_{n}");
                fresh_copy(&dir);
                let path = format!("{name}{suffix}");
                println!("{path}: {}", operation(&dir, &path, n));
            }
        }
    }
}

/// Paths of a single name are looked up differently by native's host when
/// it must not follow (by that name alone), so the lookups run at the top
/// of the sandbox too, on entries made there.
fn top_level() {
    println!("-- at the top of the preopen");
    create_file(SANDBOX, "top_file", b"top\n");
    unsafe { wasi::path_create_directory(SANDBOX, "top_dir") }.expect("mkdir top_dir");
    for (link, target) in [
        ("top_link_file", "top_file"),
        ("top_link_dir", "top_dir"),
        ("top_dangling", "nothing"),
    ] {
        unsafe { wasi::path_symlink(target, SANDBOX, link) }.expect("symlink");
    }
    for name in [
        "top_file",
        "top_link_file",
        "top_link_dir",
        "top_dangling",
        "top_missing",
        "top_dir",
    ] {
        for suffix in SUFFIXES {
            let path = format!("{name}{suffix}");
            let stat = |flags| {
                let stat = unsafe { wasi::path_filestat_get(SANDBOX, flags, &path) };
                describe(&stat.map(|s| s.filetype.name()))
            };
            let mut buf = [0u8; 64];
            let link = unsafe { wasi::path_readlink(SANDBOX, &path, buf.as_mut_ptr(), buf.len()) };
            let link = describe(&link.map(|n| String::from_utf8_lossy(&buf[..n]).into_owned()));
            let opened = unsafe {
                wasi::path_open(
                    SANDBOX,
                    0,
                    &path,
                    wasi::OFLAGS_DIRECTORY,
                    DIR_RIGHTS,
                    DIR_RIGHTS,
                    0,
                )
            };
            let opened = status(&opened.map(|fd| unsafe { wasi::fd_close(fd) }));
            println!(
                "{path}: stat nofollow {}, stat follow {}, readlink {link}, open DIRECTORY {opened}",
                stat(0),
                stat(wasi::LOOKUPFLAGS_SYMLINK_FOLLOW)
            );
        }
    }
}

/// A directory `dir` holding one of each kind of entry.
fn fresh_copy(dir: &str) {
    unsafe { wasi::path_create_directory(SANDBOX, dir) }.expect("mkdir copy");
    create_file(SANDBOX, &format!("{dir}/file"), b"file\n");
    unsafe { wasi::path_create_directory(SANDBOX, &format!("{dir}/dir")) }.expect("mkdir dir");
    create_file(SANDBOX, &format!("{dir}/dir/inside"), b"inside\n");
    unsafe { wasi::path_create_directory(SANDBOX, &format!("{dir}/empty_dir")) }
        .expect("mkdir empty_dir");
    for (link, target) in [
        ("link_file", "file"),
        ("link_dir", "dir"),
        ("link_empty", "empty_dir"),
        ("dangling", "nothing"),
    ] {
        unsafe { wasi::path_symlink(target, SANDBOX, &format!("{dir}/{link}")) }.expect("symlink");
    }
}

fn open(dir: &str, path: &str, lookup: wasi::Lookupflags, oflags: wasi::Oflags) -> String {
    let rights = if oflags & wasi::OFLAGS_DIRECTORY != 0 {
        DIR_RIGHTS
    } else {
        FILE_RIGHTS
    };
    let opened = unsafe {
        wasi::path_open(
            SANDBOX,
            lookup,
            &format!("{dir}/{path}"),
            oflags,
            rights,
            rights,
            0,
        )
    };
    let result = opened.map(|fd| {
        let kind = unsafe { wasi::fd_fdstat_get(fd) }.map(|s| s.fs_filetype.name());
        unsafe { wasi::fd_close(fd) }.expect("close");
        status(&kind) + " " + kind.unwrap_or("")
    });
    describe(&result)
}
