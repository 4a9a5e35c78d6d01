//! The runtimes a case can run on.

mod jco;
mod native_preview1;
mod wasi_ctx;
mod wasmtime_component;

pub use jco::{Jco, JcoDropIn};
pub use native_preview1::NativePreview1;
pub use wasmtime_component::{
    DropInComponent, ExistingAdapterComponent, WasmtimeComponent, WasmtimeServer,
};

use crate::case::Case;
use crate::outcome::Exit;
use crate::program::Program;
use crate::sandbox::Sandbox;

/// A way of running a preview1 program.
///
/// Implementations run `program` with exactly the arguments, environment and
/// stdin of `case`, preopening each of `sandbox`'s directories under its guest
/// path, and capture stdout and stderr. The directories' contents are
/// inspected by the caller afterwards.
pub trait Host: Sync {
    /// Short name used in test names and reports, e.g. `native-preview1`.
    fn name(&self) -> &'static str;

    /// `Err` means the host could not run the program at all (it failed to
    /// upgrade, compile or link); how the program itself ended is in
    /// [`Completion::exit`].
    fn run(&self, program: Program, case: &Case, sandbox: &Sandbox) -> anyhow::Result<Completion>;
}

/// What a host reports about a run.
#[derive(Debug, Clone)]
pub struct Completion {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub exit: Exit,
}

/// The tools toolchains use to splice an adapter file into a module
/// unchanged (no memory rewrite), for the drop-in adapter's hosts.
#[derive(Clone, Copy)]
pub enum SpliceTool {
    /// `wasm-tools component new --adapt`, i.e. plain `wit-component`.
    WasmTools,
    /// `jco new --adapt`, from the jco lane's pinned npm packages.
    JcoNew,
}

/// What `wasm-tools component new M --adapt wasi_snapshot_preview1=F` does:
/// wit-component with the adapter file and nothing else.
fn splice_with_wasm_tools(module: &[u8]) -> Result<Vec<u8>, String> {
    wit_component::ComponentEncoder::default()
        .module(module)
        .and_then(|encoder| {
            encoder.adapter("wasi_snapshot_preview1", wasi_upgrade::COMMAND_ADAPTER)
        })
        .and_then(|encoder| encoder.validate(true).encode())
        .map_err(|e| format!("{e:#}"))
}

/// `jco new M --adapt wasi_snapshot_preview1=F -o C`, run by Node.
fn splice_with_jco_new(module: &[u8]) -> Result<Vec<u8>, String> {
    jco::new_component(module, wasi_upgrade::COMMAND_ADAPTER).map_err(|e| format!("{e:#}"))
}
