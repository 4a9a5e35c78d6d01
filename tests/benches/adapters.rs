//! Speed and size of `wasi-upgrade`'s adapter as users see them: each run is
//! a whole process on a release-built Wasmtime 48 configured as `wasmtime
//! run` is (`Config` defaults, precompiled code loaded with `deserialize`,
//! inherited stdio with stdout to /dev/null, a preopened directory), for
//! four builds of `programs/rust/src/bin/bench.rs`:
//!
//! - native preview1 (the module on `wasmtime_wasi::p1`),
//! - the existing adapter (`wasi-preview1-component-adapter-provider`
//!   48.0.8, spliced by wit-component as `wasm-tools component new` does),
//! - wasi-upgrade,
//! - the same program built for `wasm32-wasip2`, which calls WASI 0.2
//!   directly: the floor for an adapter.
//!
//! `bash ci/bench.sh [ROUNDS] [WORKLOAD...]`, or once the `wasm32-wasip2`
//! target is installed, `cargo bench -p wasi-upgrade-tests --bench adapters
//! [-- ROUNDS] [WORKLOAD...]`.
//!
//! Every variant runs once to warm up (and to check that it succeeds), then
//! `ROUNDS` rounds (default 5) in which the variants take turns, so drift in
//! the machine's speed hits them alike; the table shows the median wall time
//! and its ratio to native. Then the instructions each adapter runs per
//! call (Wasmtime fuel, which machine load does not change), upgrade times,
//! sizes and memory at rest.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use wasi_preview1_component_adapter_provider as existing;
use wasi_upgrade::World;
use wasi_upgrade_tests::Program;
use wasmtime::{Config, Engine};

/// Each row: what it measures, the workload and its count.
const WORKLOADS: [(&str, &str, &str); 9] = [
    ("200,000 `path_filestat_get`", "filestat", "200000"),
    ("50,000 open + close", "open-close", "50000"),
    ("2,000,000 `clock_time_get`", "clock", "2000000"),
    ("100,000 `random_get` (32 B)", "random", "100000"),
    (
        "1,000,000 16-byte `fd_write`s to stdout",
        "stdout-raw",
        "1000000",
    ),
    (
        "reading 10,000 directory entries, 20 times",
        "list",
        "10000",
    ),
    ("hello world, whole process", "hello", "1"),
    ("write then read 64 MiB in 64 KiB calls", "file-io", "64"),
    (
        "30,000 one-page `memory.grow`s, each page touched",
        "grow",
        "30000",
    ),
];

/// The flag that makes this binary run one program instead of the benchmark.
const RUN_ONE: &str = "--run-one";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if args.first().map(String::as_str) == Some(RUN_ONE) {
        return run_one(&args[1..]);
    }
    let rounds: usize = args.iter().find_map(|arg| arg.parse().ok()).unwrap_or(5);
    let chosen: Vec<&String> = args
        .iter()
        .filter(|arg| arg.parse::<usize>().is_err())
        .collect();
    println!("load average at the start: {}", load_average());
    let scratch = tempfile::tempdir().expect("a scratch directory");
    let variants = prepare_variants(scratch.path());
    let preopen = scratch.path().join("preopen");
    prepare_preopen(&preopen);

    // 0 rounds: the instruction counts, sizes and memory only, which do not
    // depend on the machine's load.
    if rounds > 0 {
        print_wall_times(&variants, &preopen, &chosen, rounds);
    }
    print_instructions_per_call(&variants, &preopen, &chosen);
    if rounds > 0 {
        print_upgrade_times(rounds);
    }
    print_sizes();
    print_memory_at_rest();
    println!("load average at the end: {}", load_average());
    ExitCode::SUCCESS
}

/// The table of median wall times, per workload and variant.
fn print_wall_times(variants: &[Variant], preopen: &Path, chosen: &[&String], rounds: usize) {
    println!("\nmedian wall time of {rounds} whole runs (ratio to native preview1):\n");
    print!("| workload |");
    for variant in variants {
        print!(" {} |", variant.name);
    }
    println!();
    println!("|---|{}", "---|".repeat(variants.len()));
    for (label, workload, count) in WORKLOADS {
        if !chosen.is_empty() && !chosen.iter().any(|name| *name == workload) {
            continue;
        }
        let medians = median_runs(variants, preopen, &[workload, count], rounds);
        let native = medians[0].as_secs_f64();
        print!("| {label} |");
        for median in medians {
            print!(
                " {:.0} ms ({:.2}) |",
                median.as_secs_f64() * 1000.0,
                median.as_secs_f64() / native
            );
        }
        println!();
    }
    println!();
}

/// The engine of every run: `wasmtime run`'s defaults. The code is compiled
/// once, before the runs, as `wasmtime compile` would.
fn engine() -> Engine {
    Engine::new(&Config::new()).expect("Wasmtime's default configuration")
}

/// One build of the benchmark program, precompiled, and as bytes for the
/// instruction counts (which need code compiled to count fuel).
struct Variant {
    name: &'static str,
    is_component: bool,
    precompiled: PathBuf,
    bytes: Vec<u8>,
}

fn prepare_variants(scratch: &Path) -> Vec<Variant> {
    let module = Program::named("rust/bench").bytes();
    let ours = wasi_upgrade::upgrade(&module, &wasi_upgrade::Options::default())
        .expect("upgrading the benchmark");
    let theirs =
        with_existing_adapter(&module).expect("upgrading the benchmark with the existing adapter");
    let wasip2 = build_for_wasip2();
    let engine = engine();
    let mut variants = Vec::new();
    for (name, is_component, bytes) in [
        ("native preview1", false, module),
        ("existing adapter", true, theirs),
        ("wasi-upgrade", true, ours),
        ("wasm32-wasip2 (no adapter)", true, wasip2),
    ] {
        let compiled = if is_component {
            engine.precompile_component(&bytes)
        } else {
            engine.precompile_module(&bytes)
        }
        .unwrap_or_else(|e| panic!("compiling {name}: {e:?}"));
        let precompiled = scratch.join(format!("{}.cwasm", variants.len()));
        std::fs::write(&precompiled, compiled).expect("writing precompiled code");
        variants.push(Variant {
            name,
            is_component,
            precompiled,
            bytes,
        });
    }
    variants
}

fn with_existing_adapter(module: &[u8]) -> anyhow::Result<Vec<u8>> {
    wit_component::ComponentEncoder::default()
        .module(module)?
        .adapter(
            "wasi_snapshot_preview1",
            existing::WASI_SNAPSHOT_PREVIEW1_COMMAND_ADAPTER,
        )?
        .validate(true)
        .encode()
}

/// The benchmark program built for `wasm32-wasip2` by a nested cargo, in a
/// target directory of its own.
fn build_for_wasip2() -> Vec<u8> {
    let programs = Path::new(env!("CARGO_MANIFEST_DIR")).join("programs/rust");
    let target_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-wasip2");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--quiet", "--release", "--bin", "bench"])
        .args(["--target", "wasm32-wasip2", "--manifest-path"])
        .arg(programs.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&target_dir)
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .status()
        .expect("running cargo");
    assert!(
        status.success(),
        "building the benchmark for wasm32-wasip2 failed \
         (`rustup target add wasm32-wasip2`, which ci/bench.sh does)"
    );
    std::fs::read(target_dir.join("wasm32-wasip2/release/bench.wasm"))
        .expect("the wasm32-wasip2 build of the benchmark")
}

/// The directory preopened as `/bench`: the file the per-call workloads use
/// and the 10,000 entries `list` reads, made here so that the runs only
/// read them.
fn prepare_preopen(preopen: &Path) {
    let entries = preopen.join("entries");
    std::fs::create_dir_all(&entries).expect("creating the preopened directory");
    std::fs::write(preopen.join("small.dat"), b"sixteen bytes!!\n").expect("small.dat");
    for i in 0..10_000 {
        std::fs::write(entries.join(format!("f{i:06}")), b"").expect("an entry");
    }
}

/// The median wall time of `rounds` whole runs of each variant, after one
/// run each to warm up; in each round the variants take turns.
fn median_runs(
    variants: &[Variant],
    preopen: &Path,
    args: &[&str],
    rounds: usize,
) -> Vec<Duration> {
    for variant in variants {
        run_child(variant, preopen, args);
    }
    let mut times = vec![Vec::with_capacity(rounds); variants.len()];
    for _ in 0..rounds {
        for (variant, variant_times) in variants.iter().zip(&mut times) {
            variant_times.push(run_child(variant, preopen, args));
        }
    }
    times.into_iter().map(median).collect()
}

/// Runs `variant` as a process of its own and returns its wall time.
fn run_child(variant: &Variant, preopen: &Path, args: &[&str]) -> Duration {
    let kind = if variant.is_component {
        "component"
    } else {
        "module"
    };
    let start = Instant::now();
    let output = Command::new(std::env::current_exe().expect("this binary"))
        .arg(RUN_ONE)
        .arg(kind)
        .arg(&variant.precompiled)
        .arg(preopen)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .expect("starting a run");
    let elapsed = start.elapsed();
    assert!(
        output.status.success(),
        "{} failed {args:?}: {}",
        variant.name,
        String::from_utf8_lossy(&output.stderr)
    );
    elapsed
}

/// In the child: `KIND PRECOMPILED PREOPEN ARGS...`, run as `wasmtime run
/// --allow-precompiled --dir PREOPEN::/bench PRECOMPILED ARGS...` would.
fn run_one(args: &[String]) -> ExitCode {
    let [kind, precompiled, preopen, program_args @ ..] = args else {
        eprintln!("usage: {RUN_ONE} module|component PRECOMPILED PREOPEN ARGS...");
        return ExitCode::from(2);
    };
    let mut wasi = wasmtime_wasi::WasiCtxBuilder::new();
    wasi.inherit_stdio()
        .arg("bench")
        .args(program_args)
        .preopened_dir(preopen, "/bench", wasmtime_wasi::FsPerms::ReadWrite)
        .expect("preopening the benchmark directory");
    let engine = engine();
    let result = match kind.as_str() {
        // SAFETY: the file was written by `Engine::precompile_module` of an
        // engine with the same configuration, in this benchmark's own
        // scratch directory.
        "module" => unsafe { wasmtime::Module::deserialize_file(&engine, precompiled) }
            .and_then(|module| run_module(&engine, &module, wasi, None)),
        // SAFETY: as above, written by `precompile_component`.
        _ => unsafe { wasmtime::component::Component::deserialize_file(&engine, precompiled) }
            .and_then(|component| run_component(&engine, &component, wasi, None)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => match error.downcast_ref::<wasmtime_wasi::I32Exit>() {
            Some(exit) => ExitCode::from(exit.0 as u8),
            None => {
                eprintln!("{error:?}");
                ExitCode::FAILURE
            }
        },
    }
}

/// Runs `module` on native preview1. With `fuel`, the engine counts fuel
/// and the count the run used is stored there.
fn run_module(
    engine: &Engine,
    module: &wasmtime::Module,
    mut wasi: wasmtime_wasi::WasiCtxBuilder,
    fuel: Option<&mut u64>,
) -> wasmtime::Result<()> {
    use wasmtime_wasi::p1::WasiP1Ctx;
    let mut linker = wasmtime::Linker::new(engine);
    wasmtime_wasi::p1::add_to_linker_sync(&mut linker, |ctx: &mut WasiP1Ctx| ctx)?;
    let mut store = wasmtime::Store::new(engine, wasi.build_p1());
    if fuel.is_some() {
        store.set_fuel(u64::MAX)?;
    }
    let instance = linker.instantiate(&mut store, module)?;
    let start = instance.get_typed_func::<(), ()>(&mut store, "_start")?;
    let result = start.call(&mut store, ());
    if let Some(fuel) = fuel {
        *fuel = u64::MAX - store.get_fuel()?;
    }
    result
}

struct ComponentState {
    ctx: wasmtime_wasi::WasiCtx,
    table: wasmtime::component::ResourceTable,
}

impl wasmtime_wasi::WasiView for ComponentState {
    fn ctx(&mut self) -> wasmtime_wasi::WasiCtxView<'_> {
        wasmtime_wasi::WasiCtxView {
            ctx: &mut self.ctx,
            table: &mut self.table,
        }
    }
}

/// Runs `component` on WASI 0.2, counting fuel as `run_module` does.
fn run_component(
    engine: &Engine,
    component: &wasmtime::component::Component,
    mut wasi: wasmtime_wasi::WasiCtxBuilder,
    fuel: Option<&mut u64>,
) -> wasmtime::Result<()> {
    let mut linker = wasmtime::component::Linker::new(engine);
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker)?;
    let mut store = wasmtime::Store::new(
        engine,
        ComponentState {
            ctx: wasi.build(),
            table: Default::default(),
        },
    );
    if fuel.is_some() {
        store.set_fuel(u64::MAX)?;
    }
    let command =
        wasmtime_wasi::p2::bindings::sync::Command::instantiate(&mut store, component, &linker)?;
    let result = command.wasi_cli_run().call_run(&mut store).and_then(|run| {
        run.map_err(|()| wasmtime::Error::msg("the program's run returned an error"))
    });
    if let Some(fuel) = fuel {
        *fuel = u64::MAX - store.get_fuel()?;
    }
    result
}

/// The per-call workloads whose instructions are counted, each at two
/// counts: the difference is what the extra calls cost, without start-up.
const COUNTED: [(&str, &str, u64); 5] = [
    ("`path_filestat_get`", "filestat", 200),
    ("open + close", "open-close", 200),
    ("`clock_time_get`", "clock", 2000),
    ("`random_get` (32 B)", "random", 2000),
    ("16-byte `fd_write` to stdout", "stdout-raw", 2000),
];

/// Wasm instructions per call beyond the program's own (Wasmtime fuel:
/// about one a wasm instruction, control markers free), for each variant
/// against native preview1, whose host calls cost no fuel: what the adapter
/// (or, for wasip2, std's own WASI 0.2 code) adds. Independent of how busy
/// the machine is, so it shows small changes that wall time cannot. The
/// hello world row is the whole run's instructions beyond native's.
fn print_instructions_per_call(variants: &[Variant], preopen: &Path, chosen: &[&String]) {
    let engine = Engine::new(Config::new().consume_fuel(true)).expect("an engine counting fuel");
    let compiled: Vec<Compiled> = variants
        .iter()
        .map(|variant| {
            if variant.is_component {
                Compiled::Component(
                    wasmtime::component::Component::new(&engine, &variant.bytes)
                        .expect("compiling a component"),
                )
            } else {
                Compiled::Module(
                    wasmtime::Module::new(&engine, &variant.bytes).expect("compiling a module"),
                )
            }
        })
        .collect();
    let fuel = |compiled: &Compiled, workload: &str, count: u64| -> u64 {
        let mut wasi = wasmtime_wasi::WasiCtxBuilder::new();
        wasi.stdout(std::io::empty())
            .inherit_stderr()
            .arg("bench")
            .arg(workload)
            .arg(count.to_string())
            .preopened_dir(preopen, "/bench", wasmtime_wasi::FsPerms::ReadWrite)
            .expect("preopening the benchmark directory");
        let mut used = 0;
        match compiled {
            Compiled::Module(module) => run_module(&engine, module, wasi, Some(&mut used)),
            Compiled::Component(component) => {
                run_component(&engine, component, wasi, Some(&mut used))
            }
        }
        .unwrap_or_else(|e| panic!("counting {workload}: {e:?}"));
        used
    };
    println!("wasm instructions per call beyond native preview1's (Wasmtime fuel):\n");
    print!("| call |");
    for variant in &variants[1..] {
        print!(" {} |", variant.name);
    }
    println!();
    println!("|---|{}", "---|".repeat(variants.len() - 1));
    let rows = COUNTED
        .iter()
        .map(|&(label, workload, count)| (label, workload, count, true))
        .chain([("hello world, whole run", "hello", 1, false)]);
    for (label, workload, count, per_call) in rows {
        if !chosen.is_empty() && !chosen.iter().any(|name| *name == workload) {
            continue;
        }
        let cost = |compiled: &Compiled| -> f64 {
            if per_call {
                let once = fuel(compiled, workload, count);
                let twice = fuel(compiled, workload, 2 * count);
                (twice as f64 - once as f64) / count as f64
            } else {
                fuel(compiled, workload, count) as f64
            }
        };
        let native = cost(&compiled[0]);
        print!("| {label} |");
        for compiled in &compiled[1..] {
            print!(" {:.0} |", cost(compiled) - native);
        }
        println!();
    }
    println!();
}

/// A variant compiled by the fuel-counting engine.
enum Compiled {
    Module(wasmtime::Module),
    Component(wasmtime::component::Component),
}

/// The median time of `rounds` interleaved upgrades of the benchmark and of
/// the hello worlds, by wasi-upgrade and by wit-component with the existing
/// adapter (what `wasm-tools component new` does). Large real modules:
/// `cargo run --release -p wasi-upgrade --no-default-features --example
/// upgrade_time`.
fn print_upgrade_times(rounds: usize) {
    println!("upgrade time, median of {rounds} interleaved runs:\n");
    println!("| module | size | wasi-upgrade | existing adapter | ratio |");
    println!("|---|---|---|---|---|");
    for name in ["rust/hello", "c/c_hello", "rust/bench"] {
        let module = Program::named(name).bytes();
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        for _ in 0..rounds.max(5) {
            let start = Instant::now();
            wasi_upgrade::upgrade(&module, &wasi_upgrade::Options::default()).expect("upgrading");
            ours.push(start.elapsed());
            let start = Instant::now();
            with_existing_adapter(&module).expect("upgrading with the existing adapter");
            theirs.push(start.elapsed());
        }
        let (ours, theirs) = (median(ours), median(theirs));
        println!(
            "| {name} | {} B | {:.1} ms | {:.1} ms | {:.2} |",
            module.len(),
            ours.as_secs_f64() * 1000.0,
            theirs.as_secs_f64() * 1000.0,
            ours.as_secs_f64() / theirs.as_secs_f64()
        );
    }
    println!();
}

/// The adapters' own sizes per flavour, and what each adds to a Rust and a
/// C hello world: the component's bytes beyond the program module as its
/// toolchain emitted it.
fn print_sizes() {
    println!("sizes (bytes):\n");
    println!("| | wasi-upgrade | existing adapter 48.0.8 |");
    println!("|---|---|---|");
    for (flavour, ours, theirs) in [
        (
            "command adapter",
            wasi_upgrade::adapter_bytes(World::Command),
            existing::WASI_SNAPSHOT_PREVIEW1_COMMAND_ADAPTER,
        ),
        (
            "reactor adapter",
            wasi_upgrade::adapter_bytes(World::Reactor),
            existing::WASI_SNAPSHOT_PREVIEW1_REACTOR_ADAPTER,
        ),
        (
            "proxy adapter",
            wasi_upgrade::adapter_bytes(World::Proxy),
            existing::WASI_SNAPSHOT_PREVIEW1_PROXY_ADAPTER,
        ),
        (
            "command adapter for servers",
            wasi_upgrade::server_adapter_bytes(),
            existing::WASI_SNAPSHOT_PREVIEW1_COMMAND_ADAPTER,
        ),
    ] {
        println!("| {flavour} | {} | {} |", ours.len(), theirs.len());
    }
    for (flavour, world) in [
        ("command adapter, stdio build", World::Command),
        ("reactor adapter, stdio build", World::Reactor),
    ] {
        let ours = wasi_upgrade::stdio_adapter_bytes(world).expect("a stdio build");
        println!("| {flavour} | {} | — |", ours.len());
    }
    for (flavour, world) in [
        ("command adapter, preopens build", World::Command),
        ("reactor adapter, preopens build", World::Reactor),
    ] {
        let ours = wasi_upgrade::preopens_adapter_bytes(world).expect("a preopens build");
        println!("| {flavour} | {} | — |", ours.len());
    }
    for name in ["rust/hello", "c/c_hello"] {
        let module = Program::named(name).bytes();
        let ours = wasi_upgrade::upgrade(&module, &wasi_upgrade::Options::default())
            .expect("upgrading hello");
        let theirs = with_existing_adapter(&module).expect("upgrading hello with the existing one");
        println!(
            "| {name} ({} B module): component / overhead | {} / {} | {} / {} |",
            module.len(),
            ours.len(),
            ours.len() as i64 - module.len() as i64,
            theirs.len(),
            theirs.len() as i64 - module.len() as i64,
        );
        // The rewrite of the program's memory instructions re-encodes its
        // code, which changes its size: that part is not the adapter's.
        let program = program_module_size(&ours);
        println!(
            "| {name}: overhead beyond the program module as re-encoded ({program} B) | {} | — |",
            ours.len() as i64 - program as i64,
        );
    }
    println!();
}

/// The size of the first core module in `component`: the program's.
fn program_module_size(component: &[u8]) -> usize {
    wasmparser::Parser::new(0)
        .parse_all(component)
        .find_map(|payload| match payload {
            Ok(wasmparser::Payload::ModuleSection {
                unchecked_range, ..
            }) => Some(unchecked_range.len()),
            _ => None,
        })
        .expect("a component holds the program's module")
}

/// How much memory a hello world ends with natively and upgraded: what each
/// adapter keeps in the program's memory at rest.
fn print_memory_at_rest() {
    let hello = Program::named("rust/hello").bytes();
    let native = peak_memory_native(&hello);
    let ours =
        wasi_upgrade::upgrade(&hello, &wasi_upgrade::Options::default()).expect("upgrading hello");
    let theirs = with_existing_adapter(&hello).expect("upgrading hello with the existing adapter");
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

/// A store whose limiter records the largest memory the instance asks for.
fn probed_store<T: Send + 'static>(
    engine: &wasmtime::Engine,
    wasi: T,
) -> wasmtime::Store<Probe<T>> {
    let mut store = wasmtime::Store::new(
        engine,
        Probe {
            wasi,
            table: Default::default(),
            peak: 0,
        },
    );
    store.limiter(|probe| probe);
    store
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
    let mut store = probed_store(&engine, wasi);
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
    let mut store = probed_store(&engine, wasi);
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

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|line| {
            line.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|_| "unknown".into())
}
