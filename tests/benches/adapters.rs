//! Speed and size of `wasi-upgrade`'s adapter, side by side with the
//! existing adapter (`wasi-preview1-component-adapter-provider`) and with
//! native preview1, in the same run on the same engine.
//!
//! `cargo bench -p wasi-upgrade-tests --bench adapters [-- ROUNDS] [WORKLOAD...]`
//!
//! Each workload of `programs/rust/src/bin/bench.rs` runs once per host to
//! compile and warm up, then `ROUNDS` rounds (default 5) in which the hosts
//! take turns, so drift in the machine's speed hits them alike; the table shows the
//! median wall time of a whole run (instantiation included) and its ratio to
//! native.

use std::time::{Duration, Instant};

use wasi_upgrade_tests::{
    Case, ExistingAdapterComponent, Exit, Host, NativePreview1, Preopen, Program,
    WasmtimeComponent, run,
};

const WORKLOADS: [(&str, &str); 6] = [
    ("file-io", "256"),
    ("small-writes", "200000"),
    ("readdir", "5000"),
    ("stdout", "200000"),
    ("clock", "2000000"),
    ("grow", "30000"),
];

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let rounds: usize = args.iter().find_map(|arg| arg.parse().ok()).unwrap_or(5);
    let chosen: Vec<&String> = args
        .iter()
        .filter(|arg| arg.parse::<usize>().is_err())
        .collect();
    let hosts: [&dyn Host; 3] = [
        &NativePreview1,
        &WasmtimeComponent,
        &ExistingAdapterComponent,
    ];

    print_sizes();
    print_memory_at_rest();
    println!("median of {rounds} runs (ratio to native preview1):");
    print!("  {:<14}", "workload");
    for host in hosts {
        print!("{:>26}", host.name());
    }
    println!();
    for (workload, count) in WORKLOADS {
        if !chosen.is_empty() && !chosen.iter().any(|name| *name == workload) {
            continue;
        }
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

/// The adapters' own sizes per flavour, and what each adds to a hello world
/// (wit-component keeps only the adapter functions a program uses).
fn print_sizes() {
    use wasi_preview1_component_adapter_provider as existing;
    use wasi_upgrade::World;
    println!("adapter core module sizes (bytes):   wasi-upgrade   existing 48.0.8");
    for (flavour, ours, theirs) in [
        (
            "command",
            wasi_upgrade::adapter_bytes(World::Command),
            existing::WASI_SNAPSHOT_PREVIEW1_COMMAND_ADAPTER,
        ),
        (
            "reactor",
            wasi_upgrade::adapter_bytes(World::Reactor),
            existing::WASI_SNAPSHOT_PREVIEW1_REACTOR_ADAPTER,
        ),
        (
            "proxy",
            wasi_upgrade::adapter_bytes(World::Proxy),
            existing::WASI_SNAPSHOT_PREVIEW1_PROXY_ADAPTER,
        ),
        (
            "command for servers",
            wasi_upgrade::server_adapter_bytes(),
            existing::WASI_SNAPSHOT_PREVIEW1_COMMAND_ADAPTER,
        ),
    ] {
        println!("  {flavour:<34} {:>12} {:>17}", ours.len(), theirs.len());
    }
    let hello = Program::named("rust/hello").bytes();
    let ours =
        wasi_upgrade::upgrade(&hello, &wasi_upgrade::Options::default()).expect("upgrading hello");
    let theirs = upgrade_with_existing_adapter(&hello);
    println!(
        "  hello world component ({} B module) {:>12} {:>17}",
        hello.len(),
        ours.len(),
        theirs.len()
    );
    println!();
}

/// `module` spliced with the existing adapter's command build, as
/// `wasm-tools component new --adapt` would.
fn upgrade_with_existing_adapter(module: &[u8]) -> Vec<u8> {
    use wasi_preview1_component_adapter_provider as existing;
    wit_component::ComponentEncoder::default()
        .module(module)
        .and_then(|encoder| {
            encoder.adapter(
                "wasi_snapshot_preview1",
                existing::WASI_SNAPSHOT_PREVIEW1_COMMAND_ADAPTER,
            )
        })
        .and_then(|encoder| encoder.validate(true).encode())
        .expect("upgrading with the existing adapter")
}

/// How much memory a hello world ends with natively and upgraded: what each
/// adapter keeps in the program's memory at rest.
fn print_memory_at_rest() {
    let hello = Program::named("rust/hello").bytes();
    let native = peak_memory_native(&hello);
    let ours =
        wasi_upgrade::upgrade(&hello, &wasi_upgrade::Options::default()).expect("upgrading hello");
    let theirs = upgrade_with_existing_adapter(&hello);
    let pages = |bytes: usize| bytes / 65536;
    println!("hello world's memory after its run (64 KiB pages):");
    println!("  native preview1 {:>4}", pages(native));
    for (name, component) in [("wasi-upgrade", ours), ("existing adapter", theirs)] {
        let peak = peak_memory_component(&component);
        println!(
            "  {name:<15} {:>4} (+{} for the adapter)",
            pages(peak),
            pages(peak) - pages(native)
        );
    }
    println!();
}

/// Records the largest size any memory of the instance grows to.
struct Probe<T> {
    wasi: T,
    table: wasmtime::component::ResourceTable,
    peak: usize,
}

impl<T: Send + 'static> Probe<T> {
    /// A store whose memory growth the probe records.
    fn store(engine: &wasmtime::Engine, wasi: T) -> wasmtime::Store<Probe<T>> {
        let probe = Probe {
            wasi,
            table: Default::default(),
            peak: 0,
        };
        let mut store = wasmtime::Store::new(engine, probe);
        store.limiter(|probe| probe);
        store
    }
}

impl<T: Send + 'static> wasmtime::ResourceLimiter for Probe<T> {
    fn memory_growing(
        &mut self,
        _: usize,
        desired: usize,
        _: Option<usize>,
    ) -> wasmtime::Result<bool> {
        self.peak = self.peak.max(desired);
        Ok(true)
    }

    fn table_growing(&mut self, _: usize, _: usize, _: Option<usize>) -> wasmtime::Result<bool> {
        Ok(true)
    }
}

impl wasmtime_wasi::WasiView for Probe<wasmtime_wasi::WasiCtx> {
    fn ctx(&mut self) -> wasmtime_wasi::WasiCtxView<'_> {
        wasmtime_wasi::WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

fn peak_memory_native(module: &[u8]) -> usize {
    let engine = wasmtime::Engine::default();
    let module = wasmtime::Module::new(&engine, module).expect("compiling hello");
    let mut linker = wasmtime::Linker::new(&engine);
    wasmtime_wasi::p1::add_to_linker_sync(
        &mut linker,
        |probe: &mut Probe<wasmtime_wasi::p1::WasiP1Ctx>| &mut probe.wasi,
    )
    .expect("linking preview1");
    let wasi = wasmtime_wasi::WasiCtxBuilder::new().build_p1();
    let mut store = Probe::store(&engine, wasi);
    let instance = linker
        .instantiate(&mut store, &module)
        .expect("instantiating hello");
    let start = instance
        .get_typed_func::<(), ()>(&mut store, "_start")
        .expect("hello's _start");
    start.call(&mut store, ()).expect("running hello");
    store.data().peak
}

fn peak_memory_component(component: &[u8]) -> usize {
    let engine = wasmtime::Engine::default();
    let component =
        wasmtime::component::Component::new(&engine, component).expect("compiling hello");
    let mut linker = wasmtime::component::Linker::new(&engine);
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker).expect("linking WASI 0.2");
    let wasi = wasmtime_wasi::WasiCtxBuilder::new().build();
    let mut store = Probe::store(&engine, wasi);
    let command =
        wasmtime_wasi::p2::bindings::sync::Command::instantiate(&mut store, &component, &linker)
            .expect("instantiating hello");
    command
        .wasi_cli_run()
        .call_run(&mut store)
        .expect("running hello")
        .expect("hello succeeds");
    store.data().peak
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
