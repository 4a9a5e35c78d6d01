//! Upgrades a WASI preview1 core module into a WASI 0.2 component.
//!
//! ```
//! // What `cargo build --target wasm32-wasip1` or `zig cc` would have written
//! // to app.wasm (WebAssembly text is accepted too).
//! let module = wat::parse_str(r#"(module
//!     (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
//!     (memory (export "memory") 1)
//!     (func (export "_start")))"#)?;
//! let component = wasi_upgrade::upgrade(&module, &wasi_upgrade::Options::default())?;
//! assert!(wasmparser::Parser::is_component(&component));
//! // std::fs::write("app.component.wasm", component)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The module keeps running in its own memory; an adapter implementing every
//! `wasi_snapshot_preview1` function on top of WASI 0.2 is spliced in next to
//! it by `wit-component`.

#![warn(missing_docs)]

mod adapter;
mod added_functions;
mod error;
mod functions;
#[cfg(feature = "serve")]
mod host;
mod inspect;
mod library_world;
mod memory_hooks;
mod name_section;
mod operator_scan;
mod payloads;
mod reencode_then;
mod retarget;
#[cfg(feature = "serve")]
pub mod run;
#[cfg(feature = "serve")]
pub mod serve;
mod snapshot0;
mod stand_in;
mod validation;
mod wasi_version;
mod world_choice;

use std::borrow::Cow;

pub use adapter::{
    AdapterBuild, COMMAND_ADAPTER, PROXY_ADAPTER, REACTOR_ADAPTER, TCP_LISTEN_VARIABLE, World,
    adapter_bytes, drop_in_adapter, preopens_adapter_bytes, server_adapter_bytes,
    stdio_adapter_bytes,
};
pub use error::{Cause, Error, one_line};
pub use functions::{FunctionRow, PREVIEW1_FUNCTIONS};
#[cfg(feature = "serve")]
pub use host::HostError;
pub use inspect::{Inspection, inspect};
pub use wasi_version::{UnknownWasiVersion, WasiVersion};

/// The import module of WASI preview1, which the adapter implements.
const WASI_PREVIEW1: &str = "wasi_snapshot_preview1";

/// How to upgrade. `Options::default()` picks everything from the module.
///
/// ```
/// use wasi_upgrade::{Options, WasiVersion, World};
/// let options = Options::default().world(World::Reactor).wasi_version("0.2.0".parse()?);
/// assert_eq!(options.world, Some(World::Reactor));
/// assert_eq!(options.wasi_version, Some(WasiVersion::OLDEST));
/// # Ok::<(), wasi_upgrade::UnknownWasiVersion>(())
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Options {
    /// The kind of component to produce. `None` picks it from the module:
    /// a command if it exports `_start`, a proxy if its embedded WIT world
    /// exports `wasi:http/incoming-handler`, a reactor (library) otherwise.
    pub world: Option<World>,
    /// The WASI 0.2 release the component imports. `None` means
    /// [`WasiVersion::DEFAULT`].
    pub wasi_version: Option<WasiVersion>,
}

impl Options {
    /// Produce `world` whatever the module exports.
    ///
    /// ```
    /// use wasi_upgrade::{Error, Options, World};
    /// let library = wat::parse_str(r#"(module (memory (export "memory") 1) (func (export "add")))"#)?;
    /// let as_command = Options::default().world(World::Command);
    /// assert_eq!(wasi_upgrade::upgrade(&library, &as_command), Err(Error::NoStartExport));
    /// # Ok::<(), wat::Error>(())
    /// ```
    pub fn world(mut self, world: World) -> Self {
        self.world = Some(world);
        self
    }

    /// Import the interfaces of WASI `version`.
    ///
    /// ```
    /// use wasi_upgrade::{Options, WasiVersion};
    /// let program = wat::parse_str(r#"(module (memory (export "memory") 1) (func (export "_start")))"#)?;
    /// let for_old_hosts = Options::default().wasi_version(WasiVersion::OLDEST);
    /// let inspection = wasi_upgrade::inspect(&program, &for_old_hosts);
    /// assert_eq!(inspection.component_exports, ["wasi:cli/run@0.2.0"]);
    /// # Ok::<(), wat::Error>(())
    /// ```
    pub fn wasi_version(mut self, version: WasiVersion) -> Self {
        self.wasi_version = Some(version);
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
/// ```
/// let module = wat::parse_str(r#"(module (memory (export "memory") 1) (func (export "_start")))"#)?;
/// let component = wasi_upgrade::upgrade(&module, &wasi_upgrade::Options::default())?;
/// wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all()).validate_all(&component)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// Each [`Error`] names one reason the module cannot be upgraded, and what
/// to do about it, in a one-line message.
pub fn upgrade(module: &[u8], options: &Options) -> Result<Vec<u8>, Error> {
    let module = validation::binary_form(module)?;
    let (facts, bodies) = validation::check_but_bodies(&module)?;
    match upgrade_valid(&module, facts, bodies, options) {
        Ok(component) => Ok(component),
        // What a full validation finds (an invalid body, or the structure
        // error after it) is the first thing wrong with the module.
        Err(error) => {
            validation::check(&module)?;
            Err(error)
        }
    }
}

/// [`upgrade`] of a module whose structure is valid; its function bodies
/// are validated on the way, when the memory rewrite reads them.
fn upgrade_valid(
    module: &[u8],
    facts: Result<validation::ModuleFacts, Error>,
    bodies: validation::UnvalidatedBodies<'_>,
    options: &Options,
) -> Result<Vec<u8>, Error> {
    let facts = facts?;
    let world = world_choice::choose(module, &facts, options.world)?;
    let version = options.wasi_version.unwrap_or_default();
    let build = adapter_build(world, version, &facts);
    let translated = snapshot0::translate(module).map_err(error::encoding_failed(
        "translating the wasi_unstable imports",
    ))?;
    // The validators describe the input's functions, which the snapshot-0
    // translation renumbers; the component's validation covers that case.
    let validators = match translated {
        Cow::Borrowed(_) => Some(bodies.into_validators()),
        Cow::Owned(_) => None,
    };
    let bodies_validated = validators.is_some();
    let routed = memory_hooks::route_through_adapter(&translated, validators)
        .map_err(error::encoding_failed("rewriting the memory instructions"))?;
    let stand_in = stand_in::StandIn::of(&routed.module, routed.code.as_deref(), routed.data)
        .map_err(error::encoding_failed("encoding the component"))?;
    // The description needs only the exports and types, which the stand-in
    // has as they are.
    let stand_in_module = if world == World::Reactor && !facts.has_embedded_world {
        library_world::describe_exports(&stand_in.bytes)
            .map_err(error::encoding_failed("describing the library's exports"))?
    } else {
        Cow::Borrowed(&stand_in.bytes[..])
    };
    let adapter = adapter::adapter_for(world, version, build)
        .map_err(error::encoding_failed("retargeting the adapter"))?;
    encode(&stand_in, &stand_in_module, &adapter, bodies_validated)
        .map_err(error::encoding_failed("encoding the component"))
}

/// The build of the adapter that a valid module with `facts` gets.
fn adapter_build(
    world: World,
    version: WasiVersion,
    facts: &validation::ModuleFacts,
) -> AdapterBuild {
    adapter::build_for(
        world,
        version,
        facts.accepts_connections,
        facts.adapter_functions.iter().map(String::as_str),
    )
}

/// The component of the module `stand_in` stands in for, `stand_in_module`
/// being the stand-in as wit-component is to see it.
fn encode(
    stand_in: &stand_in::StandIn<'_>,
    stand_in_module: &[u8],
    adapter: &[u8],
    bodies_validated: bool,
) -> anyhow::Result<Vec<u8>> {
    use anyhow::Context as _;
    // wit-component's own validation of its output runs on one core; this
    // one is the same check on all of them, less the program's bodies and
    // data segments, validated already.
    let component = wit_component::ComponentEncoder::default()
        .module(stand_in_module)?
        .adapter(WASI_PREVIEW1, adapter)?
        .validate(false)
        .encode()?;
    let (component, program) = stand_in.put_back(&component)?;
    // The bodies were validated as they were routed, the data segments by
    // the input check: both as the component has them, unless the
    // snapshot-0 translation re-encoded the module first.
    let validated = if bodies_validated {
        program
    } else {
        stand_in::ProgramSections::default()
    };
    validation::validate_component(&component, &validated)
        .context("failed to validate component output")?;
    Ok(component)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upgrade_text(text: &str) -> Result<Vec<u8>, Error> {
        upgrade(&wat::parse_str(text).unwrap(), &Options::default())
    }

    #[test]
    fn an_invalid_body_is_the_error_whatever_else_is_wrong() {
        let invalid =
            r#"(module (memory (export "memory") 1) (func (export "_start") i32.add drop))"#;
        assert!(matches!(
            upgrade_text(invalid),
            Err(Error::Malformed { .. })
        ));
        let also_shared = r#"(module (memory (export "memory") 1 2 shared) (func i32.add drop))"#;
        assert!(matches!(
            upgrade_text(also_shared),
            Err(Error::Malformed { .. })
        ));
        let only_shared = r#"(module (memory (export "memory") 1 2 shared) (func))"#;
        assert_eq!(upgrade_text(only_shared).unwrap_err(), Error::Threads);
    }

    #[test]
    fn valid_bodies_pass_with_and_without_the_snapshot0_translation() {
        let grows = r#"(func (export "_start") (drop (memory.grow (memory.size))))"#;
        for imports in [
            r#"(import "wasi_snapshot_preview1" "sched_yield" (func (result i32)))"#,
            r#"(import "wasi_unstable" "fd_seek" (func (param i32 i64 i32 i32) (result i32)))"#,
        ] {
            let component = upgrade_text(&format!(
                r#"(module {imports} (memory (export "memory") 1) {grows})"#
            ))
            .unwrap();
            assert!(wasmparser::Parser::is_component(&component));
        }
    }
}
