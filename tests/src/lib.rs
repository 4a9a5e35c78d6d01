//! Differential testing of `wasi-upgrade`.
//!
//! Every test program is a WASI preview1 module. A [`Case`] runs it on a
//! [`Host`]: natively on Wasmtime's preview1 ([`NativePreview1`], the oracle)
//! and, upgraded by `wasi-upgrade`, as a component on WASI 0.2 hosts
//! ([`WasmtimeComponent`], and Node.js under jco: [`Jco`]). Each run gets
//! fresh copies of the case's directories; the [`Outcome`] (stdout, stderr,
//! exit, files left behind) of each host must equal the oracle's, but for a
//! [`HostGap`] pinned on the case, and a [`Mismatch`] shows how they differ.
//!
//! Adding a host means implementing [`Host`]; adding a program means adding a
//! source file under `programs/` (see `build/`), which makes it available by
//! name through [`Program::named`].

mod cache;
mod case;
mod diff;
mod differential;
mod engine;
pub mod fs_snapshot;
mod host_gap;
mod hosts;
pub mod inspect;
mod outcome;
pub mod preview1;
mod program;
mod sandbox;

pub use case::{Case, Expected, Preopen};
pub use differential::{
    Mismatch, assert_oracle, assert_same_as_oracle, check_expectations, compare, run,
};
pub use host_gap::HostGap;
pub use hosts::{
    Completion, DropInComponent, ExistingAdapterComponent, Host, Jco, JcoDropIn, NativePreview1,
    SpliceTool, WasmtimeComponent, WasmtimeServer,
};
pub use outcome::{Exit, Outcome, Refusal, TrapCause};
pub use program::Program;
pub use sandbox::Sandbox;
