//! Sets a file's timestamps to exact values and reads them back, through its
//! descriptor (`file_times fd`: fd_filestat_set_times) or through its path
//! (`file_times path`: path_filestat_set_times). Each value must survive to
//! the nanosecond.

use std::fs;

const PREOPEN: wasi::Fd = 3;
const BOTH: wasi::Fstflags = wasi::FSTFLAGS_ATIM | wasi::FSTFLAGS_MTIM;

fn main() {
    fs::write("/sandbox/times.txt", b"times").expect("create times.txt");
    match std::env::args().nth(1).as_deref() {
        Some("fd") => through_descriptor(),
        Some("path") => through_path(),
        other => panic!("expected `fd` or `path`, got {other:?}"),
    }
}

/// Whole seconds, so a host that gets the scale wrong (not only the
/// precision) shows it.
fn through_descriptor() {
    let rights = wasi::RIGHTS_FD_FILESTAT_GET | wasi::RIGHTS_FD_FILESTAT_SET_TIMES;
    let fd = unsafe { wasi::path_open(PREOPEN, 0, "times.txt", 0, rights, 0, 0) }
        .expect("open times.txt");
    let set = unsafe { wasi::fd_filestat_set_times(fd, 2_000_000_000, 3_000_000_000, BOTH) };
    let stat = unsafe { wasi::fd_filestat_get(fd) }.expect("fd_filestat_get");
    println!(
        "fd_filestat_set_times 2 s, 3 s: {set:?} -> atim {} mtim {}",
        stat.atim, stat.mtim
    );
}

fn through_path() {
    let (atim, mtim) = (1_500_000_000_123_456_789, 1_234_567_890_987_654_321);
    let set = unsafe { wasi::path_filestat_set_times(PREOPEN, 0, "times.txt", atim, mtim, BOTH) };
    let stat =
        unsafe { wasi::path_filestat_get(PREOPEN, 0, "times.txt") }.expect("path_filestat_get");
    println!(
        "path_filestat_set_times {atim} {mtim}: {set:?} -> atim {} mtim {}",
        stat.atim, stat.mtim
    );
}
