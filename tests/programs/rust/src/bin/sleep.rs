//! std::thread::sleep (a poll_oneoff clock underneath) for a few durations.

use std::time::{Duration, Instant};

fn main() {
    for ms in [0u64, 1, 10, 25] {
        let start = Instant::now();
        std::thread::sleep(Duration::from_millis(ms));
        println!(
            "slept {ms}ms: at least that long {}",
            start.elapsed() >= Duration::from_millis(ms)
        );
    }
    std::thread::sleep(Duration::from_nanos(1));
    println!("done");
}
