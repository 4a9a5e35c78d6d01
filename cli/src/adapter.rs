//! The preview1 adapters, built from `adapter/` and finished by
//! `adapter-build`, which CI runs to check that `adapters/` matches the source.

use std::borrow::Cow;
use std::sync::OnceLock;

use wasmparser::{ExternalKind, Parser, Payload};

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
    adapter_for(world, version, AdapterBuild::Full)
        .map_err(encoding_failed("retargeting the adapter"))
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

/// Which build of the adapter a module's component gets
/// ([`Inspection::adapter`](crate::Inspection::adapter)).
///
/// ```
/// use wasi_upgrade::{AdapterBuild, Options};
/// let hello = wat::parse_str(r#"(module
///     (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
///     (memory (export "memory") 1)
///     (func (export "_start")))"#)?;
/// let inspection = wasi_upgrade::inspect(&hello, &Options::default());
/// assert_eq!(inspection.adapter, Some(AdapterBuild::Stdio));
/// assert!(!inspection.component_imports.iter().any(|i| i.starts_with("wasi:filesystem/")));
///
/// // Closing fd 3 may close a preopen; nothing can be opened.
/// let closes = wat::parse_str(r#"(module
///     (import "wasi_snapshot_preview1" "fd_close" (func (param i32) (result i32)))
///     (memory (export "memory") 1)
///     (func (export "_start")))"#)?;
/// let inspection = wasi_upgrade::inspect(&closes, &Options::default());
/// assert_eq!(inspection.adapter, Some(AdapterBuild::Preopens));
/// assert!(inspection.component_imports.iter().any(|i| i.starts_with("wasi:filesystem/preopens")));
/// assert!(!inspection.component_imports.iter().any(|i| i.starts_with("wasi:clocks/")));
/// # Ok::<(), wat::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AdapterBuild {
    /// Every preview1 function: what [`drop_in_adapter`] gives.
    Full,
    /// For a program that can reach no descriptor beyond stdio: every
    /// preview1 function it imports answers for a preopened directory as for
    /// an fd that is not open, and none opens anything. Its component
    /// imports neither `wasi:filesystem` nor `wasi:sockets` (nor
    /// `wasi:clocks/wall-clock`, which only the filesystem's timestamps
    /// need). Only for WASI 0.2.12 and later.
    Stdio,
    /// For a program that can reach the preopened directories by fd number
    /// but imports none of `path_open`, `fd_readdir` and `sock_accept`: it
    /// holds stdio and the preopens, nothing else, so it carries no code for
    /// regular files, directory listings or sockets. Only for WASI 0.2.12
    /// and later.
    Preopens,
    /// For a program that imports `sock_accept`: before `_start`, it
    /// listens where [`TCP_LISTEN_VARIABLE`] says.
    Server,
}

/// The build of the adapter for a module of `world` whose preview1 (or
/// snapshot 0) imports are `functions`, targeting `version`; `serves` says
/// whether it imports `sock_accept`.
pub(crate) fn build_for<'a>(
    world: World,
    version: WasiVersion,
    serves: bool,
    functions: impl Iterator<Item = &'a str> + Clone,
) -> AdapterBuild {
    if world == World::Command && serves {
        return AdapterBuild::Server;
    }
    if !version.has_exit_with_code() {
        return AdapterBuild::Full;
    }
    // Each smaller build exports exactly the functions it may answer; the
    // smallest one that serves them all wins.
    for build in [AdapterBuild::Stdio, AdapterBuild::Preopens] {
        let Some(exports) = small_build_exports(world, build) else {
            return AdapterBuild::Full;
        };
        if functions.clone().all(|name| exports.contains(&name)) {
            return build;
        }
    }
    AdapterBuild::Full
}

/// The stdio build of the adapter for `world` ([`AdapterBuild::Stdio`]),
/// importing [`WasiVersion::NEWEST`]; `None` for a proxy, which has none.
/// It exports only the preview1 functions it serves.
///
/// ```
/// use wasi_upgrade::{World, stdio_adapter_bytes};
/// let stdio = stdio_adapter_bytes(World::Command).unwrap();
/// assert!(stdio.len() < wasi_upgrade::COMMAND_ADAPTER.len());
/// assert!(stdio_adapter_bytes(World::Proxy).is_none());
/// ```
pub fn stdio_adapter_bytes(world: World) -> Option<&'static [u8]> {
    small_build_bytes(world, AdapterBuild::Stdio)
}

/// The preopens build of the adapter for `world`
/// ([`AdapterBuild::Preopens`]), importing [`WasiVersion::NEWEST`]; `None`
/// for a proxy, which has none. It exports only the preview1 functions it
/// serves: all but `path_open`, `fd_readdir` and `sock_accept`.
///
/// ```
/// use wasi_upgrade::{World, preopens_adapter_bytes};
/// let preopens = preopens_adapter_bytes(World::Command).unwrap();
/// assert!(preopens.len() < wasi_upgrade::COMMAND_ADAPTER.len());
/// assert!(preopens_adapter_bytes(World::Proxy).is_none());
/// ```
pub fn preopens_adapter_bytes(world: World) -> Option<&'static [u8]> {
    small_build_bytes(world, AdapterBuild::Preopens)
}

/// A file of `cli/adapters/`, built into the library.
macro_rules! shipped {
    ($file:literal) => {
        include_bytes!(concat!("../adapters/", $file))
    };
}

/// The stdio or preopens build for `world`, if it has one.
fn small_build_bytes(world: World, build: AdapterBuild) -> Option<&'static [u8]> {
    match (world, build) {
        (World::Command, AdapterBuild::Stdio) => {
            Some(shipped!("wasi_snapshot_preview1.command.stdio.wasm"))
        }
        (World::Reactor, AdapterBuild::Stdio) => {
            Some(shipped!("wasi_snapshot_preview1.reactor.stdio.wasm"))
        }
        (World::Command, AdapterBuild::Preopens) => {
            Some(shipped!("wasi_snapshot_preview1.command.preopens.wasm"))
        }
        (World::Reactor, AdapterBuild::Preopens) => {
            Some(shipped!("wasi_snapshot_preview1.reactor.preopens.wasm"))
        }
        _ => None,
    }
}

/// The functions the stdio or preopens build for `world` exports, read from
/// it once per process rather than at every upgrade.
fn small_build_exports(world: World, build: AdapterBuild) -> Option<&'static [&'static str]> {
    type Exports = OnceLock<Vec<&'static str>>;
    static CELLS: [Exports; 4] = [const { OnceLock::new() }; 4];
    let index = match (world, build) {
        (World::Command, AdapterBuild::Stdio) => 0,
        (World::Reactor, AdapterBuild::Stdio) => 1,
        (World::Command, AdapterBuild::Preopens) => 2,
        (World::Reactor, AdapterBuild::Preopens) => 3,
        _ => return None,
    };
    let bytes = small_build_bytes(world, build)?;
    Some(CELLS[index].get_or_init(|| exported_functions(bytes)))
}

/// The names of the functions a shipped adapter exports.
fn exported_functions(adapter: &'static [u8]) -> Vec<&'static str> {
    for payload in Parser::new(0).parse_all(adapter) {
        if let Ok(Payload::ExportSection(exports)) = payload {
            return exports
                .into_iter()
                .flatten()
                .filter(|export| export.kind == ExternalKind::Func)
                .map(|export| export.name)
                .collect();
        }
    }
    Vec::new()
}

/// The adapter `build` for `world` importing `version`.
pub(crate) fn adapter_for(
    world: World,
    version: WasiVersion,
    build: AdapterBuild,
) -> anyhow::Result<Cow<'static, [u8]>> {
    let bytes = match small_build_bytes(world, build) {
        Some(small) => small,
        None => built(
            world,
            version.has_exit_with_code(),
            build == AdapterBuild::Server,
        ),
    };
    retarget(bytes, version)
}

/// One of the shipped adapters; `exit_with_code` chooses
/// between the default build and the `legacy-exit` one, which reports exit
/// codes through `exit(result)` only, and `serves` the command build that
/// sets up listeners. The proxy adapter cannot exit at all.
fn built(world: World, exit_with_code: bool, serves: bool) -> &'static [u8] {
    match (world, exit_with_code, serves) {
        (World::Command, true, false) => COMMAND_ADAPTER,
        (World::Command, false, false) => {
            shipped!("wasi_snapshot_preview1.command.legacy-exit.wasm")
        }
        (World::Command, true, true) => shipped!("wasi_snapshot_preview1.command.listener.wasm"),
        (World::Command, false, true) => {
            shipped!("wasi_snapshot_preview1.command.listener.legacy-exit.wasm")
        }
        (World::Reactor, true, _) => REACTOR_ADAPTER,
        (World::Reactor, false, _) => shipped!("wasi_snapshot_preview1.reactor.legacy-exit.wasm"),
        (World::Proxy, ..) => PROXY_ADAPTER,
    }
}
