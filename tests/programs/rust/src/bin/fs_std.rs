//! Files and directories through `std::fs` (which goes through wasi-libc):
//! reading, writing, appending, seeking, truncating, metadata, directories,
//! renames, removals, hard and symbolic links (`fs::soft_link`), times, and the error kinds of
//! the usual failures.
//!
//! With the argument `times`, only the times are set: some hosts store a
//! descriptor's times wrongly, a case of its own so that it hides nothing
//! else.
//!
//! Expects the case's tree at /sandbox.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::time::{Duration, SystemTime};

const ROOT: &str = "/sandbox";

fn at(path: &str) -> String {
    format!("{ROOT}/{path}")
}

/// `Ok` with a value, or the error's kind and wasi-libc errno (its message
/// is not printed: it embeds the path).
fn show<T: std::fmt::Debug>(result: std::io::Result<T>) -> String {
    match result {
        Ok(value) => format!("ok {value:?}"),
        Err(e) => match e.raw_os_error() {
            Some(errno) => format!("error {:?} (errno {errno})", e.kind()),
            None => format!("error {:?}", e.kind()),
        },
    }
}

fn main() {
    if std::env::args().nth(1).as_deref() == Some("times") {
        times();
        return;
    }
    read_and_write();
    append_and_seek();
    metadata();
    directories();
    renames_and_removals();
    links();
    errors();
}

fn read_and_write() {
    println!("-- read and write");
    println!(
        "read hello.txt: {}",
        show(fs::read_to_string(at("hello.txt")))
    );
    println!(
        "write new.txt: {}",
        show(fs::write(at("new.txt"), "new file\n"))
    );
    println!("read new.txt: {}", show(fs::read_to_string(at("new.txt"))));
    println!(
        "overwrite new.txt: {}",
        show(fs::write(at("new.txt"), "short"))
    );
    println!("read new.txt: {}", show(fs::read_to_string(at("new.txt"))));
    let big: Vec<u8> = (0..3_000_000u32).map(|i| (i * 7 % 256) as u8).collect();
    println!("write 3 MB: {}", show(fs::write(at("big.bin"), &big)));
    let back = fs::read(at("big.bin")).unwrap();
    println!(
        "read 3 MB back: {} bytes, identical {}",
        back.len(),
        back == big
    );
    println!("copy: {}", show(fs::copy(at("hello.txt"), at("copy.txt"))));
    let created = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(at("hello.txt"));
    println!(
        "create_new on an existing file: {}",
        show(created.map(|_| ()))
    );
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .open(at("digits.txt"))
        .unwrap();
    file.write_all(b"ab").unwrap();
    let mut rest = String::new();
    file.read_to_string(&mut rest).unwrap();
    println!("read after writing 2 bytes: {rest:?}");
    let mut truncated = OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(at("copy.txt"))
        .unwrap();
    truncated.write_all(b"truncated\n").unwrap();
    drop(truncated);
    println!("copy.txt: {}", show(fs::read_to_string(at("copy.txt"))));
}

fn append_and_seek() {
    println!("-- append and seek");
    let mut log = OpenOptions::new()
        .append(true)
        .create(true)
        .open(at("log.txt"))
        .unwrap();
    writeln!(log, "first").unwrap();
    writeln!(log, "second").unwrap();
    drop(log);
    let mut log = OpenOptions::new().append(true).open(at("log.txt")).unwrap();
    log.seek(SeekFrom::Start(0)).unwrap();
    writeln!(log, "third").unwrap();
    drop(log);
    println!("log.txt: {}", show(fs::read_to_string(at("log.txt"))));

    let mut file = File::open(at("digits.txt")).unwrap();
    for pos in [
        SeekFrom::End(-3),
        SeekFrom::Start(1),
        SeekFrom::Current(2),
        SeekFrom::End(4),
    ] {
        let at = file.seek(pos);
        let mut byte = [0u8; 1];
        let n = file.read(&mut byte).unwrap();
        println!(
            "seek {pos:?}: {} then read {:?}",
            show(at),
            String::from_utf8_lossy(&byte[..n])
        );
    }
    println!(
        "seek before the start: {}",
        show(file.seek(SeekFrom::Current(-100)))
    );
    let file = OpenOptions::new().write(true).open(at("new.txt")).unwrap();
    println!("set_len 10: {}", show(file.set_len(10)));
    println!("set_len 2: {}", show(file.set_len(2)));
    println!(
        "sync_all: {}, sync_data: {}",
        show(file.sync_all()),
        show(file.sync_data())
    );
    drop(file);
    println!("new.txt: {:?}", fs::read(at("new.txt")).unwrap());
}

fn kind(meta: &fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_symlink() {
        "symlink"
    } else if t.is_dir() {
        "dir"
    } else if t.is_file() {
        "file"
    } else {
        "other"
    }
}

fn metadata() {
    println!("-- metadata");
    for path in [
        "hello.txt",
        "empty.txt",
        "dir",
        "link_hello",
        "link_dir",
        "link_dangling",
    ] {
        let meta =
            fs::metadata(at(path)).map(|m| (kind(&m), if m.is_file() { m.len() } else { 0 }));
        let lmeta = fs::symlink_metadata(at(path)).map(|m| kind(&m));
        println!(
            "{path}: metadata {}, symlink_metadata {}",
            show(meta),
            show(lmeta)
        );
    }
    let file = File::open(at("hello.txt")).unwrap();
    let meta = file.metadata().unwrap();
    println!(
        "open file: {} of {} bytes, readonly {}",
        kind(&meta),
        meta.len(),
        meta.permissions().readonly()
    );
}

fn listing(path: &str) -> String {
    match fs::read_dir(at(path)) {
        Ok(entries) => {
            let mut names: Vec<String> = entries
                .map(|e| {
                    let e = e.unwrap();
                    let t = e.file_type().unwrap();
                    let kind = if t.is_symlink() {
                        "@"
                    } else if t.is_dir() {
                        "/"
                    } else {
                        ""
                    };
                    format!("{}{kind}", e.file_name().to_string_lossy())
                })
                .collect();
            names.sort();
            format!("{names:?}")
        }
        Err(e) => format!("error {:?}", e.kind()),
    }
}

fn directories() {
    println!("-- directories");
    println!(
        "create_dir_all a/b/c: {}",
        show(fs::create_dir_all(at("a/b/c")))
    );
    println!(
        "create_dir_all again: {}",
        show(fs::create_dir_all(at("a/b/c")))
    );
    println!("create_dir a: {}", show(fs::create_dir(at("a"))));
    println!("create_dir x/y: {}", show(fs::create_dir(at("x/y"))));
    fs::write(at("a/b/c/leaf.txt"), "leaf").unwrap();
    fs::write(at("a/top.txt"), "top").unwrap();
    println!("read_dir /sandbox: {}", listing(""));
    println!("read_dir a: {}", listing("a"));
    println!("read_dir link_dir: {}", listing("link_dir"));
    println!("read_dir hello.txt: {}", listing("hello.txt"));
    println!("read_dir missing: {}", listing("missing"));
}

fn renames_and_removals() {
    println!("-- renames and removals");
    println!(
        "rename a file: {}",
        show(fs::rename(at("new.txt"), at("a/renamed.txt")))
    );
    println!(
        "rename a dir: {}",
        show(fs::rename(at("a/b"), at("moved_b")))
    );
    println!(
        "rename a dir into itself: {}",
        show(fs::rename(at("moved_b"), at("moved_b/c/inner")))
    );
    println!(
        "rename over a non-empty dir: {}",
        show(fs::rename(at("empty_dir"), at("full_dir")))
    );
    println!(
        "rename over an empty dir: {}",
        show(fs::rename(at("moved_b/c"), at("empty_dir")))
    );
    println!("remove_file: {}", show(fs::remove_file(at("copy.txt"))));
    println!("remove_file on a dir: {}", show(fs::remove_file(at("dir"))));
    println!(
        "remove_dir non-empty: {}",
        show(fs::remove_dir(at("full_dir")))
    );
    println!(
        "remove_dir on a file: {}",
        show(fs::remove_dir(at("hello.txt")))
    );
    println!("remove_dir_all a: {}", show(fs::remove_dir_all(at("a"))));
    println!(
        "remove_dir_all missing: {}",
        show(fs::remove_dir_all(at("a")))
    );
    println!("exists a: {}", show(fs::exists(at("a"))));
    println!("read_dir /sandbox: {}", listing(""));
}

fn links() {
    println!("-- links");
    // The only stable way to make a symlink on WASI (`std::os::wasi::fs::symlink_path` is unstable).
    #[allow(deprecated)]
    let link = |target: &str, path: &str| fs::soft_link(target, at(path));
    println!(
        "symlink std_link -> hello.txt: {}",
        show(link("hello.txt", "std_link"))
    );
    println!("symlink again: {}", show(link("hello.txt", "std_link")));
    println!(
        "symlink std_dir_link -> dir: {}",
        show(link("dir", "std_dir_link"))
    );
    println!(
        "read_link std_link: {}",
        show(fs::read_link(at("std_link")))
    );
    println!(
        "read_link hello.txt: {}",
        show(fs::read_link(at("hello.txt")))
    );
    println!(
        "read through std_link: {}",
        show(fs::read_to_string(at("std_link")))
    );
    println!(
        "read through std_dir_link: {}",
        show(fs::read_to_string(at("std_dir_link/nested.txt")))
    );
    println!(
        "hard_link: {}",
        show(fs::hard_link(at("hello.txt"), at("std_hard.txt")))
    );
    fs::write(at("std_hard.txt"), "changed through the hard link\n").unwrap();
    println!(
        "hello.txt after: {}",
        show(fs::read_to_string(at("hello.txt")))
    );
    println!(
        "remove the symlink: {}",
        show(fs::remove_file(at("std_dir_link")))
    );
    println!(
        "dir still there: {}",
        show(fs::metadata(at("dir")).map(|m| m.is_dir()))
    );
}

/// Times of a few seconds after 1970: a host that stores them 1000 or a
/// million times too large still stays inside what every file system keeps
/// exactly (32-bit seconds), so what it shows does not depend on the file
/// system the tests run on.
fn times() {
    println!("-- times");
    let then = SystemTime::UNIX_EPOCH + Duration::new(1, 123_456_789);
    let file = OpenOptions::new()
        .write(true)
        .open(at("hello.txt"))
        .unwrap();
    let times = fs::FileTimes::new()
        .set_modified(then)
        .set_accessed(then + Duration::from_secs(1));
    println!("set_times: {}", show(file.set_times(times)));
    let meta = fs::metadata(at("hello.txt")).unwrap();
    println!(
        "modified: {}",
        show(
            meta.modified()
                .map(|t| t.duration_since(SystemTime::UNIX_EPOCH).unwrap())
        )
    );
    println!(
        "accessed: {}",
        show(
            meta.accessed()
                .map(|t| t.duration_since(SystemTime::UNIX_EPOCH).unwrap())
        )
    );
    let created = meta.created();
    println!(
        "created: {}",
        if created.is_ok() {
            "ok".to_owned()
        } else {
            show(created)
        }
    );
    println!(
        "set_modified later: {}",
        show(file.set_modified(then + Duration::from_secs(3)))
    );
    let modified = fs::metadata(at("hello.txt")).unwrap().modified().unwrap();
    println!("modified moved on: {}", modified > then);
}

fn errors() {
    println!("-- errors");
    let cases: [(&str, std::io::Result<()>); 9] = [
        ("open missing", File::open(at("missing.txt")).map(|_| ())),
        ("open a symlink loop", File::open(at("loop_a")).map(|_| ())),
        (
            "open a dangling symlink",
            File::open(at("link_dangling")).map(|_| ()),
        ),
        (
            "open a dir for writing",
            OpenOptions::new().write(true).open(at("dir")).map(|_| ()),
        ),
        ("open file/x", File::open(at("hello.txt/x")).map(|_| ())),
        (
            "open outside via ..",
            File::open(at("../etc/passwd")).map(|_| ()),
        ),
        (
            "open outside via a symlink",
            File::open(at("link_abs/passwd")).map(|_| ()),
        ),
        (
            "open a path outside every preopen",
            File::open("/etc/passwd").map(|_| ()),
        ),
        (
            "write to a read-only file",
            File::open(at("digits.txt")).and_then(|mut f| f.write_all(b"x")),
        ),
    ];
    for (label, result) in cases {
        println!("{label}: {}", show(result));
    }
    println!(
        "metadata of a relative path: {}",
        show(fs::metadata(Path::new("hello.txt")).map(|_| ()))
    );
}
