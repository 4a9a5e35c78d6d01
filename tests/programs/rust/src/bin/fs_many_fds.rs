//! Keeps `<count>` files (the first argument) open at once: creates and
//! writes each, reads every one back through its own descriptor while all
//! are open, then closes them all. The descriptor table must not be capped.
//!
//! Expects an empty preopen at fd 3.

use wasi::Fd;
use wasi_upgrade_test_programs::{FILE_RIGHTS, describe, pread_vectored_fully, write_all_vectored};

const SANDBOX: Fd = 3;

fn main() {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .expect("usage: fs_many_fds <count>");
    unsafe { wasi::path_create_directory(SANDBOX, "many") }.expect("mkdir many");
    let mut fds = Vec::with_capacity(count);
    for i in 0..count {
        let path = format!("many/{i:05}.txt");
        let opened = unsafe {
            wasi::path_open(
                SANDBOX,
                0,
                &path,
                wasi::OFLAGS_CREAT | wasi::OFLAGS_EXCL,
                FILE_RIGHTS,
                0,
                0,
            )
        };
        match opened {
            Ok(fd) => fds.push(fd),
            Err(e) => {
                println!("opening file {i} failed: errno {}", e.name());
                break;
            }
        }
        write_all_vectored(fds[i], &[format!("file {i}\n").as_bytes()]).expect("write");
    }
    println!("open at once: {}", fds.len());
    let mut distinct = fds.clone();
    distinct.sort_unstable();
    distinct.dedup();
    let preopen_reused = fds.iter().any(|&fd| fd <= SANDBOX);
    println!(
        "distinct descriptors: {}, any reuses stdio or the preopen: {preopen_reused}",
        distinct.len()
    );

    let intact = fds.iter().enumerate().all(|(i, &fd)| {
        let expected = format!("file {i}\n");
        let mut buf = vec![0u8; expected.len() + 1];
        pread_vectored_fully(fd, &mut [&mut buf], 0) == Ok(expected.len())
            && buf[..expected.len()] == *expected.as_bytes()
    });
    println!("every file reads back through its own descriptor: {intact}");
    let stats_ok = fds
        .iter()
        .all(|&fd| unsafe { wasi::fd_fdstat_get(fd) }.is_ok());
    println!("fd_fdstat_get works on all: {stats_ok}");

    let closed = fds
        .iter()
        .filter(|&&fd| unsafe { wasi::fd_close(fd) }.is_ok())
        .count();
    println!("closed: {closed}");
    let after = fds
        .iter()
        .filter(|&&fd| unsafe { wasi::fd_fdstat_get(fd) }.is_ok())
        .count();
    println!("still usable after closing: {after}");
    println!(
        "close again: {}",
        describe(&unsafe { wasi::fd_close(fds[fds.len() / 2]) })
    );
    let reopened =
        unsafe { wasi::path_open(SANDBOX, 0, "many/00000.txt", 0, wasi::RIGHTS_FD_READ, 0, 0) };
    println!(
        "open after closing all: {}",
        wasi_upgrade_test_programs::status(&reopened)
    );
}
