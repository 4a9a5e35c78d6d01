//! Builds the preview1 adapter in `adapter/` from source (once per feature
//! set) and finishes it into one core module per flavour in `OUT_DIR`, which
//! `src/adapter.rs` embeds. Every build targets WASI 0.2.12; older 0.2
//! releases are reached by renaming at upgrade time (`src/retarget.rs`).

#[path = "build/compile_adapter.rs"]
mod compile_adapter;
#[path = "build/component_type.rs"]
mod component_type;
#[path = "build/finish_adapter.rs"]
mod finish_adapter;
#[path = "build/region_code.rs"]
mod region_code;
// The contract is shared with the adapter; not every number is used here.
#[allow(dead_code)]
#[path = "../adapter/src/region_layout.rs"]
mod region_layout;

use std::env;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};

/// One `cargo build` of the adapter: the features it is built with.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Build {
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
}

impl Build {
    const ALL: [Build; 5] = [
        Build::Default,
        Build::LegacyExit,
        Build::Proxy,
        Build::Listener,
        Build::ListenerLegacyExit,
    ];

    fn features(self) -> &'static [&'static str] {
        match self {
            Build::Default => &[],
            Build::LegacyExit => &["legacy-exit"],
            Build::Proxy => &["proxy"],
            Build::Listener => &["listener"],
            Build::ListenerLegacyExit => &["listener", "legacy-exit"],
        }
    }

    fn target_dir(self) -> &'static str {
        match self {
            Build::Default => "adapter-target",
            Build::LegacyExit => "adapter-target-legacy-exit",
            Build::Proxy => "adapter-target-proxy",
            Build::Listener => "adapter-target-listener",
            Build::ListenerLegacyExit => "adapter-target-listener-legacy-exit",
        }
    }
}

/// A finished adapter: which build, which world of `wit/adapter.wit`, and
/// the file `src/adapter.rs` embeds.
struct Flavour {
    build: Build,
    world: &'static str,
    keep_run_export: bool,
    file: &'static str,
}

const FLAVOURS: [Flavour; 7] = [
    Flavour {
        build: Build::Default,
        world: "command",
        keep_run_export: true,
        file: "wasi_snapshot_preview1.command.wasm",
    },
    Flavour {
        build: Build::Default,
        world: "reactor",
        keep_run_export: false,
        file: "wasi_snapshot_preview1.reactor.wasm",
    },
    Flavour {
        build: Build::LegacyExit,
        world: "command",
        keep_run_export: true,
        file: "wasi_snapshot_preview1.command.legacy-exit.wasm",
    },
    Flavour {
        build: Build::LegacyExit,
        world: "reactor",
        keep_run_export: false,
        file: "wasi_snapshot_preview1.reactor.legacy-exit.wasm",
    },
    Flavour {
        build: Build::Proxy,
        world: "proxy",
        keep_run_export: false,
        file: "wasi_snapshot_preview1.proxy.wasm",
    },
    Flavour {
        build: Build::Listener,
        world: "command",
        keep_run_export: true,
        file: "wasi_snapshot_preview1.command.listener.wasm",
    },
    Flavour {
        build: Build::ListenerLegacyExit,
        world: "command",
        keep_run_export: true,
        file: "wasi_snapshot_preview1.command.listener.legacy-exit.wasm",
    },
];

fn main() -> ExitCode {
    let Err(error) = run() else {
        return ExitCode::SUCCESS;
    };
    // `cargo::error` alone fails the build with just this line. Exiting with
    // failure as well makes cargo dump the script's output, which is only
    // worth reading when it holds the nested compiler's messages.
    println!("cargo::error={error:#}");
    if error.is::<compile_adapter::NestedBuildFailed>() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn run() -> Result<()> {
    let manifest_dir =
        PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").context("CARGO_MANIFEST_DIR")?);
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").context("OUT_DIR")?);
    let project = manifest_dir
        .parent()
        .context("cli/ has no parent directory")?;
    let adapter_dir = project.join("adapter");
    let wit_dir = project.join("wit");

    for input in [
        adapter_dir.join("src"),
        adapter_dir.join("Cargo.toml"),
        adapter_dir.join("Cargo.lock"),
        adapter_dir.join("build.rs"),
        wit_dir.clone(),
        manifest_dir.join("build.rs"),
        manifest_dir.join("build"),
    ] {
        println!("cargo::rerun-if-changed={}", input.display());
    }

    compile_adapter::check_toolchain()?;
    // The builds are independent; running them side by side lets them share
    // the jobserver's slots instead of queueing for them.
    let raw = std::thread::scope(|scope| {
        let builds = Build::ALL.map(|build| {
            let target_dir = out_dir.join(build.target_dir());
            let adapter_dir = &adapter_dir;
            let compiling = scope.spawn(move || {
                compile_adapter::compile(adapter_dir, build.features(), &target_dir)
            });
            (build, compiling)
        });
        builds
            .into_iter()
            .map(|(build, compiling)| {
                let module = compiling
                    .join()
                    .expect("an adapter build thread panicked")?;
                Ok((build, module))
            })
            .collect::<Result<Vec<_>>>()
    })?;
    let worlds = component_type::AdapterWorlds::load(&wit_dir)?;
    for flavour in FLAVOURS {
        let world = worlds.section(flavour.world)?;
        let (_, module) = raw
            .iter()
            .find(|(build, _)| *build == flavour.build)
            .context("an adapter build is missing")?;
        let finished = finish_adapter::finish(module, flavour.keep_run_export, &world)
            .with_context(|| format!("finishing {}", flavour.file))?;
        let path = out_dir.join(flavour.file);
        std::fs::write(&path, finished).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}
