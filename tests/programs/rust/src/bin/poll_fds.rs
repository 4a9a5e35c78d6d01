//! poll_oneoff on fds: files, stdin, stdout and bad fds, alone and mixed
//! with clocks. Each call's events are printed sorted by userdata, with
//! their errno, type, nbytes and flags. A clock beside an fd is always far
//! off (60s), so which events a call reports never depends on timing. Run
//! with a file `data.txt` of 10 bytes in the preopen at fd 3 and something
//! on stdin.

use wasi::{Event, Subscription};
use wasi_upgrade_test_programs::{clock_subscription, fd_subscription as fd_sub};

fn poll(label: &str, subs: &[Subscription]) {
    let mut events: Vec<Event> = Vec::with_capacity(subs.len());
    match unsafe { wasi::poll_oneoff(subs.as_ptr(), events.as_mut_ptr(), subs.len()) } {
        Ok(n) => {
            unsafe { events.set_len(n) };
            events.sort_by_key(|e| e.userdata);
            println!("{label}: {n} event(s)");
            for e in &events {
                println!(
                    "  userdata {} error {} type {} nbytes {} flags {}",
                    e.userdata,
                    e.error.name(),
                    e.type_.name(),
                    e.fd_readwrite.nbytes,
                    e.fd_readwrite.flags
                );
            }
        }
        Err(e) => println!("{label}: errno {}", e.name()),
    }
}

fn main() {
    let file = unsafe {
        wasi::path_open(3, 0, "data.txt", 0, wasi::RIGHTS_FD_READ | wasi::RIGHTS_FD_WRITE, 0, 0)
    }
    .expect("opening data.txt");
    poll("file read at 0", &[fd_sub(1, wasi::EVENTTYPE_FD_READ, file)]);
    let mut four = [0u8; 4];
    unsafe { wasi::fd_read(file, &[wasi::Iovec { buf: four.as_mut_ptr(), buf_len: 4 }]) }.expect("read");
    // One file subscription per call: native's file pollables become ready
    // on their own schedule, so two in one call may be reported one at a time.
    poll("file read at 4", &[fd_sub(1, wasi::EVENTTYPE_FD_READ, file)]);
    poll("file write", &[fd_sub(2, wasi::EVENTTYPE_FD_WRITE, file)]);
    unsafe { wasi::fd_seek(file, 0, wasi::WHENCE_END) }.expect("seek");
    poll("file read at the end", &[fd_sub(1, wasi::EVENTTYPE_FD_READ, file)]);

    poll("stdin read", &[fd_sub(1, wasi::EVENTTYPE_FD_READ, 0)]);
    poll(
        "stdout and stderr write",
        &[fd_sub(1, wasi::EVENTTYPE_FD_WRITE, 1), fd_sub(2, wasi::EVENTTYPE_FD_WRITE, 2)],
    );
    poll(
        "stdin read beside a 60s clock",
        &[fd_sub(1, wasi::EVENTTYPE_FD_READ, 0), clock_subscription(2, wasi::CLOCKID_MONOTONIC, 60_000_000_000, 0)],
    );

    poll("fd 77 read", &[fd_sub(1, wasi::EVENTTYPE_FD_READ, 77)]);
    poll(
        "fd 77 read beside the file",
        &[fd_sub(1, wasi::EVENTTYPE_FD_READ, 77), fd_sub(2, wasi::EVENTTYPE_FD_READ, file)],
    );
    poll(
        "the preopen (a directory) beside a 60s clock",
        &[fd_sub(1, wasi::EVENTTYPE_FD_READ, 3), clock_subscription(2, wasi::CLOCKID_MONOTONIC, 60_000_000_000, 0)],
    );
    poll("stdout read", &[fd_sub(1, wasi::EVENTTYPE_FD_READ, 1), fd_sub(2, wasi::EVENTTYPE_FD_WRITE, 1)]);
    let clock_9 = unsafe { std::mem::transmute::<u32, wasi::Clockid>(9) };
    poll("clock 9 beside stdout", &[clock_subscription(1, clock_9, 1_000, 0), fd_sub(2, wasi::EVENTTYPE_FD_WRITE, 1)]);
    poll(
        "process CPU clock 1ms beside a 60s monotonic clock",
        &[
            clock_subscription(1, wasi::CLOCKID_PROCESS_CPUTIME_ID, 1_000_000, 0),
            clock_subscription(2, wasi::CLOCKID_MONOTONIC, 60_000_000_000, 0),
        ],
    );
}
