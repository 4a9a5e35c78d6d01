//! The call shapes where `fuzz_preview1` found the adapter answering
//! differently from native, replayed one by one on the fuzzer's scratch
//! tree (a file `a`, a directory `d`, a symlink `l` to `a`, `dl` to `d`),
//! chosen by the first argument: `empty-path`, `dots`, `i64-crossing` or
//! `poll-mixed`.

use wasi::wasi_snapshot_preview1 as raw;
use wasi_upgrade_test_programs::{
    clock_subscription, errno_of, fd_subscription, open_rw, raw_errno_name,
};

const SCRATCH: wasi::Fd = 3;

fn main() {
    let scenario = std::env::args()
        .nth(1)
        .expect("usage: fuzz_regressions <scenario>");
    match scenario.as_str() {
        // An empty path beside another reason to fail: native reports the
        // other reason when its host meets it first.
        "empty-path" => {
            link(1, "", "b");
            link(0, "../x", "");
            symlink("", "a/b");
            symlink("", "a/");
            symlink("", "../x");
            rename("/abs", "");
            rename("a/b", "");
        }
        // Paths ending in `.` or `..`: native resolves them before it
        // refuses to act on `.` or `..` itself.
        "dots" => {
            rename("..", ".");
            rename("d/..", "..");
            rename("l/x", ".");
            rename("gone/..", "dl");
            rename("a/b", "gone/..");
            rename("d/..", "b");
            remove_directory("gone/..");
            remove_directory("d/..");
            remove_directory(".");
        }
        // Reads at a position below i64::MAX whose iovecs together would
        // end past it: native reads only the first iovec.
        "i64-crossing" => {
            let fd = open_rw(SCRATCH, "a") as i32;
            let mut position = 0u64;
            let out = &mut position as *mut u64 as i32;
            unsafe {
                raw::fd_seek(fd, i64::MAX, 0, out);
                raw::fd_seek(fd, -100, 1, out);
            }
            let mut first = [0u8; 100];
            let mut second = [0u8; 103];
            let iovecs = [
                first.as_mut_ptr() as u32,
                100,
                second.as_mut_ptr() as u32,
                103,
            ];
            let mut n = 0u32;
            let errno =
                unsafe { raw::fd_read(fd, iovecs.as_ptr() as i32, 2, &mut n as *mut u32 as i32) };
            println!("fd_read [100, 103] at {position}: {} {n}", raw_errno_name(errno));
            let errno = unsafe {
                raw::fd_pread(
                    fd,
                    iovecs.as_ptr() as i32,
                    2,
                    i64::MAX - 100,
                    &mut n as *mut u32 as i32,
                )
            };
            println!("fd_pread [100, 103] at i64::MAX - 100: {} {n}", raw_errno_name(errno));
        }
        // `poll_oneoff` mixing subscriptions ready at once with an expired
        // clock or a file read (whose readiness races on native).
        "poll-mixed" => {
            let file = open_rw(SCRATCH, "a");
            let write_stdout = fd_subscription(1, wasi::EVENTTYPE_FD_WRITE, 1);
            let read_file = fd_subscription(2, wasi::EVENTTYPE_FD_READ, file);
            let expired = clock_subscription(3, wasi::CLOCKID_MONOTONIC, 0, 0);
            poll("stdout write, file read", &[write_stdout, read_file]);
            poll("expired clock, stdout write", &[expired, write_stdout]);
            poll("expired clock, file read", &[expired, read_file]);
            poll("file read", &[read_file]);
        }
        other => panic!("unknown scenario {other}"),
    }
}

fn link(lookup: u32, from: &str, to: &str) {
    let result = unsafe { wasi::path_link(SCRATCH, lookup, from, SCRATCH, to) };
    println!("path_link(lookup {lookup}, {from:?}, {to:?}): {}", errno_of(result));
}

fn symlink(target: &str, path: &str) {
    let result = unsafe { wasi::path_symlink(target, SCRATCH, path) };
    println!("path_symlink({target:?}, {path:?}): {}", errno_of(result));
}

fn rename(from: &str, to: &str) {
    let result = unsafe { wasi::path_rename(SCRATCH, from, SCRATCH, to) };
    println!("path_rename({from:?}, {to:?}): {}", errno_of(result));
}

fn remove_directory(path: &str) {
    let result = unsafe { wasi::path_remove_directory(SCRATCH, path) };
    println!("path_remove_directory({path:?}): {}", errno_of(result));
}

fn poll(label: &str, subscriptions: &[wasi::Subscription]) {
    let mut events = vec![wasi::Event {
        userdata: 0,
        error: wasi::ERRNO_SUCCESS,
        type_: wasi::EVENTTYPE_CLOCK,
        fd_readwrite: wasi::EventFdReadwrite {
            nbytes: 0,
            flags: 0,
        },
    }; subscriptions.len()];
    let mut stored = 0u32;
    let errno = unsafe {
        raw::poll_oneoff(
            subscriptions.as_ptr() as i32,
            events.as_mut_ptr() as i32,
            subscriptions.len() as i32,
            &mut stored as *mut u32 as i32,
        )
    };
    let mut shown: Vec<String> = events[..stored as usize]
        .iter()
        .map(|e| format!("{}:type {} nbytes {}", e.userdata, e.type_.raw(), e.fd_readwrite.nbytes))
        .collect();
    shown.sort();
    println!("poll {label}: {} [{}]", raw_errno_name(errno), shown.join(" "));
}
