//! Speed and size of `wasi-upgrade`'s adapter, side by side with the
//! existing adapter (`wasi-preview1-component-adapter-provider`) and with
//! native preview1, in the same run on the same engine.
//!
//! `cargo bench -p wasi-upgrade-tests --bench adapters [-- ROUNDS]`
//!
//! Each workload of `programs/rust/src/bin/bench.rs` runs once per host to
//! compile and warm up, then `ROUNDS` times (default 5); the table shows the
//! median wall time of a whole run (instantiation included) and its ratio to
//! native.

use std::time::{Duration, Instant};

use wasi_upgrade_tests::{
    Case, ExistingAdapterComponent, Exit, Host, NativePreview1, Preopen, WasmtimeComponent, run,
};

const WORKLOADS: [(&str, &str); 5] = [
    ("file-io", "256"),
    ("small-writes", "200000"),
    ("readdir", "5000"),
    ("stdout", "200000"),
    ("clock", "2000000"),
];

fn main() {
    let rounds: usize = std::env::args()
        .skip(1)
        .find_map(|arg| arg.parse().ok())
        .unwrap_or(5);
    let hosts: [&dyn Host; 3] = [
        &NativePreview1,
        &WasmtimeComponent,
        &ExistingAdapterComponent,
    ];

    println!("adapter core module sizes (bytes):");
    println!(
        "  wasi-upgrade command adapter    {:>8}",
        wasi_upgrade::adapter_bytes(wasi_upgrade::World::Command).len()
    );
    println!(
        "  existing command adapter 48.0.8 {:>8}",
        wasi_preview1_component_adapter_provider::WASI_SNAPSHOT_PREVIEW1_COMMAND_ADAPTER.len()
    );
    println!();
    println!("median of {rounds} runs (ratio to native preview1):");
    print!("  {:<14}", "workload");
    for host in hosts {
        print!("{:>26}", host.name());
    }
    println!();
    for (workload, count) in WORKLOADS {
        let case = Case::new("rust/bench")
            .args([workload, count])
            .preopen(Preopen::new("/bench"));
        print!("  {:<14}", format!("{workload} {count}"));
        let mut native = None;
        for host in hosts {
            let median = median_run(host, &case, rounds);
            let base = *native.get_or_insert(median);
            print!(
                "{:>26}",
                format!(
                    "{:.1} ms ({:.2}x)",
                    ms(median),
                    median.as_secs_f64() / base.as_secs_f64()
                )
            );
        }
        println!();
    }
}

fn median_run(host: &dyn Host, case: &Case, rounds: usize) -> Duration {
    let warm = run(host, case)
        .unwrap_or_else(|e| panic!("{} cannot run the workload: {e:#}", host.name()));
    assert!(
        matches!(warm.exit, Exit::Code(0)),
        "{} failed the workload: {}",
        host.name(),
        String::from_utf8_lossy(&warm.stderr)
    );
    let mut times: Vec<Duration> = (0..rounds)
        .map(|_| {
            let start = Instant::now();
            run(host, case).expect("the warm-up run worked");
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
