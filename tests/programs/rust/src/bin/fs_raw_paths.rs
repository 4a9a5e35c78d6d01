//! The path_* functions through raw preview1 calls, each on success and on
//! its error cases: create_directory, filestat_get (with and without
//! SYMLINK_FOLLOW), filestat_set_times, link, readlink, remove_directory,
//! rename, symlink and unlink_file. What is left behind is compared too.
//!
//! With the argument `times`, only path_filestat_set_times is tried: some
//! hosts keep path times less precisely, a case of its own so that it hides
//! nothing else.
//!
//! Expects the case's tree at /sandbox (fd 3) and a second preopen /other
//! (fd 4) for moves between directories.

use wasi::Fd;
use wasi_upgrade_test_programs::{contents, create_file, describe, preopen_name, show_bytes};

const SANDBOX: Fd = 3;
const OTHER: Fd = 4;
const FOLLOW: wasi::Lookupflags = wasi::LOOKUPFLAGS_SYMLINK_FOLLOW;

fn main() {
    println!(
        "fd 3: {:?}, fd 4: {:?}",
        preopen_name(SANDBOX),
        preopen_name(OTHER)
    );
    if std::env::args().nth(1).as_deref() == Some("times") {
        filestat_set_times();
        return;
    }
    create_directory();
    filestat_get();
    link();
    readlink();
    remove_directory();
    rename();
    symlink();
    unlink_file();
    not_a_directory_fd();
}

fn create_directory() {
    println!("-- path_create_directory");
    for path in [
        "made",
        "made",
        "made/",
        "made/inner/",
        "made/a/b",
        "hello.txt",
        "hello.txt/x",
        "link_dangling",
        "link_dir/made_through_link",
        "dir/sub/new",
        "",
        ".",
    ] {
        let result = unsafe { wasi::path_create_directory(SANDBOX, path) };
        println!("{path:?}: {}", describe(&result));
    }
}

/// The parts of a filestat any host reports identically for these paths.
fn stat_line(stat: &wasi::Filestat) -> String {
    match stat.filetype {
        wasi::FILETYPE_REGULAR_FILE => format!(
            "{} size {} nlink {}",
            stat.filetype.name(),
            stat.size,
            stat.nlink
        ),
        wasi::FILETYPE_SYMBOLIC_LINK => format!("{} size {}", stat.filetype.name(), stat.size),
        other => other.name().to_owned(),
    }
}

fn stat(dir: Fd, flags: wasi::Lookupflags, path: &str) -> String {
    match unsafe { wasi::path_filestat_get(dir, flags, path) } {
        Ok(stat) => format!("ok {}", stat_line(&stat)),
        Err(e) => format!("errno {}", e.name()),
    }
}

fn filestat_get() {
    println!("-- path_filestat_get");
    for path in [
        "hello.txt",
        "dir",
        "dir/sub/deep.txt",
        "link_hello",
        "link_dir",
        "link_dir/nested.txt",
        "link_dangling",
        "loop_a",
        "dir/link_inside",
        "missing.txt",
        "hello.txt/",
        "dir/",
        "link_dir/",
        ".",
        "dir/..",
        "dir/sub/../../hello.txt",
        "",
    ] {
        println!(
            "{path:?}: nofollow {}; follow {}",
            stat(SANDBOX, 0, path),
            stat(SANDBOX, FOLLOW, path)
        );
    }
    let a = unsafe { wasi::path_filestat_get(SANDBOX, FOLLOW, "link_hello") }.unwrap();
    let b = unsafe { wasi::path_filestat_get(SANDBOX, 0, "hello.txt") }.unwrap();
    let c = unsafe { wasi::path_filestat_get(SANDBOX, 0, "link_hello") }.unwrap();
    println!(
        "followed link has the target's ino: {}; the link itself has another: {}",
        a.ino == b.ino,
        c.ino != b.ino
    );
}

fn filestat_set_times() {
    println!("-- path_filestat_set_times");
    const ATIM: u64 = 1_500_000_000_000_000_000;
    const MTIM: u64 = 1_234_567_890_123_456_789;
    const BOTH: wasi::Fstflags = wasi::FSTFLAGS_ATIM | wasi::FSTFLAGS_MTIM;
    create_file(SANDBOX, "stamp.txt", b"stamp");
    unsafe { wasi::path_symlink("stamp.txt", SANDBOX, "link_stamp") }.expect("symlink");
    let times = |flags, path| {
        unsafe { wasi::path_filestat_get(SANDBOX, flags, path) }.map(|s| (s.atim, s.mtim))
    };
    let set = |flags, path, atim, mtim, fst| unsafe {
        wasi::path_filestat_set_times(SANDBOX, flags, path, atim, mtim, fst)
    };

    let r = set(0, "stamp.txt", ATIM, MTIM, BOTH);
    println!(
        "explicit on a file: {} -> {:?}",
        describe(&r),
        times(0, "stamp.txt")
    );
    let r = set(FOLLOW, "link_stamp", ATIM + 1, MTIM + 1, BOTH);
    println!(
        "follow through a link: {} -> target {:?}",
        describe(&r),
        times(0, "stamp.txt")
    );
    let r = set(0, "link_stamp", ATIM + 2, MTIM + 2, BOTH);
    println!(
        "nofollow on a link: {} -> target {:?}, link {:?}",
        describe(&r),
        times(0, "stamp.txt"),
        times(0, "link_stamp")
    );
    let r = set(
        0,
        "stamp.txt",
        0,
        0,
        wasi::FSTFLAGS_ATIM_NOW | wasi::FSTFLAGS_MTIM_NOW,
    );
    let (atim, mtim) = times(0, "stamp.txt").unwrap();
    println!(
        "now: {}, atim advanced {}, mtim advanced {}",
        describe(&r),
        atim > ATIM + 1,
        mtim > MTIM + 1
    );
    let r = set(0, "stamp.txt", ATIM, 0, wasi::FSTFLAGS_ATIM);
    println!(
        "atim only: {} -> atim {:?}",
        describe(&r),
        times(0, "stamp.txt").map(|t| t.0)
    );
    let before = times(0, "stamp.txt");
    let r = set(0, "stamp.txt", 1, 2, 0);
    println!(
        "no flags: {}, times kept {}",
        describe(&r),
        times(0, "stamp.txt") == before
    );
    for path in ["missing.txt", "no_such_dir/x", "hello.txt/x", "link_dir/missing", "loop_a/x", "../x"] {
        println!("no flags on {path}: {}", describe(&set(0, path, 1, 2, 0)));
    }
    let r = set(0, "link_stamp", 0, MTIM, wasi::FSTFLAGS_MTIM);
    println!(
        "mtim only, nofollow on a link: {} -> link {:?}, target atim {:?}",
        describe(&r),
        times(0, "link_stamp").map(|t| t.1),
        times(0, "stamp.txt").map(|t| t.0)
    );
    let r = set(
        0,
        "stamp.txt",
        ATIM,
        0,
        wasi::FSTFLAGS_ATIM | wasi::FSTFLAGS_ATIM_NOW,
    );
    println!("ATIM|ATIM_NOW: {}", describe(&r));
    let r = set(
        0,
        "stamp.txt",
        0,
        MTIM,
        wasi::FSTFLAGS_MTIM | wasi::FSTFLAGS_MTIM_NOW,
    );
    println!("MTIM|MTIM_NOW: {}", describe(&r));
    let r = set(0, "dir", ATIM, MTIM, BOTH);
    println!("on a directory: {} -> {:?}", describe(&r), times(0, "dir"));
    for path in ["missing.txt", "link_dangling", "loop_a"] {
        println!(
            "{path}: nofollow {}, follow {}",
            describe(&set(0, path, ATIM, MTIM, BOTH)),
            describe(&set(FOLLOW, path, ATIM, MTIM, BOTH))
        );
    }
}

fn link() {
    println!("-- path_link");
    let link = |from: &str, to_dir, to: &str, flags| unsafe {
        wasi::path_link(SANDBOX, flags, from, to_dir, to)
    };
    println!(
        "hello.txt -> hard.txt: {}",
        describe(&link("hello.txt", SANDBOX, "hard.txt", 0))
    );
    println!(
        "nlink now: {}; hard.txt: {}",
        stat(SANDBOX, 0, "hello.txt"),
        stat(SANDBOX, 0, "hard.txt")
    );
    let a = unsafe { wasi::path_filestat_get(SANDBOX, 0, "hello.txt") }.unwrap();
    let b = unsafe { wasi::path_filestat_get(SANDBOX, 0, "hard.txt") }.unwrap();
    println!("same ino: {}", a.ino == b.ino);
    for (from, to, flags) in [
        ("hello.txt", "hard.txt", 0),
        ("hello.txt", "dir", 0),
        ("missing.txt", "hard2.txt", 0),
        ("dir", "dir_hard", 0),
        ("link_hello", "hard_symlink", 0),
        ("link_hello", "hard_followed", FOLLOW),
        ("hello.txt", "no_such_dir/hard.txt", 0),
        ("hello.txt", "hard_slash.txt/", 0),
        ("hello.txt/", "hard3.txt", 0),
    ] {
        let follow = if flags == 0 { "" } else { " (follow)" };
        println!(
            "{from} -> {to}{follow}: {}",
            describe(&link(from, SANDBOX, to, flags))
        );
    }
    println!(
        "digits.txt -> /other/digits_link.txt: {}",
        describe(&link("digits.txt", OTHER, "digits_link.txt", 0))
    );
    println!("hard_symlink is now: {}", stat(SANDBOX, 0, "hard_symlink"));
}

fn read_link(dir: Fd, path: &str, len: usize) -> String {
    let mut buf = vec![0u8; len];
    match unsafe { wasi::path_readlink(dir, path, buf.as_mut_ptr(), len) } {
        Ok(n) => format!("ok {n} {}", show_bytes(&buf[..n])),
        Err(e) => format!("errno {}", e.name()),
    }
}

fn readlink() {
    println!("-- path_readlink");
    for (path, len) in [
        ("link_hello", 64),
        ("link_hello", 9),
        ("link_hello", 4),
        ("link_hello", 0),
        ("link_abs", 64),
        ("link_up", 64),
        ("dir/link_inside", 64),
        ("loop_a", 64),
        ("link_dir/", 64),
        ("link_dir/nested.txt", 64),
        ("hello.txt", 64),
        ("dir", 64),
        ("missing", 64),
        ("", 64),
    ] {
        println!(
            "{path:?} into {len} bytes: {}",
            read_link(SANDBOX, path, len)
        );
    }
}

fn remove_directory() {
    println!("-- path_remove_directory");
    unsafe { wasi::path_create_directory(SANDBOX, "rm_me") }.expect("mkdir rm_me");
    for path in [
        "empty_dir",
        "empty_dir",
        "full_dir",
        "hello.txt",
        "link_dir",
        "missing",
        "rm_me/",
        ".",
        "dir/sub/..",
        "",
    ] {
        let result = unsafe { wasi::path_remove_directory(SANDBOX, path) };
        println!("{path:?}: {}", describe(&result));
    }
}

fn rename() {
    println!("-- path_rename");
    let rename =
        |from: &str, to_dir, to: &str| unsafe { wasi::path_rename(SANDBOX, from, to_dir, to) };
    create_file(SANDBOX, "r_src.txt", b"source");
    create_file(SANDBOX, "r_dst.txt", b"destination");
    println!(
        "file over file: {}",
        describe(&rename("r_src.txt", SANDBOX, "r_dst.txt"))
    );
    println!(
        "r_dst.txt now {}, r_src.txt {}",
        show_bytes(&contents(SANDBOX, "r_dst.txt").unwrap()),
        stat(SANDBOX, 0, "r_src.txt")
    );
    for dir in ["r_dir", "r_empty", "r_full"] {
        unsafe { wasi::path_create_directory(SANDBOX, dir) }.expect("mkdir");
    }
    create_file(SANDBOX, "r_dir/inside.txt", b"inside");
    create_file(SANDBOX, "r_full/keep.txt", b"keep");
    create_file(SANDBOX, "r_file.txt", b"file");
    for (label, from, to) in [
        ("dir over empty dir", "r_dir", "r_empty"),
        ("dir over non-empty dir", "r_empty", "r_full"),
        ("dir into itself", "r_empty", "r_empty/inside"),
        ("dir into its own subdir", "dir", "dir/sub/dir"),
        ("file over dir", "r_file.txt", "r_full"),
        ("dir over file", "r_full", "r_file.txt"),
        ("missing source", "missing.txt", "r_new.txt"),
        ("into a missing dir", "r_file.txt", "no_such_dir/r.txt"),
        ("onto itself", "r_file.txt", "r_file.txt"),
        ("file with a trailing slash", "r_file.txt/", "r_file2.txt"),
        ("file to a trailing slash", "r_file.txt", "r_file2.txt/"),
        ("a symlink", "link_dangling", "renamed_link"),
        ("dir with trailing slashes", "r_full/", "r_full_moved/"),
        (". away", ".", "dot"),
        ("dir/. away", "dir/.", "dot"),
        ("dir/sub/.. away", "dir/sub/..", "dot"),
        ("onto .", "r_file.txt", "."),
        ("onto dir/..", "r_file.txt", "dir/.."),
    ] {
        println!("{label}: {}", describe(&rename(from, SANDBOX, to)));
    }
    println!(
        "full_dir/a.txt -> /other/moved_a.txt: {}",
        describe(&rename("full_dir/a.txt", OTHER, "moved_a.txt"))
    );
    println!(
        "/other/theirs.txt -> /sandbox/theirs.txt: {}",
        describe(&unsafe { wasi::path_rename(OTHER, "theirs.txt", SANDBOX, "theirs.txt") })
    );
}

fn symlink() {
    println!("-- path_symlink");
    for (target, path) in [
        ("hello.txt", "sym_new"),
        ("hello.txt", "sym_new"),
        ("anything", "hello.txt"),
        ("dir", "sym_dir"),
        ("nowhere", "sym_dangling"),
        ("../../far/away", "sym_up"),
        ("/etc/passwd", "sym_abs"),
        ("hello.txt", "no_such_dir/sym"),
        ("hello.txt", "sym_slash/"),
        ("", "sym_empty"),
    ] {
        let result = unsafe { wasi::path_symlink(target, SANDBOX, path) };
        println!("{path} -> {target:?}: {}", describe(&result));
    }
    for path in ["sym_new", "sym_dir", "sym_up", "sym_abs"] {
        println!("readlink {path}: {}", read_link(SANDBOX, path, 64));
    }
    println!("read through sym_new: {}", contents_follow("sym_new"));
}

fn contents_follow(path: &str) -> String {
    match unsafe { wasi::path_open(SANDBOX, FOLLOW, path, 0, wasi::RIGHTS_FD_READ, 0, 0) } {
        Ok(fd) => {
            let data = wasi_upgrade_test_programs::read_to_end(fd).unwrap();
            unsafe { wasi::fd_close(fd) }.unwrap();
            show_bytes(&data)
        }
        Err(e) => format!("errno {}", e.name()),
    }
}

fn unlink_file() {
    println!("-- path_unlink_file");
    create_file(SANDBOX, "unlink_me.txt", b"bye");
    for path in [
        "unlink_me.txt",
        "unlink_me.txt",
        "dir",
        "link_dir",
        "loop_a",
        "hello.txt/",
        "full_dir/",
        "dir/sub/deep.txt",
        "",
    ] {
        let result = unsafe { wasi::path_unlink_file(SANDBOX, path) };
        println!("{path:?}: {}", describe(&result));
    }
    println!("dir still there: {}", stat(SANDBOX, 0, "dir"));
    println!("loop_b still there: {}", stat(SANDBOX, 0, "loop_b"));
}

/// Every path function given a file, stdout, a closed or unknown
/// descriptor instead of a directory.
fn not_a_directory_fd() {
    println!("-- path functions on descriptors that are not directories");
    let file = wasi_upgrade_test_programs::open_rw(SANDBOX, "digits.txt");
    let closed = wasi_upgrade_test_programs::open_rw(SANDBOX, "digits.txt");
    unsafe { wasi::fd_close(closed) }.unwrap();
    for (label, fd) in [
        ("a file", file),
        ("stdout", 1),
        ("a closed fd", closed),
        ("fd 999", 999),
    ] {
        let mut buf = [0u8; 8];
        let results = unsafe {
            [
                (
                    "open",
                    describe(
                        &wasi::path_open(fd, 0, "x", 0, wasi::RIGHTS_FD_READ, 0, 0).map(|_| ()),
                    ),
                ),
                (
                    "create_directory",
                    describe(&wasi::path_create_directory(fd, "x")),
                ),
                (
                    "filestat_get",
                    describe(&wasi::path_filestat_get(fd, 0, "x").map(|_| ())),
                ),
                (
                    "filestat_set_times",
                    describe(&wasi::path_filestat_set_times(fd, 0, "x", 0, 0, 0)),
                ),
                (
                    "link source",
                    describe(&wasi::path_link(fd, 0, "x", SANDBOX, "y")),
                ),
                (
                    "link target",
                    describe(&wasi::path_link(SANDBOX, 0, "hello.txt", fd, "y")),
                ),
                (
                    "readlink",
                    describe(&wasi::path_readlink(fd, "x", buf.as_mut_ptr(), buf.len())),
                ),
                (
                    "remove_directory",
                    describe(&wasi::path_remove_directory(fd, "x")),
                ),
                (
                    "rename source",
                    describe(&wasi::path_rename(fd, "x", SANDBOX, "y")),
                ),
                (
                    "rename target",
                    describe(&wasi::path_rename(SANDBOX, "digits.txt", fd, "y")),
                ),
                ("symlink", describe(&wasi::path_symlink("x", fd, "y"))),
                ("unlink_file", describe(&wasi::path_unlink_file(fd, "x"))),
            ]
        };
        for (function, result) in results {
            println!("path_{function} on {label}: {result}");
        }
    }
    unsafe { wasi::fd_close(file) }.unwrap();
}
