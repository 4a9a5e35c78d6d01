//! What `wasm32-wasip1-threads` makes of an ordinary threaded program: a
//! shared memory imported from `env` and `wasi.thread-spawn` behind
//! `std::thread::spawn`. wasi-upgrade must refuse it in one line.

use std::sync::mpsc;
use std::thread;

fn main() {
    let (sender, receiver) = mpsc::channel();
    let workers: Vec<_> = (1..=4u64)
        .map(|n| {
            let sender = sender.clone();
            thread::spawn(move || sender.send(n * n).expect("the receiver is alive"))
        })
        .collect();
    drop(sender);
    for worker in workers {
        worker.join().expect("a worker panicked");
    }
    let sum: u64 = receiver.iter().sum();
    println!("sum of squares from 4 threads: {sum}");
}
