//! A program that moves and closes stdio descriptors before anything looks
//! at fds 3 and up, then scans for preopens as wasi-libc does
//! (`fd_prestat_get` from 3 until `EBADF`): the preopens must still be at
//! 3, 4, ... Results are printed only after the scan, through raw writes to
//! fd 1 (which the moves leave open under native preview1).
//!
//! Expects preopens /first and /second.

use wasi_upgrade_test_programs::{describe, preopen_name, print_raw};

fn main() {
    let moves = [
        ("fd_renumber(1, 10)", unsafe { wasi::fd_renumber(1, 10) }),
        ("fd_renumber(2, 40)", unsafe { wasi::fd_renumber(2, 40) }),
        ("fd_renumber(0, 2)", unsafe { wasi::fd_renumber(0, 2) }),
        ("fd_close(0)", unsafe { wasi::fd_close(0) }),
    ];
    let mut found = Vec::new();
    for fd in 3.. {
        match preopen_name(fd) {
            Ok(name) => found.push(format!("fd {fd}: {name}")),
            Err(errno) => {
                found.push(format!("fd {fd}: errno {}", errno.name()));
                break;
            }
        }
    }
    let mut report = String::new();
    for (call, result) in moves {
        report += &format!("{call}: {}\n", describe(&result));
    }
    for line in found {
        report += &format!("{line}\n");
    }
    print_raw(&report);
}
