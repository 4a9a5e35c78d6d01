//! A poll_oneoff-heavy loop that exits from inside with the code given as
//! its argument: thousands of polls on a clock and stdout, each
//! with pollables outstanding in the adapter, then `proc_exit`.

use wasi_upgrade_test_programs::{clock_subscription, fd_subscription};

fn main() {
    let code: u32 = std::env::args().nth(1).and_then(|c| c.parse().ok()).expect("usage: poll_exit CODE");
    let subs = [
        clock_subscription(1, wasi::CLOCKID_MONOTONIC, 0, 0),
        fd_subscription(2, wasi::EVENTTYPE_FD_WRITE, 1),
    ];
    let mut events: [wasi::Event; 2] = unsafe { std::mem::zeroed() };
    let mut total = 0;
    for round in 0..5_000 {
        let n = unsafe { wasi::poll_oneoff(subs.as_ptr(), events.as_mut_ptr(), subs.len()) }.expect("poll_oneoff");
        total += n.min(1);
        if round == 4_999 {
            println!("polled 5000 times, each with at least one event: {}", total == 5_000);
            unsafe { wasi::proc_exit(code) };
        }
    }
    unreachable!("proc_exit returned");
}
