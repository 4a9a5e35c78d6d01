//! The whole test suite in one binary, so compiled modules and oracle runs
//! are shared between tests.
//!
//! - `corpus::native::*` runs each case on the oracle alone and checks the
//!   case's expectations; `corpus::wasmtime_p2::*` runs the upgraded program
//!   on Wasmtime's WASI 0.2 host and compares everything with the oracle, and
//!   `corpus::jco::*` does the same on Node.js under jco.
//! - `harness::*` proves the comparison detects differences.
//! - `beyond_the_oracle::*` checks what the oracle is too slow to run.
//! - `concurrent_appends::*` runs two appending writers at once on each host.
//! - `fuzz_preview1::*` compares seeded random preview1 call sequences.
//! - `sockets::*` serves upgraded preview1 servers to a real client.
//! - `adapter_memory::*` drives the adapter's region and memory hooks
//!   directly, provoking each of the adapter's own traps.
//! - `drop_in::*` splices the drop-in adapter file with `wasm-tools` and
//!   `jco new`, without the rewrite, and compares on both hosts.
//! - `component_imports::*` inspects an upgraded component (the adapter
//!   itself is inspected by the separate `adapter_shape` test).

mod adapter_memory;
mod beyond_the_oracle;
mod component_imports;
mod concurrent_appends;
mod corpus;
mod drop_in;
mod fuzz_preview1;
mod harness;
mod sockets;
