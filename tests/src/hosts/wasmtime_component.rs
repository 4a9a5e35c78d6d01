//! The module upgraded into a component, run on Wasmtime's WASI 0.2 host
//! (no preview1 linked at all). The upgrade is `wasi-upgrade` itself, or the
//! existing adapter from `wasi-preview1-component-adapter-provider`, which
//! the benchmarks compare against.

use wasmtime::component::{Component, Linker, ResourceTable};
use wasmtime::error::Context;
use wasmtime_wasi::p2::bindings::sync::{Command, CommandPre};
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

use super::{Completion, Host};
use crate::cache::Memo;
use crate::case::Case;
use crate::engine;
use crate::outcome::Exit;
use crate::program::Program;
use crate::sandbox::Sandbox;

/// Upgrades the module with `wasi_upgrade::upgrade` and calls `wasi:cli/run`.
pub struct WasmtimeComponent;

/// [`WasmtimeComponent`] with network access, for servers: the adapter binds
/// the addresses in the case's `WASI_UPGRADE_TCPLISTEN` variable, as it
/// would on any WASI 0.2 host that grants network access.
pub struct WasmtimeServer;

/// Upgrades the module with the existing adapter (Wasmtime's own, version
/// 48.0.8) through plain `wit-component`, and calls `wasi:cli/run`.
pub struct ExistingAdapterComponent;

/// Splices the drop-in command adapter (`wasi_upgrade::COMMAND_ADAPTER`)
/// into the module unchanged with `tool`, as toolchains do, and calls
/// `wasi:cli/run`: no memory rewrite.
pub struct DropInComponent {
    pub tool: super::SpliceTool,
}

/// How a host turns the program into a component.
type Upgrade = fn(&[u8]) -> Result<Vec<u8>, String>;

fn with_wasi_upgrade(module: &[u8]) -> Result<Vec<u8>, String> {
    wasi_upgrade::upgrade(module, &wasi_upgrade::Options::default()).map_err(|e| e.to_string())
}

fn with_existing_adapter(module: &[u8]) -> Result<Vec<u8>, String> {
    let adapter = wasi_preview1_component_adapter_provider::WASI_SNAPSHOT_PREVIEW1_COMMAND_ADAPTER;
    wit_component::ComponentEncoder::default()
        .module(module)
        .and_then(|encoder| encoder.adapter("wasi_snapshot_preview1", adapter))
        .and_then(|encoder| encoder.validate(true).encode())
        .map_err(|e| format!("{e:#}"))
}

struct State {
    ctx: WasiCtx,
    table: ResourceTable,
}

impl WasiView for State {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.ctx,
            table: &mut self.table,
        }
    }
}

/// The upgraded component, compiled and linked once per process and upgrade.
fn prepared(host: &str, upgrade: Upgrade, program: Program) -> anyhow::Result<CommandPre<State>> {
    static PREPARED: Memo<Result<CommandPre<State>, String>> = Memo::new();
    PREPARED.try_get(&format!("{host}:{}", program.name()), || {
        let bytes = upgrade(&program.bytes()).map_err(|e| {
            wasmtime::format_err!("{host} could not upgrade {}: {e}", program.name())
        })?;
        let component = Component::new(engine::engine(), &bytes)
            .with_context(|| format!("compiling the upgraded {}", program.name()))?;
        let mut linker = Linker::new(engine::engine());
        wasmtime_wasi::p2::add_to_linker_sync(&mut linker)
            .context("adding WASI 0.2 to the linker")?;
        let pre = linker
            .instantiate_pre(&component)
            .with_context(|| format!("linking the upgraded {}", program.name()))?;
        CommandPre::new(pre)
            .with_context(|| format!("the upgraded {} is not a command", program.name()))
    })
}

impl Host for WasmtimeComponent {
    fn name(&self) -> &'static str {
        "wasmtime-p2"
    }

    fn run(&self, program: Program, case: &Case, sandbox: &Sandbox) -> anyhow::Result<Completion> {
        run_upgraded(
            prepared(self.name(), with_wasi_upgrade, program)?,
            case,
            sandbox,
            Network::Denied,
        )
    }
}

impl Host for WasmtimeServer {
    fn name(&self) -> &'static str {
        "wasmtime-p2-server"
    }

    fn run(&self, program: Program, case: &Case, sandbox: &Sandbox) -> anyhow::Result<Completion> {
        run_upgraded(
            prepared(self.name(), with_wasi_upgrade, program)?,
            case,
            sandbox,
            Network::Granted,
        )
    }
}

impl Host for DropInComponent {
    fn name(&self) -> &'static str {
        match self.tool {
            super::SpliceTool::WasmTools => "drop-in-wasm-tools-wasmtime",
            super::SpliceTool::JcoNew => "drop-in-jco-new-wasmtime",
        }
    }

    fn run(&self, program: Program, case: &Case, sandbox: &Sandbox) -> anyhow::Result<Completion> {
        let upgrade: Upgrade = match self.tool {
            super::SpliceTool::WasmTools => super::splice_with_wasm_tools,
            super::SpliceTool::JcoNew => super::splice_with_jco_new,
        };
        run_upgraded(
            prepared(self.name(), upgrade, program)?,
            case,
            sandbox,
            Network::Denied,
        )
    }
}

impl Host for ExistingAdapterComponent {
    fn name(&self) -> &'static str {
        "existing-adapter"
    }

    fn run(&self, program: Program, case: &Case, sandbox: &Sandbox) -> anyhow::Result<Completion> {
        run_upgraded(
            prepared(self.name(), with_existing_adapter, program)?,
            case,
            sandbox,
            Network::Denied,
        )
    }
}

#[derive(PartialEq, Eq)]
enum Network {
    Denied,
    Granted,
}

fn run_upgraded(
    pre: CommandPre<State>,
    case: &Case,
    sandbox: &Sandbox,
    network: Network,
) -> anyhow::Result<Completion> {
    let (mut builder, captured) = super::wasi_ctx::builder(case, sandbox)?;
    if network == Network::Granted {
        builder.allow_tcp(true).inherit_network();
    }
    let mut store = engine::store(State {
        ctx: builder.build(),
        table: ResourceTable::new(),
    });
    let exit = match pre.instantiate(&mut store) {
        Err(error) => Exit::from_error(error),
        Ok(command) => run(&command, &mut store),
    };
    drop(store);
    Ok(captured.completion(exit))
}

fn run(command: &Command, store: &mut wasmtime::Store<State>) -> Exit {
    match command.wasi_cli_run().call_run(store) {
        Ok(Ok(())) => Exit::Code(0),
        // `run` returning an error is how a component says "exit code 1".
        Ok(Err(())) => Exit::Code(1),
        Err(error) => Exit::from_error(error),
    }
}
