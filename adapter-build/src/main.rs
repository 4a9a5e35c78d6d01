//! Builds the preview1 adapter in `adapter/` from source (once per feature
//! set), finishes it into one core module per shipped adapter (feature set and
//! world) and writes them to
//! `cli/adapters/`, where the `wasi-upgrade` crate embeds them. Shipping the
//! finished bytes lets the library build with stable Rust alone, without a
//! wasm target or nested builds.
//!
//! ```sh
//! cargo run -p wasi-upgrade-adapter-build            # rebuild cli/adapters/
//! cargo run -p wasi-upgrade-adapter-build -- --check # fail if they are stale
//! ```
//!
//! Every build targets WASI 0.2.12; older 0.2 releases are reached by renaming
//! at upgrade time (`cli/src/retarget.rs`).

mod compile_adapter;
mod component_type;
mod finish_adapter;
mod region_code;
mod stack_depth;
// The contract is shared with the adapter; not every number is used here.
#[allow(dead_code)]
#[path = "../../adapter/src/region_layout.rs"]
mod region_layout;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use finish_adapter::Preview1Exports;

/// One `cargo build` of the adapter, named for the features it is built with.
#[derive(Clone, Copy, PartialEq, Eq)]
enum FeatureSet {
    /// WASI 0.2.12 with the whole CLI world.
    Default,
    /// For targets below WASI 0.2.12, which have no `exit-with-code`.
    LegacyExit,
    /// For `wasi:http/proxy`, which has no environment or filesystem.
    Proxy,
    /// For servers: listens where the environment says before `_start`.
    Listener,
    /// A server targeting a release below WASI 0.2.12.
    ListenerLegacyExit,
    /// For programs that can reach no descriptor beyond stdio.
    Stdio,
    /// For programs that can reach the preopens but open nothing.
    Preopens,
}

impl FeatureSet {
    const ALL: [FeatureSet; 7] = [
        FeatureSet::Default,
        FeatureSet::LegacyExit,
        FeatureSet::Proxy,
        FeatureSet::Listener,
        FeatureSet::ListenerLegacyExit,
        FeatureSet::Stdio,
        FeatureSet::Preopens,
    ];

    fn cargo_features(self) -> &'static [&'static str] {
        match self {
            FeatureSet::Default => &[],
            FeatureSet::LegacyExit => &["legacy-exit"],
            FeatureSet::Proxy => &["proxy"],
            FeatureSet::Listener => &["listener"],
            FeatureSet::ListenerLegacyExit => &["listener", "legacy-exit"],
            FeatureSet::Stdio => &["stdio"],
            FeatureSet::Preopens => &["preopens"],
        }
    }

    fn target_dir(self) -> &'static str {
        match self {
            FeatureSet::Default => "adapter-target",
            FeatureSet::LegacyExit => "adapter-target-legacy-exit",
            FeatureSet::Proxy => "adapter-target-proxy",
            FeatureSet::Listener => "adapter-target-listener",
            FeatureSet::ListenerLegacyExit => "adapter-target-listener-legacy-exit",
            FeatureSet::Stdio => "adapter-target-stdio",
            FeatureSet::Preopens => "adapter-target-preopens",
        }
    }
}

/// A finished adapter: which feature set it is compiled with, which world of
/// `wit/adapter.wit` it gets, and the file `cli/src/adapter.rs` embeds.
struct ShippedAdapter {
    features: FeatureSet,
    world: &'static str,
    keep_run_export: bool,
    preview1_exports: Preview1Exports,
    file: &'static str,
}

/// The preview1 functions of the `stdio` build: those whose every answer
/// for a preopened directory is the one for an fd that is not open (`EBADF`,
/// checked against native by `tests/tests/suite/stdio_build.rs`), and that
/// open nothing. A program importing only these sees the same answers
/// whether or not its host grants preopens, and can never hold a file,
/// directory or socket, which is what the build assumes. `wasi-upgrade`
/// gives the build to exactly the programs whose imports it exports.
const STDIO_FUNCTIONS: &[&str] = &[
    "args_get",
    "args_sizes_get",
    "clock_res_get",
    "clock_time_get",
    "environ_get",
    "environ_sizes_get",
    "fd_advise",
    "fd_allocate",
    "fd_datasync",
    "fd_fdstat_set_flags",
    "fd_filestat_set_size",
    "fd_pread",
    "fd_pwrite",
    "fd_read",
    "fd_seek",
    "fd_sync",
    "fd_tell",
    "fd_write",
    "poll_oneoff",
    "proc_exit",
    "proc_raise",
    "random_get",
    "sched_yield",
];

/// What the `preopens` build leaves out of the preview1 functions: those
/// that can put a new descriptor in the table (`path_open`, `sock_accept`)
/// and `fd_readdir` (whose listings the build leaves out; a program rarely
/// lists a directory it did not open). A program importing none of them
/// holds stdio and the preopens, nothing else, which is what the build
/// assumes; each function it keeps answers as in the full build (checked
/// against native by the test `c_preopen_fds` in
/// `tests/tests/suite/corpus.rs`).
const OPENING_FUNCTIONS: &[&str] = &["path_open", "fd_readdir", "sock_accept"];

const SHIPPED_ADAPTERS: [ShippedAdapter; 11] = [
    ShippedAdapter {
        features: FeatureSet::Default,
        world: "command",
        keep_run_export: true,
        preview1_exports: Preview1Exports::All,
        file: "wasi_snapshot_preview1.command.wasm",
    },
    ShippedAdapter {
        features: FeatureSet::Default,
        world: "reactor",
        keep_run_export: false,
        preview1_exports: Preview1Exports::All,
        file: "wasi_snapshot_preview1.reactor.wasm",
    },
    ShippedAdapter {
        features: FeatureSet::LegacyExit,
        world: "command",
        keep_run_export: true,
        preview1_exports: Preview1Exports::All,
        file: "wasi_snapshot_preview1.command.legacy-exit.wasm",
    },
    ShippedAdapter {
        features: FeatureSet::LegacyExit,
        world: "reactor",
        keep_run_export: false,
        preview1_exports: Preview1Exports::All,
        file: "wasi_snapshot_preview1.reactor.legacy-exit.wasm",
    },
    ShippedAdapter {
        features: FeatureSet::Proxy,
        world: "proxy",
        keep_run_export: false,
        preview1_exports: Preview1Exports::All,
        file: "wasi_snapshot_preview1.proxy.wasm",
    },
    ShippedAdapter {
        features: FeatureSet::Listener,
        world: "command",
        keep_run_export: true,
        preview1_exports: Preview1Exports::All,
        file: "wasi_snapshot_preview1.command.listener.wasm",
    },
    ShippedAdapter {
        features: FeatureSet::ListenerLegacyExit,
        world: "command",
        keep_run_export: true,
        preview1_exports: Preview1Exports::All,
        file: "wasi_snapshot_preview1.command.listener.legacy-exit.wasm",
    },
    ShippedAdapter {
        features: FeatureSet::Stdio,
        world: "command",
        keep_run_export: true,
        preview1_exports: Preview1Exports::Only(STDIO_FUNCTIONS),
        file: "wasi_snapshot_preview1.command.stdio.wasm",
    },
    ShippedAdapter {
        features: FeatureSet::Stdio,
        world: "reactor",
        keep_run_export: false,
        preview1_exports: Preview1Exports::Only(STDIO_FUNCTIONS),
        file: "wasi_snapshot_preview1.reactor.stdio.wasm",
    },
    ShippedAdapter {
        features: FeatureSet::Preopens,
        world: "command",
        keep_run_export: true,
        preview1_exports: Preview1Exports::AllBut(OPENING_FUNCTIONS),
        file: "wasi_snapshot_preview1.command.preopens.wasm",
    },
    ShippedAdapter {
        features: FeatureSet::Preopens,
        world: "reactor",
        keep_run_export: false,
        preview1_exports: Preview1Exports::AllBut(OPENING_FUNCTIONS),
        file: "wasi_snapshot_preview1.reactor.preopens.wasm",
    },
];

fn main() -> ExitCode {
    let check = match std::env::args().nth(1).as_deref() {
        None => false,
        Some("--check") => true,
        Some(other) => {
            eprintln!(
                "wasi-upgrade-adapter-build: error: unknown argument `{other}`; \
                 run with no argument to rebuild cli/adapters/, or with --check to compare"
            );
            return ExitCode::from(2);
        }
    };
    match run(check) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("wasi-upgrade-adapter-build: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(check: bool) -> Result<()> {
    let project = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .context("adapter-build/ has no parent directory")?;
    let shipped_dir = project.join("cli").join("adapters");
    let finished = build_all(project)?;
    if check {
        let stale: Vec<&str> = finished
            .iter()
            .filter(|(file, bytes)| {
                std::fs::read(shipped_dir.join(file)).ok().as_ref() != Some(bytes)
            })
            .map(|(file, _)| *file)
            .collect();
        if !stale.is_empty() {
            bail!(
                "cli/adapters/ does not match the adapter's source ({}): \
                 run `cargo run -p wasi-upgrade-adapter-build` and commit the result",
                stale.join(", ")
            );
        }
        eprintln!("wasi-upgrade-adapter-build: cli/adapters/ matches the source");
    } else {
        for (file, bytes) in &finished {
            let path = shipped_dir.join(file);
            std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
        }
        eprintln!(
            "wasi-upgrade-adapter-build: wrote {} adapters to {}",
            finished.len(),
            shipped_dir.display()
        );
    }
    Ok(())
}

/// Where the nested builds keep their output: beside the workspace's own.
fn nested_target_root(project: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| project.join("target"))
        .join("adapter")
}

/// Every shipped adapter, finished, with the file name it ships under.
fn build_all(project: &Path) -> Result<Vec<(&'static str, Vec<u8>)>> {
    let adapter_dir = project.join("adapter");
    let wit_dir = project.join("wit");
    let target_root = nested_target_root(project);

    compile_adapter::check_toolchain()?;
    // The builds are independent; running them side by side lets them share
    // the machine's cores instead of queueing.
    let raw = std::thread::scope(|scope| {
        let builds = FeatureSet::ALL.map(|features| {
            let target_dir = target_root.join(features.target_dir());
            let adapter_dir = &adapter_dir;
            let compiling = scope.spawn(move || {
                compile_adapter::compile(adapter_dir, features.cargo_features(), &target_dir)
            });
            (features, compiling)
        });
        builds
            .into_iter()
            .map(|(features, compiling)| {
                let module = compiling
                    .join()
                    .expect("an adapter build thread panicked")?;
                Ok((features, module))
            })
            .collect::<Result<Vec<_>>>()
    })?;
    let worlds = component_type::AdapterWorlds::load(&wit_dir)?;
    SHIPPED_ADAPTERS
        .iter()
        .map(|shipped| {
            let world = worlds.section(shipped.world)?;
            let (_, module) = raw
                .iter()
                .find(|(features, _)| *features == shipped.features)
                .context("an adapter build is missing")?;
            let finished = finish_adapter::finish(
                module,
                shipped.keep_run_export,
                shipped.preview1_exports,
                &world,
            )
            .with_context(|| format!("finishing {}", shipped.file))?;
            stack_depth::check(&finished)
                .with_context(|| format!("bounding the stack of {}", shipped.file))?;
            // What the build imports is known once it is finished.
            let finished = worlds
                .narrow(shipped.world, &finished)
                .with_context(|| format!("narrowing the world of {}", shipped.file))?;
            Ok((shipped.file, finished))
        })
        .collect()
}
