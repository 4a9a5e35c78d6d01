//! fd_renumber between files, onto itself, from stdin and stderr, and onto
//! and from preopens (the preopen bookkeeping must follow the move).
//!
//! With the argument `unopened`, only renumbering onto descriptor numbers
//! that are not open: native preview1 refuses that (BADF), so it is a case
//! of its own.
//!
//! Expects preopens /sandbox (fd 3) and /other (fd 4) with the case's files.

use wasi::Fd;
use wasi_upgrade_test_programs::{
    contents, describe, open_rw, preopen_name, read_to_end, status, write_all_vectored,
};

const SANDBOX: Fd = 3;
const OTHER: Fd = 4;

fn main() {
    if std::env::args().nth(1).as_deref() == Some("unopened") {
        onto_unopened();
        return;
    }
    between_files();
    from_stdio();
    preopens();
}

/// What `fd` reads from the start, or why it cannot.
fn reads(fd: Fd) -> String {
    if let Err(e) = unsafe { wasi::fd_seek(fd, 0, wasi::WHENCE_SET) } {
        return format!("errno {}", e.name());
    }
    match read_to_end(fd) {
        Ok(data) => format!("{:?}", String::from_utf8_lossy(&data)),
        Err(e) => format!("errno {}", e.name()),
    }
}

fn between_files() {
    println!("-- between files");
    let hello = open_rw(SANDBOX, "hello.txt");
    let digits = open_rw(SANDBOX, "digits.txt");
    println!(
        "renumber hello onto digits: {}",
        describe(&unsafe { wasi::fd_renumber(hello, digits) })
    );
    println!("the target now reads {}", reads(digits));
    println!(
        "the source: {}",
        status(&unsafe { wasi::fd_fdstat_get(hello) })
    );
    println!(
        "renumber onto itself: {}",
        describe(&unsafe { wasi::fd_renumber(digits, digits) })
    );
    println!("and it still reads {}", reads(digits));
    println!(
        "renumber the closed source: {}",
        describe(&unsafe { wasi::fd_renumber(hello, digits) })
    );
    println!(
        "renumber fd 999 onto it: {}",
        describe(&unsafe { wasi::fd_renumber(999, digits) })
    );
    // Positions and flags move with the descriptor.
    let empty = open_rw(SANDBOX, "empty.txt");
    unsafe { wasi::fd_seek(digits, 4, wasi::WHENCE_SET) }.unwrap();
    unsafe { wasi::fd_fdstat_set_flags(digits, wasi::FDFLAGS_APPEND) }.unwrap();
    unsafe { wasi::fd_renumber(digits, empty) }.unwrap();
    let stat = unsafe { wasi::fd_fdstat_get(empty) }.unwrap();
    println!(
        "after a move: position {}, APPEND kept {}",
        describe(&unsafe { wasi::fd_tell(empty) }),
        stat.fs_flags & wasi::FDFLAGS_APPEND != 0
    );
    unsafe { wasi::fd_close(empty) }.unwrap();
    println!(
        "empty.txt untouched: {:?}",
        contents(SANDBOX, "empty.txt").map(|c| c.len())
    );
}

fn preopens() {
    println!("-- preopens");
    // A file moved over a preopen replaces it: the number is no preopen any more.
    let file = open_rw(SANDBOX, "hello.txt");
    println!(
        "renumber a file onto /other's fd: {}",
        describe(&unsafe { wasi::fd_renumber(file, OTHER) })
    );
    println!(
        "prestat of that fd: {}",
        status(&unsafe { wasi::fd_prestat_get(OTHER) })
    );
    println!("it reads {}", reads(OTHER));
    println!(
        "path_open below it: {}",
        status(&unsafe { wasi::path_open(OTHER, 0, "theirs.txt", 0, wasi::RIGHTS_FD_READ, 0, 0) })
    );
    unsafe { wasi::fd_close(OTHER) }.unwrap();

    // A preopen moved to another number is found there, with its name.
    let target = open_rw(SANDBOX, "digits.txt");
    println!(
        "renumber /sandbox onto a file's fd: {}",
        describe(&unsafe { wasi::fd_renumber(SANDBOX, target) })
    );
    println!(
        "prestat of the old number: {}",
        status(&unsafe { wasi::fd_prestat_get(SANDBOX) })
    );
    println!("prestat name at the new number: {:?}", preopen_name(target));
    let below =
        unsafe { wasi::path_open(target, 0, "dir/nested.txt", 0, wasi::RIGHTS_FD_READ, 0, 0) };
    match below {
        Ok(fd) => {
            println!("path_open below the new number reads {}", reads(fd));
            unsafe { wasi::fd_close(fd) }.unwrap();
        }
        Err(e) => println!("path_open below the new number: errno {}", e.name()),
    }
    let stat = unsafe { wasi::fd_fdstat_get(target) }.map(|s| s.fs_filetype.name());
    println!("fdstat at the new number: {}", describe(&stat));
    println!(
        "old number after the move: {}",
        status(&unsafe { wasi::fd_fdstat_get(SANDBOX) })
    );
    println!(
        "closing the moved preopen: {}",
        describe(&unsafe { wasi::fd_close(target) })
    );
    println!(
        "prestat after closing: {}",
        status(&unsafe { wasi::fd_prestat_get(target) })
    );
}

/// stdin and stderr moved onto file descriptors keep working there.
fn from_stdio() {
    println!("-- stdio");
    let target = open_rw(SANDBOX, "hello.txt");
    println!(
        "renumber stdin onto a file's fd: {}",
        describe(&unsafe { wasi::fd_renumber(0, target) })
    );
    let read = read_to_end(target).map(|data| String::from_utf8_lossy(&data).into_owned());
    println!("reading it gives stdin: {read:?}");
    println!(
        "fd 0 after the move: {}",
        status(&unsafe { wasi::fd_fdstat_get(0) })
    );
    let target = open_rw(SANDBOX, "digits.txt");
    println!(
        "renumber stderr onto a file's fd: {}",
        describe(&unsafe { wasi::fd_renumber(2, target) })
    );
    let moved = write_all_vectored(target, &[b"written through the moved stderr\n"]);
    println!("writing to it: {}", status(&moved));
    let at_2 = unsafe {
        wasi::fd_write(
            2,
            &[wasi::Ciovec {
                buf: b"x".as_ptr(),
                buf_len: 1,
            }],
        )
    };
    println!("fd 2 after the move: {}", describe(&at_2));
    println!(
        "digits.txt untouched: {:?}",
        contents(SANDBOX, "digits.txt").map(|c| String::from_utf8_lossy(&c).into_owned())
    );
}

fn onto_unopened() {
    println!("-- onto numbers that are not open");
    let file = open_rw(SANDBOX, "hello.txt");
    for target in [100, 10_000, u32::MAX - 1] {
        let result = unsafe { wasi::fd_renumber(file, target) };
        println!("renumber onto {target}: {}", describe(&result));
        println!("  target reads {}", reads(target));
        println!(
            "  source: {}",
            status(&unsafe { wasi::fd_fdstat_get(file) })
        );
    }
    let preopen = unsafe { wasi::fd_renumber(OTHER, 200) };
    println!("renumber /other onto 200: {}", describe(&preopen));
    println!("  prestat name at 200: {}", describe(&preopen_name(200)));
    println!(
        "  prestat at 4: {}",
        status(&unsafe { wasi::fd_prestat_get(OTHER) })
    );
}
