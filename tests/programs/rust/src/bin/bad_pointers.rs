//! One preview1 call with a pointer native preview1 refuses by trapping,
//! chosen by the first argument: outside memory, or not aligned to the type
//! it points at. Each is a case of its own, since the run ends there.

use wasi::wasi_snapshot_preview1 as raw;
use wasi_upgrade_test_programs::raw_errno_name;

/// An address past the end of memory (memory is far smaller than 4 GiB).
const OUTSIDE: i32 = -64;

fn main() {
    let scenario = std::env::args()
        .nth(1)
        .expect("usage: bad_pointers <scenario>");
    // Eight-aligned room for results, so odd addresses inside it are known.
    let mut room = [0u64; 16];
    let base = room.as_mut_ptr() as i32;
    let text = b"to stdout\n";
    let iovec = [text.as_ptr() as u32, text.len() as u32];
    let iovec = iovec.as_ptr() as i32;
    println!("calling with {scenario}");
    let errno = unsafe {
        match scenario.as_str() {
            "odd-result" => raw::environ_sizes_get(base + 1, base + 8),
            "result-outside" => raw::args_sizes_get(OUTSIDE, base),
            "u64-result-at-4" => raw::clock_time_get(1, 0, base + 4),
            "struct-at-4" => raw::fd_fdstat_get(1, base + 4),
            "iovecs-outside" => raw::fd_write(1, OUTSIDE, 1, base),
            "odd-iovecs" => raw::fd_write(1, iovec + 1, 1, base),
            "buffer-outside" => {
                let iovec = [OUTSIDE as u32, 16];
                raw::fd_write(1, iovec.as_ptr() as i32, 1, base)
            }
            // Native writes the bytes before it stores the count.
            "odd-written-count" => raw::fd_write(1, iovec, 1, base + 1),
            "written-count-outside" => raw::fd_write(1, iovec, 1, OUTSIDE),
            "path-outside" => raw::path_create_directory(3, OUTSIDE, 16),
            "subscriptions-outside" => raw::poll_oneoff(OUTSIDE, base, 2, base + 64),
            other => panic!("unknown scenario {other}"),
        }
    };
    println!("returned {}", raw_errno_name(errno));
}
