//! What a run produced, in a form two hosts' runs can be compared by.

use std::fmt;

use crate::fs_snapshot::DirSnapshot;

/// Everything observable about one run of a case on one host.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub exit: Exit,
    /// The contents of each preopened directory after the run, by guest path.
    pub preopens: Vec<(String, DirSnapshot)>,
}

/// How a run ended.
#[derive(Debug, Clone)]
pub enum Exit {
    /// `_start` / `run` returned (0) or the program exited with this code.
    Code(i32),
    /// The program trapped or a host call failed fatally.
    Trapped {
        /// The trap's kind when Wasmtime reported one; runs are compared by it.
        kind: Option<wasmtime::Trap>,
        /// The full error with its chain and backtrace, for the failure report.
        message: String,
    },
}

impl Exit {
    /// Two runs ended the same way: the same code, or the same kind of trap
    /// (messages carry host-specific backtraces, so they are not compared).
    pub fn same_as(&self, other: &Exit) -> bool {
        match (self, other) {
            (Exit::Code(a), Exit::Code(b)) => a == b,
            (Exit::Trapped { kind: a, .. }, Exit::Trapped { kind: b, .. }) => a == b,
            _ => false,
        }
    }

    /// Classifies the error a run ended with: an `I32Exit` anywhere in the
    /// chain is an exit with that code; anything else is a trap.
    pub fn from_error(error: wasmtime::Error) -> Exit {
        if let Some(exit) = error.downcast_ref::<wasmtime_wasi::I32Exit>() {
            return Exit::Code(exit.0);
        }
        Exit::Trapped {
            kind: error.downcast_ref::<wasmtime::Trap>().copied(),
            message: format!("{error:?}"),
        }
    }
}

impl fmt::Display for Exit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Exit::Code(code) => write!(f, "exited with {code}"),
            Exit::Trapped {
                kind: Some(kind),
                message,
            } => write!(f, "trapped ({kind:?}):\n{message}"),
            Exit::Trapped {
                kind: None,
                message,
            } => write!(f, "failed:\n{message}"),
        }
    }
}
