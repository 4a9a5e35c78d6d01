//! Speed and size of `wasi-upgrade`'s adapter, side by side with the
//! existing adapter (`wasi-preview1-component-adapter-provider`) and with
//! native preview1, in the same run on the same engine.
//!
//! `cargo bench -p wasi-upgrade-tests --bench adapters [-- ROUNDS]`
//!
//! Each workload of `programs/rust/src/bin/bench.rs` runs once per host to
//! compile and warm up, then `ROUNDS` rounds (default 5) in which the hosts
//! take turns, so drift in the machine's speed hits them alike; the table shows the
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
        let medians = median_runs(&hosts, &case, rounds);
        let native = medians[0];
        for median in medians {
            print!(
                "{:>26}",
                format!(
                    "{:.1} ms ({:.2}x)",
                    ms(median),
                    median.as_secs_f64() / native.as_secs_f64()
                )
            );
        }
        println!();
    }
}

/// The median time of `rounds` runs of `case` on each host. Rounds take the
/// hosts in turn, so a machine that slows down or speeds up during the
/// benchmark affects every host alike.
fn median_runs(hosts: &[&dyn Host], case: &Case, rounds: usize) -> Vec<Duration> {
    for host in hosts {
        let warm = run(*host, case)
            .unwrap_or_else(|e| panic!("{} cannot run the workload: {e:#}", host.name()));
        assert!(
            matches!(warm.exit, Exit::Code(0)),
            "{} failed the workload: {}",
            host.name(),
            String::from_utf8_lossy(&warm.stderr)
        );
    }
    let mut times = vec![Vec::with_capacity(rounds); hosts.len()];
    for _ in 0..rounds {
        for (host, host_times) in hosts.iter().zip(&mut times) {
            let start = Instant::now();
            run(*host, case).expect("the warm-up run worked");
            host_times.push(start.elapsed());
        }
    }
    times
        .into_iter()
        .map(|mut host_times| {
            host_times.sort();
            host_times[host_times.len() / 2]
        })
        .collect()
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
