//! The WASI context both Wasmtime-based hosts give a program.

use wasmtime_wasi::p2::pipe::{MemoryInputPipe, MemoryOutputPipe};
use wasmtime_wasi::{FsPerms, WasiCtxBuilder};

use super::Completion;
use crate::case::Case;
use crate::outcome::Exit;
use crate::sandbox::Sandbox;

/// Most output a run may produce on each of stdout and stderr.
const OUTPUT_CAPACITY: usize = 64 << 20;

/// Captures of a run's stdout and stderr.
pub(crate) struct Captured {
    pub stdout: MemoryOutputPipe,
    pub stderr: MemoryOutputPipe,
}

impl Captured {
    /// What the run wrote, with how it ended.
    pub fn completion(self, exit: Exit) -> Completion {
        Completion {
            stdout: self.stdout.contents().to_vec(),
            stderr: self.stderr.contents().to_vec(),
            exit,
        }
    }
}

/// A builder with `case`'s args, env, stdin and `sandbox`'s directories, and
/// pipes capturing the output. Nothing is inherited from the test process.
pub(crate) fn builder(
    case: &Case,
    sandbox: &Sandbox,
) -> anyhow::Result<(WasiCtxBuilder, Captured)> {
    let captured = Captured {
        stdout: MemoryOutputPipe::new(OUTPUT_CAPACITY),
        stderr: MemoryOutputPipe::new(OUTPUT_CAPACITY),
    };
    let mut builder = WasiCtxBuilder::new();
    builder
        .args(&case.args)
        .envs(&case.env)
        .stdin(MemoryInputPipe::new(case.stdin.clone()))
        .stdout(captured.stdout.clone())
        .stderr(captured.stderr.clone());
    for (guest, host) in sandbox.preopens() {
        builder
            .preopened_dir(host, guest, FsPerms::ReadWrite)
            .map_err(|e| anyhow::anyhow!("preopening {} as {guest}: {e}", host.display()))?;
    }
    Ok((builder, captured))
}
