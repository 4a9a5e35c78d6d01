//! The oracle: Wasmtime's own preview1 (and snapshot 0) implementation
//! running the core module.

use wasmtime::error::Context;
use wasmtime::{InstancePre, Linker, Module};
use wasmtime_wasi::p0;
use wasmtime_wasi::p1::{self, WasiP1Ctx};

use super::{Completion, Host};
use crate::cache::Memo;
use crate::case::Case;
use crate::engine;
use crate::outcome::Exit;
use crate::program::Program;
use crate::sandbox::Sandbox;

/// Runs the module as is on `wasmtime_wasi::p1`, calling `_start`.
pub struct NativePreview1;

impl NativePreview1 {
    /// The module compiled and linked once per process.
    fn prepared(program: Program) -> anyhow::Result<InstancePre<WasiP1Ctx>> {
        static PREPARED: Memo<Result<InstancePre<WasiP1Ctx>, String>> = Memo::new();
        PREPARED.try_get(program.name(), || {
            let module = Module::from_file(engine::engine(), program.path())
                .with_context(|| format!("compiling {}", program.name()))?;
            let mut linker = Linker::new(engine::engine());
            p1::add_to_linker_sync(&mut linker, |ctx: &mut WasiP1Ctx| ctx)
                .context("adding preview1 to the linker")?;
            // Snapshot 0 (`wasi_unstable`), sharing preview1's state, so
            // modules may import from both.
            p0::add_to_linker_sync(&mut linker, |ctx: &mut WasiP1Ctx| ctx)
                .context("adding snapshot 0 to the linker")?;
            linker
                .instantiate_pre(&module)
                .with_context(|| format!("linking {}", program.name()))
        })
    }
}

impl Host for NativePreview1 {
    fn name(&self) -> &'static str {
        "native-preview1"
    }

    fn run(&self, program: Program, case: &Case, sandbox: &Sandbox) -> anyhow::Result<Completion> {
        let pre = Self::prepared(program)?;
        let (mut builder, captured) = super::wasi_ctx::builder(case, sandbox)?;
        let mut store = engine::store(builder.build_p1());
        let exit = match pre.instantiate(&mut store) {
            Err(error) => Exit::from_error(error),
            Ok(instance) => {
                let start = instance
                    .get_typed_func::<(), ()>(&mut store, "_start")
                    .map_err(|e| {
                        anyhow::anyhow!("{} has no `_start() -> ()`: {e}", program.name())
                    })?;
                match start.call(&mut store, ()) {
                    Ok(()) => Exit::Code(0),
                    Err(error) => Exit::from_error(error),
                }
            }
        };
        drop(store);
        Ok(captured.completion(exit))
    }
}
