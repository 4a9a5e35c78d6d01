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
    built(world, true, false)
}

/// The environment variable through which a host tells the server adapter
/// where to listen: `IP:PORT[,IP:PORT…]`.
pub const TCP_LISTEN_VARIABLE: &str = "WASI_UPGRADE_TCPLISTEN";

/// The command adapter for servers (modules that import `sock_accept`):
/// before `_start` it listens on the addresses in [`TCP_LISTEN_VARIABLE`]
/// and puts the listeners at fds 3, 4, …
pub fn server_adapter_bytes() -> &'static [u8] {
    built(World::Command, true, true)
}

/// The adapter for `world` importing `version`; `serves` picks the server
/// build for a command.
pub(crate) fn adapter_for(
    world: World,
    version: WasiVersion,
    serves: bool,
) -> anyhow::Result<Cow<'static, [u8]>> {
    retarget(built(world, version.has_exit_with_code(), serves), version)
}

/// One of the adapters `build.rs` finished; `exit_with_code` chooses
/// between the default build and the `legacy-exit` one, which reports exit
/// codes through `exit(result)` only, and `serves` the command build that
/// sets up listeners. The proxy flavour cannot exit at all.
fn built(world: World, exit_with_code: bool, serves: bool) -> &'static [u8] {
    macro_rules! finished {
        ($file:literal) => {
            include_bytes!(concat!(env!("OUT_DIR"), "/", $file))
        };
    }
    match (world, exit_with_code, serves) {
        (World::Command, true, false) => finished!("wasi_snapshot_preview1.command.wasm"),
        (World::Command, false, false) => {
            finished!("wasi_snapshot_preview1.command.legacy-exit.wasm")
        }
        (World::Command, true, true) => finished!("wasi_snapshot_preview1.command.listener.wasm"),
        (World::Command, false, true) => {
            finished!("wasi_snapshot_preview1.command.listener.legacy-exit.wasm")
        }
        (World::Reactor, true, _) => finished!("wasi_snapshot_preview1.reactor.wasm"),
        (World::Reactor, false, _) => finished!("wasi_snapshot_preview1.reactor.legacy-exit.wasm"),
        (World::Proxy, ..) => finished!("wasi_snapshot_preview1.proxy.wasm"),
    }
}
