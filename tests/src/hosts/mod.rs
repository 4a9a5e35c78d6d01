//! The runtimes a case can run on.

mod jco;
mod native_preview1;
mod wasi_ctx;
mod wasmtime_component;

pub use jco::Jco;
pub use native_preview1::NativePreview1;
pub use wasmtime_component::{ExistingAdapterComponent, WasmtimeComponent, WasmtimeServer};

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
