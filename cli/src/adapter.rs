//! The preview1 adapters, built from `adapter/` and finished by
//! `adapter-build`, which CI runs to check that `adapters/` matches the source.

use std::borrow::Cow;

use crate::WasiVersion;
use crate::error::{Error, encoding_failed};
use crate::retarget::retarget;

/// The world a preview1 module's component targets: which kind of component
/// it becomes, and so which adapter it gets.
///
/// ```
/// use wasi_upgrade::{Options, World};
/// let library = wat::parse_str(r#"(module (memory (export "memory") 1) (func (export "add")))"#)?;
/// // A module without `_start` is a library unless told otherwise.
/// assert_eq!(wasi_upgrade::inspect(&library, &Options::default()).world, Some(World::Reactor));
/// # Ok::<(), wat::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
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

/// The command adapter, importing [`WasiVersion::NEWEST`]: a drop-in file for
/// `wasm-tools component new --adapt wasi_snapshot_preview1=FILE`.
///
/// ```
/// // A core module that exports the preview1 functions and `wasi:cli/run`.
/// let adapter = wasmparser::Parser::new(0).parse_all(wasi_upgrade::COMMAND_ADAPTER);
/// let exports: Vec<String> = adapter
///     .filter_map(|payload| match payload {
///         Ok(wasmparser::Payload::ExportSection(exports)) => Some(exports),
///         _ => None,
///     })
///     .flatten()
///     .map(|export| export.unwrap().name.to_owned())
///     .collect();
/// assert!(exports.iter().any(|name| name == "fd_write"));
/// assert!(exports.iter().any(|name| name.starts_with("wasi:cli/run@0.2.12#")));
/// ```
pub const COMMAND_ADAPTER: &[u8] =
    include_bytes!("../adapters/wasi_snapshot_preview1.command.wasm");
/// The reactor (library) adapter, importing [`WasiVersion::NEWEST`].
///
/// ```
/// use wasi_upgrade::{REACTOR_ADAPTER, World, adapter_bytes};
/// assert_eq!(adapter_bytes(World::Reactor), REACTOR_ADAPTER);
/// // std::fs::write("wasi_snapshot_preview1.reactor.wasm", REACTOR_ADAPTER)?;
/// ```
pub const REACTOR_ADAPTER: &[u8] =
    include_bytes!("../adapters/wasi_snapshot_preview1.reactor.wasm");
/// The proxy (`wasi:http/proxy`) adapter, importing [`WasiVersion::NEWEST`].
///
/// ```
/// use wasi_upgrade::{PROXY_ADAPTER, WasiVersion, World, drop_in_adapter};
/// assert_eq!(&*drop_in_adapter(World::Proxy, WasiVersion::NEWEST)?, PROXY_ADAPTER);
/// # Ok::<(), wasi_upgrade::Error>(())
/// ```
pub const PROXY_ADAPTER: &[u8] = include_bytes!("../adapters/wasi_snapshot_preview1.proxy.wasm");

/// The finished adapter core module for `world` as built, importing
/// [`WasiVersion::NEWEST`], to be given to
/// `wit_component::ComponentEncoder::adapter` as `wasi_snapshot_preview1`.
///
/// ```
/// let adapter = wasi_upgrade::adapter_bytes(wasi_upgrade::World::Command);
/// assert_eq!(adapter, wasi_upgrade::COMMAND_ADAPTER);
/// ```
pub fn adapter_bytes(world: World) -> &'static [u8] {
    built(world, true, false)
}

/// The adapter for `world` importing WASI `version`, for splicing by other
/// tools (`wasm-tools component new --adapt`, `jco new`, wit-component).
/// Spliced without `wasi_upgrade::upgrade`'s rewrite of the module, it cannot
/// hide its memory from the program; everything else behaves as after a
/// full upgrade. Below 0.2.12, nonzero exit codes become 1.
///
/// ```
/// use wasi_upgrade::{World, WasiVersion, drop_in_adapter};
/// let newest = drop_in_adapter(World::Reactor, WasiVersion::NEWEST)?;
/// assert_eq!(&*newest, wasi_upgrade::REACTOR_ADAPTER);
/// let old = drop_in_adapter(World::Command, "0.2.0".parse()?)?;
/// assert!(wasmparser::Validator::new().validate_all(&old).is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`Error::Encoding`] if the adapter cannot be renamed to `version`,
/// which would be a bug.
pub fn drop_in_adapter(world: World, version: WasiVersion) -> Result<Cow<'static, [u8]>, Error> {
    adapter_for(world, version, false).map_err(encoding_failed("retargeting the adapter"))
}

/// The environment variable through which a host tells the server adapter
/// where to listen: `IP:PORT[,IP:PORT…]`.
///
/// ```
/// // `wasmtime run -S inherit-network --env WASI_UPGRADE_TCPLISTEN=127.0.0.1:8080 server.wasm`
/// assert_eq!(wasi_upgrade::TCP_LISTEN_VARIABLE, "WASI_UPGRADE_TCPLISTEN");
/// ```
pub const TCP_LISTEN_VARIABLE: &str = "WASI_UPGRADE_TCPLISTEN";

/// The command adapter for servers (modules that import `sock_accept`):
/// before `_start` it listens on the addresses in [`TCP_LISTEN_VARIABLE`]
/// and puts the listeners at fds 3, 4, …
///
/// ```
/// let server = wasi_upgrade::server_adapter_bytes();
/// assert_ne!(server, wasi_upgrade::COMMAND_ADAPTER);
/// assert!(wasmparser::Validator::new().validate_all(server).is_ok());
/// ```
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

/// One of the shipped adapters; `exit_with_code` chooses
/// between the default build and the `legacy-exit` one, which reports exit
/// codes through `exit(result)` only, and `serves` the command build that
/// sets up listeners. The proxy adapter cannot exit at all.
fn built(world: World, exit_with_code: bool, serves: bool) -> &'static [u8] {
    macro_rules! finished {
        ($file:literal) => {
            include_bytes!(concat!("../adapters/", $file))
        };
    }
    match (world, exit_with_code, serves) {
        (World::Command, true, false) => COMMAND_ADAPTER,
        (World::Command, false, false) => {
            finished!("wasi_snapshot_preview1.command.legacy-exit.wasm")
        }
        (World::Command, true, true) => finished!("wasi_snapshot_preview1.command.listener.wasm"),
        (World::Command, false, true) => {
            finished!("wasi_snapshot_preview1.command.listener.legacy-exit.wasm")
        }
        (World::Reactor, true, _) => REACTOR_ADAPTER,
        (World::Reactor, false, _) => finished!("wasi_snapshot_preview1.reactor.legacy-exit.wasm"),
        (World::Proxy, ..) => PROXY_ADAPTER,
    }
}
