//! What `run` and `serve` share: the store an instance runs in, the error
//! either reports when the host itself fails, and how a failed call is told.

use std::fmt;
use std::future::Future;

use wasmtime::component::{Component, Linker, ResourceTable};
use wasmtime::{Engine, Trap, WasmBacktrace};
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};
use wasmtime_wasi_http::{
    RequestOptions, WasiBody, WasiHttpCtx, WasiHttpCtxView, WasiHttpHooks, WasiHttpView,
};

/// Why [`run`](crate::run::run) or a [`Server`](crate::serve::Server)
/// could not do its job: what the host was doing, with the failure beneath
/// as the error's [`source`](std::error::Error::source).
///
/// ```
/// let not_a_handler = wat::parse_str("(component)")?;
/// let error = wasi_upgrade::serve::Server::bind(&not_a_handler, "127.0.0.1:0".parse()?)
///     .err()
///     .unwrap();
/// assert_eq!(error.to_string(), "the component is not a wasi:http/proxy handler");
/// assert!(std::error::Error::source(&error).is_some());
/// // The whole chain, on one line, as the command prints it:
/// let line = wasi_upgrade::one_line(&error);
/// assert!(line.starts_with("the component is not a wasi:http/proxy handler: "));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct HostError {
    doing: String,
    cause: Box<dyn std::error::Error + Send + Sync>,
}

impl HostError {
    pub(crate) fn new(
        doing: impl Into<String>,
        cause: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        HostError {
            doing: doing.into(),
            cause: cause.into(),
        }
    }
}

impl fmt::Display for HostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.doing)
    }
}

impl std::error::Error for HostError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.cause)
    }
}

/// Compiles `component` on a fresh engine and gives it a linker that
/// `add_interfaces` fills with what the host provides.
pub(crate) fn compile(
    component: &[u8],
    add_interfaces: impl FnOnce(&mut Linker<Instance>) -> wasmtime::Result<()>,
) -> Result<(Component, Linker<Instance>), HostError> {
    let engine = Engine::default();
    let component = Component::new(&engine, component)
        .map_err(|e| HostError::new("the component does not compile", e))?;
    let mut linker = Linker::new(&engine);
    add_interfaces(&mut linker).map_err(|e| HostError::new("setting up the host", e))?;
    Ok((component, linker))
}

/// The store of one instance, for either host: `run` links WASI 0.2's CLI
/// world and leaves `http` unused; `serve` links `wasi:http/proxy`.
pub(crate) struct Instance {
    wasi: WasiCtx,
    http: WasiHttpCtx,
    table: ResourceTable,
    hooks: RefuseOutgoing,
}

impl Instance {
    pub fn new(wasi: WasiCtx) -> Self {
        Instance {
            wasi,
            http: WasiHttpCtx::new(),
            table: ResourceTable::new(),
            hooks: RefuseOutgoing,
        }
    }
}

impl WasiView for Instance {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl WasiHttpView for Instance {
    fn http(&mut self) -> WasiHttpCtxView<'_> {
        WasiHttpCtxView {
            ctx: &mut self.http,
            table: &mut self.table,
            hooks: &mut self.hooks,
        }
    }
}

/// A trap as both hosts report one (what, and in which function); any other
/// error with its causes, on one line.
pub(crate) fn describe_failure(error: &wasmtime::Error) -> String {
    let Some(trap) = error.downcast_ref::<Trap>() else {
        return crate::error::one_line(&**error);
    };
    let function = error
        .downcast_ref::<WasmBacktrace>()
        .and_then(|backtrace| backtrace.frames().first())
        .and_then(|frame| frame.func_name());
    match function {
        Some(function) => format!("{trap} (in `{function}`)"),
        None => trap.to_string(),
    }
}

/// Answers every outgoing request with `HTTP-request-denied`: the hosts are
/// for trying programs out, not for reaching the network on their behalf.
struct RefuseOutgoing;

type Io = Box<dyn Future<Output = Result<(), wasmtime_wasi_http::Error>> + Send>;

impl WasiHttpHooks for RefuseOutgoing {
    fn send_request(
        &mut self,
        _request: http::Request<WasiBody>,
        _options: Option<RequestOptions>,
        _io: Io,
    ) -> Box<
        dyn Future<Output = Result<(http::Response<WasiBody>, Io), wasmtime_wasi_http::Error>>
            + Send,
    > {
        Box::new(async { Err(wasmtime_wasi_http::Error::HttpRequestDenied) })
    }
}
