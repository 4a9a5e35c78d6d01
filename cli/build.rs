//! Builds the preview1 adapter in `adapter/` from source and finishes it into
//! one core module per flavour in `OUT_DIR`, which `src/adapter.rs` embeds.

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

/// A world of `wit/adapter.wit` and the file `src/adapter.rs` embeds for it.
struct Flavour {
    world: &'static str,
    keep_run_export: bool,
    file: &'static str,
}

const FLAVOURS: [Flavour; 2] = [
    Flavour {
        world: "command",
        keep_run_export: true,
        file: "wasi_snapshot_preview1.command.wasm",
    },
    Flavour {
        world: "reactor",
        keep_run_export: false,
        file: "wasi_snapshot_preview1.reactor.wasm",
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

    let raw = compile_adapter::compile(&adapter_dir, &out_dir.join("adapter-target"))?;
    let worlds = component_type::AdapterWorlds::load(&wit_dir)?;
    for flavour in FLAVOURS {
        let world = worlds.section(flavour.world)?;
        let finished = finish_adapter::finish(&raw, flavour.keep_run_export, &world)
            .with_context(|| format!("finishing the {} adapter", flavour.world))?;
        let path = out_dir.join(flavour.file);
        std::fs::write(&path, finished).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}
