//! Which kind of component a module becomes, unless the caller says.
//!
//! The rules, in order: a module that exports `_start` is a program
//! (command); a module whose embedded WIT world (the `component-type`
//! section wit-bindgen writes) exports `wasi:http/incoming-handler` is an
//! HTTP handler (proxy); anything else is a library (reactor). A module
//! that is both a program and a handler is ambiguous and must be told.

use wit_component::metadata;

use crate::World;
use crate::error::{Cause, Error};
use crate::validation::ModuleFacts;

/// The interface a `wasi:http/proxy` component exports, without version.
const INCOMING_HANDLER: &str = "wasi:http/incoming-handler";

/// The world to build for `module`, whose facts are `facts`: `requested`
/// if given and possible, otherwise the one the rules above pick.
pub(crate) fn choose(
    module: &[u8],
    facts: &ModuleFacts,
    requested: Option<World>,
) -> Result<World, Error> {
    let handles_http = facts.has_embedded_world && exports_incoming_handler(module)?;
    match requested {
        Some(World::Command) if !facts.exports_start => Err(Error::NoStartExport),
        Some(World::Proxy) if !handles_http => Err(Error::NoIncomingHandler),
        Some(world) => Ok(world),
        None => match (facts.exports_start, handles_http) {
            (true, true) => Err(Error::AmbiguousWorld),
            (true, false) => Ok(World::Command),
            (false, true) => Ok(World::Proxy),
            (false, false) => Ok(World::Reactor),
        },
    }
}

/// Whether the world embedded in `module` exports any version of
/// `wasi:http/incoming-handler`.
fn exports_incoming_handler(module: &[u8]) -> Result<bool, Error> {
    let (_, bindgen) = metadata::decode(module).map_err(|e| Error::EmbeddedWorld {
        cause: Cause::new(e),
    })?;
    let resolve = &bindgen.resolve;
    Ok(resolve.worlds[bindgen.world].exports.keys().any(|key| {
        let name = resolve.name_world_key(key);
        name.split('@').next() == Some(INCOMING_HANDLER)
    }))
}
