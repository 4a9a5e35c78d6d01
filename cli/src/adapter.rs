//! The preview1 adapter, built from `adapter/` and finished by `build.rs`.

use std::borrow::Cow;

use crate::WasiVersion;
use crate::retarget::retarget;

/// Which kind of component a preview1 module becomes, and so which adapter
/// flavour it gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum World {
    /// For a module with `_start`: the component exports `wasi:cli/run`,
    /// which calls `_start`.
    Command,
    /// For a library module (`_initialize` or no entry point): the module's
    /// own exports become the component's exports.
    Reactor,
    /// For a module that implements `wasi:http/incoming-handler`: the
    /// component imports only what `wasi:http/proxy` provides, so it runs
    /// on HTTP hosts (`wasmtime serve`, `wasi-upgrade serve`).
    Proxy,
}

/// The finished adapter core module for `world` as built, importing
/// [`WasiVersion::NEWEST`], to be given to
/// `wit_component::ComponentEncoder::adapter` as `wasi_snapshot_preview1`.
pub fn adapter_bytes(world: World) -> &'static [u8] {
    built(world, true)
}

/// The adapter for `world` importing `version`.
pub(crate) fn adapter_for(
    world: World,
    version: WasiVersion,
) -> anyhow::Result<Cow<'static, [u8]>> {
    retarget(built(world, version.has_exit_with_code()), version)
}

/// One of the adapters `build.rs` finished; `exit_with_code` chooses
/// between the default build and the `legacy-exit` one, which reports exit
/// codes through `exit(result)` only. The proxy flavour cannot exit at all.
fn built(world: World, exit_with_code: bool) -> &'static [u8] {
    macro_rules! finished {
        ($file:literal) => {
            include_bytes!(concat!(env!("OUT_DIR"), "/", $file))
        };
    }
    match (world, exit_with_code) {
        (World::Command, true) => finished!("wasi_snapshot_preview1.command.wasm"),
        (World::Reactor, true) => finished!("wasi_snapshot_preview1.reactor.wasm"),
        (World::Command, false) => finished!("wasi_snapshot_preview1.command.legacy-exit.wasm"),
        (World::Reactor, false) => finished!("wasi_snapshot_preview1.reactor.legacy-exit.wasm"),
        (World::Proxy, _) => finished!("wasi_snapshot_preview1.proxy.wasm"),
    }
}
