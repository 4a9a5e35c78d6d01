//! Upgrades a WASI preview1 core module into a WASI 0.2 component.
//!
//! ```no_run
//! let module = std::fs::read("app.wasm")?;
//! let component = wasi_upgrade::upgrade(&module, &wasi_upgrade::Options::default())?;
//! std::fs::write("app.component.wasm", component)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The module keeps running in its own memory; an adapter implementing every
//! `wasi_snapshot_preview1` function on top of WASI 0.2 is spliced in next to
//! it by `wit-component`.

mod adapter;
mod error;
mod memory_hooks;
// Only the hook names are needed here; the rest of the layout belongs to the
// adapter and its finishing step.
#[allow(dead_code)]
#[path = "../../adapter/src/region_layout.rs"]
mod region_layout;
mod validation;

pub use adapter::{World, adapter_bytes};
pub use error::Error;

/// The import module of WASI preview1, which the adapter implements.
const WASI_PREVIEW1: &str = "wasi_snapshot_preview1";

/// How to upgrade. `Options::default()` picks everything from the module.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Options {
    /// The kind of component to produce. `None` makes a command of a module
    /// that exports `_start`, and a reactor (library) of any other.
    pub world: Option<World>,
}

impl Options {
    /// Produce `world` whatever the module exports.
    pub fn world(mut self, world: World) -> Self {
        self.world = Some(world);
        self
    }
}

/// Turns `module`, a WASI preview1 core module in binary or text form, into
/// a WASI 0.2 component.
///
/// The adapter keeps its state at the top of the module's memory, so the
/// module's own `memory.size` and `memory.grow` instructions are rewritten
/// into calls to the adapter, which reports and grows memory around it.
///
/// # Errors
///
/// Each [`Error`] names one reason the module cannot be upgraded, and what
/// to do about it, in a one-line message.
pub fn upgrade(module: &[u8], options: &Options) -> Result<Vec<u8>, Error> {
    let module = validation::binary_form(module)?;
    let facts = validation::check(&module)?;
    let world = match options.world {
        Some(world) => world,
        None if facts.exports_start => World::Command,
        None => World::Reactor,
    };
    if world == World::Command && !facts.exports_start {
        return Err(Error::NoStartExport);
    }
    let module = memory_hooks::route_through_adapter(&module).map_err(|e| Error::Encoding {
        message: format!("rewriting the memory instructions: {e}"),
    })?;
    encode(&module, world).map_err(|e| Error::Encoding {
        message: error::one_line(&format!("{e:#}")),
    })
}

fn encode(module: &[u8], world: World) -> anyhow::Result<Vec<u8>> {
    wit_component::ComponentEncoder::default()
        .module(module)?
        .adapter(WASI_PREVIEW1, adapter::adapter_bytes(world))?
        .validate(true)
        .encode()
}
