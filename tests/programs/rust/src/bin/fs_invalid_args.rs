//! One preview1 call with an out-of-range enum or flag value, chosen by the
//! first argument. Native preview1 traps on some of these instead of
//! returning an errno, so each is a case of its own.
//!
//! Expects a file `hello.txt` in the preopen at fd 3.

use wasi::wasi_snapshot_preview1 as raw;
use wasi_upgrade_test_programs::{FILE_RIGHTS, open_rw, raw_errno_name};

const SANDBOX: wasi::Fd = 3;

fn main() {
    let scenario = std::env::args()
        .nth(1)
        .expect("usage: fs_invalid_args <scenario>");
    let file = open_rw(SANDBOX, "hello.txt") as i32;
    let path = "hello.txt";
    let (ptr, len) = (path.as_ptr() as i32, path.len() as i32);
    let mut out = 0u64;
    let out = &mut out as *mut u64 as i32;
    println!("calling with an invalid {scenario}");
    let errno = unsafe {
        match scenario.as_str() {
            "whence" => raw::fd_seek(file, 0, 3, out),
            "advice" => raw::fd_advise(file, 0, 1, 6),
            "fdflags" => raw::fd_fdstat_set_flags(file, 1 << 5),
            "fstflags" => raw::fd_filestat_set_times(file, 0, 0, 1 << 4),
            "oflags" => raw::path_open(
                SANDBOX as i32,
                0,
                ptr,
                len,
                1 << 4,
                FILE_RIGHTS as i64,
                0,
                0,
                out,
            ),
            "lookupflags" => raw::path_open(
                SANDBOX as i32,
                1 << 1,
                ptr,
                len,
                0,
                FILE_RIGHTS as i64,
                0,
                0,
                out,
            ),
            "rights" => raw::path_open(SANDBOX as i32, 0, ptr, len, 0, 1 << 40, 0, 0, out),
            "open-fdflags" => raw::path_open(
                SANDBOX as i32,
                0,
                ptr,
                len,
                0,
                FILE_RIGHTS as i64,
                0,
                1 << 5,
                out,
            ),
            other => panic!("unknown scenario {other}"),
        }
    };
    println!("returned {}", raw_errno_name(errno));
}
