//! The module upgraded by `wasi-upgrade`, run as a component on Wasmtime's
//! WASI 0.2 host (no preview1 linked at all).

use wasmtime::component::{Component, Linker, ResourceTable};
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

impl WasmtimeComponent {
    /// The upgraded component, compiled and linked once per process.
    fn prepared(program: Program) -> anyhow::Result<CommandPre<State>> {
        static PREPARED: Memo<Result<CommandPre<State>, String>> = Memo::new();
        PREPARED
            .get(program.name(), || {
                let bytes =
                    wasi_upgrade::upgrade(&program.bytes(), &wasi_upgrade::Options::default())
                        .map_err(|e| format!("wasi-upgrade failed on {}: {e}", program.name()))?;
                let component = Component::new(engine::engine(), &bytes)
                    .map_err(|e| format!("compiling the upgraded {}: {e:?}", program.name()))?;
                let mut linker = Linker::new(engine::engine());
                wasmtime_wasi::p2::add_to_linker_sync(&mut linker)
                    .map_err(|e| format!("adding WASI 0.2 to the linker: {e:?}"))?;
                let pre = linker
                    .instantiate_pre(&component)
                    .map_err(|e| format!("linking the upgraded {}: {e:?}", program.name()))?;
                CommandPre::new(pre)
                    .map_err(|e| format!("the upgraded {} is not a command: {e:?}", program.name()))
            })
            .map_err(anyhow::Error::msg)
    }
}

impl Host for WasmtimeComponent {
    fn name(&self) -> &'static str {
        "wasmtime-p2"
    }

    fn run(&self, program: Program, case: &Case, sandbox: &Sandbox) -> anyhow::Result<Completion> {
        let pre = Self::prepared(program)?;
        let (mut builder, captured) = super::wasi_ctx::builder(case, sandbox)?;
        let mut store = engine::store(State {
            ctx: builder.build(),
            table: ResourceTable::new(),
        });
        let exit = match pre.instantiate(&mut store) {
            Err(error) => Exit::from_error(error),
            Ok(command) => run(&command, &mut store),
        };
        drop(store);
        let (stdout, stderr) = captured.take();
        Ok(Completion {
            stdout,
            stderr,
            exit,
        })
    }
}

fn run(command: &Command, store: &mut wasmtime::Store<State>) -> Exit {
    match command.wasi_cli_run().call_run(store) {
        Ok(Ok(())) => Exit::Code(0),
        // `run` returning an error is how a component says "exit code 1".
        Ok(Err(())) => Exit::Code(1),
        Err(error) => Exit::from_error(error),
    }
}
