//! How long `wasi_upgrade::upgrade` takes against what `wasm-tools component
//! new` does with the existing adapter (wit-component's encoder, validating),
//! on real modules: the median of several interleaved runs each.
//!
//! ```sh
//! bash ci/real-modules.sh
//! cargo run --release -p wasi-upgrade --no-default-features --example upgrade_time [DIR] [RUNS]
//! ```
//!
//! DIR defaults to `$WASI_UPGRADE_CACHE/real-modules`; every `*.wasm` in it
//! is measured. Wall time is what a user waits; the CPU time the process
//! spends (on all its threads) is printed too, as it depends much less on
//! what else the machine runs.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use wasi_preview1_component_adapter_provider as existing;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = match args.next() {
        Some(dir) => PathBuf::from(dir),
        None => {
            let cache = std::env::var_os("WASI_UPGRADE_CACHE")
                .map(PathBuf::from)
                .unwrap_or_else(|| {
                    PathBuf::from(std::env::var("HOME").unwrap_or_default())
                        .join(".cache/wasi-upgrade")
                });
            cache.join("real-modules")
        }
    };
    let runs: usize = args.next().map(|n| n.parse()).transpose()?.unwrap_or(5);
    let mut modules: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    modules.retain(|path| path.extension().is_some_and(|ext| ext == "wasm"));
    modules.sort_by_key(|path| std::fs::metadata(path).map(|m| m.len()).unwrap_or(0));
    if modules.is_empty() {
        anyhow::bail!("no *.wasm in {} (run ci/real-modules.sh)", dir.display());
    }

    println!(
        "| module | size | wasi-upgrade | existing adapter | ratio | CPU: ours | theirs | ratio |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for path in modules {
        let module = std::fs::read(&path)?;
        let is_command = exports_start(&module)?;
        let existing_adapter = if is_command {
            existing::WASI_SNAPSHOT_PREVIEW1_COMMAND_ADAPTER
        } else {
            existing::WASI_SNAPSHOT_PREVIEW1_REACTOR_ADAPTER
        };
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        let (mut our_cpu, mut their_cpu) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            let (start, cpu) = (Instant::now(), cpu_time());
            wasi_upgrade::upgrade(&module, &wasi_upgrade::Options::default())?;
            ours.push(start.elapsed());
            our_cpu.push(cpu_time() - cpu);
            let (start, cpu) = (Instant::now(), cpu_time());
            wit_component::ComponentEncoder::default()
                .module(&module)?
                .adapter("wasi_snapshot_preview1", existing_adapter)?
                .validate(true)
                .encode()?;
            theirs.push(start.elapsed());
            their_cpu.push(cpu_time() - cpu);
        }
        let (ours, theirs) = (median(ours), median(theirs));
        let (our_cpu, their_cpu) = (median(our_cpu), median(their_cpu));
        println!(
            "| {} | {:.2} MB | {} | {} | {:.2}x | {} | {} | {:.2}x |",
            path.file_name().unwrap_or_default().to_string_lossy(),
            module.len() as f64 / 1e6,
            seconds(ours),
            seconds(theirs),
            ours.as_secs_f64() / theirs.as_secs_f64(),
            seconds(our_cpu),
            seconds(their_cpu),
            our_cpu.as_secs_f64() / their_cpu.as_secs_f64()
        );
    }
    Ok(())
}

/// The CPU time this process has spent so far, on all its threads.
fn cpu_time() -> Duration {
    let mut time = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `time` is a valid timespec for the call to fill in.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut time) };
    assert_eq!(status, 0, "the process CPU clock is readable");
    Duration::new(time.tv_sec as u64, time.tv_nsec as u32)
}

/// `time` in seconds, or milliseconds below a second.
fn seconds(time: Duration) -> String {
    match time.as_secs_f64() {
        s if s < 1.0 => format!("{:.1} ms", s * 1e3),
        s => format!("{s:.2} s"),
    }
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn exports_start(module: &[u8]) -> anyhow::Result<bool> {
    for payload in wasmparser::Parser::new(0).parse_all(module) {
        if let wasmparser::Payload::ExportSection(exports) = payload? {
            for export in exports {
                if export?.name == "_start" {
                    return Ok(true);
                }
            }
        }
    }
    Ok(false)
}
