//! Appending to one file from several writers.
//!
//! `append_writer two-fds`: one program opens `log.txt` twice with
//! `APPEND` and interleaves writes through both, printing the position each
//! fd reports after its writes (native: the file's size) and the final
//! contents.
//!
//! `append_writer concurrent NAME COUNT`: appends COUNT lines `NAME i` to
//! `log.txt`, one `fd_write` per line. Several instances run at once on the
//! same directory; with atomic appends no line is lost or torn.
//!
//! Expects /sandbox (fd 3).

use wasi::Fd;
use wasi_upgrade_test_programs::{FILE_RIGHTS, contents, describe, open, write_all_vectored};

const SANDBOX: Fd = 3;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["two-fds"] => two_fds(),
        ["concurrent", name, count] => concurrent(name, count.parse().expect("a line count")),
        _ => panic!("usage: append_writer two-fds | concurrent NAME COUNT"),
    }
}

fn open_append() -> Fd {
    open(
        SANDBOX,
        "log.txt",
        wasi::OFLAGS_CREAT,
        FILE_RIGHTS,
        wasi::FDFLAGS_APPEND,
    )
    .unwrap_or_else(|e| panic!("open log.txt: {}", e.name()))
}

fn two_fds() {
    let first = open_append();
    let second = open_append();
    for round in 0..5 {
        for (fd, name) in [(first, "first"), (second, "second")] {
            let line = format!("{name} {round}\n");
            write_all_vectored(fd, &[line.as_bytes()]).expect("append");
            println!(
                "{name} after round {round}: tell {}",
                describe(&unsafe { wasi::fd_tell(fd) })
            );
        }
    }
    // A seek does not move where the next append lands.
    unsafe { wasi::fd_seek(first, 0, wasi::WHENCE_SET) }.expect("seek");
    write_all_vectored(first, &[b"after a seek to 0\n"]).expect("append");
    println!(
        "after the seek and a write: tell {}",
        describe(&unsafe { wasi::fd_tell(first) })
    );
    // pwrite on an append-mode fd appends too, and leaves the position.
    let pwritten = unsafe {
        wasi::fd_pwrite(
            second,
            &[wasi::Ciovec {
                buf: b"pwrite at 3\n".as_ptr(),
                buf_len: 12,
            }],
            3,
        )
    };
    println!(
        "pwrite at 3: {}, tell {}",
        describe(&pwritten),
        describe(&unsafe { wasi::fd_tell(second) })
    );
    let text = contents(SANDBOX, "log.txt").map(|c| String::from_utf8_lossy(&c).into_owned());
    println!("log.txt: {text:?}");
}

fn concurrent(name: &str, count: usize) {
    let fd = open_append();
    for i in 0..count {
        let line = format!("{name} {i}\n");
        let written = unsafe {
            wasi::fd_write(
                fd,
                &[wasi::Ciovec {
                    buf: line.as_ptr(),
                    buf_len: line.len(),
                }],
            )
        }
        .unwrap_or_else(|e| panic!("append: {}", e.name()));
        assert_eq!(written, line.len(), "a short append");
    }
    println!("{name} appended {count} lines");
}
