//! Serves a `wasi:http/proxy` component over HTTP/1.1, as `wasmtime serve`
//! does: each request gets a fresh instance of the component, whose
//! `wasi:http/incoming-handler` answers it.
//!
//! The host links exactly the `wasi:http/proxy` world (HTTP, stdio, clocks,
//! random), so a component that needs anything else fails to start here as
//! it would on any proxy host. Outgoing requests are refused with
//! `HTTP-request-denied`: this server is for trying handlers out, not for
//! reaching the network on their behalf.
//!
//! ```
//! # let component = wat::parse_str(r#"(component
//! # (import "wasi:http/types@0.2.0" (instance $t (export "incoming-request" (type (sub resource))) (export "response-outparam" (type (sub resource)))))
//! # (alias export $t "incoming-request" (type $rq)) (alias export $t "response-outparam" (type $ro))
//! # (core module $m (func (export "handle") (param i32 i32))) (core instance $i (instantiate $m))
//! # (func $h (param "request" (own $rq)) (param "response-out" (own $ro)) (canon lift (core func $i "handle")))
//! # (instance $ih (export "handle" (func $h))) (export "wasi:http/incoming-handler@0.2.0" (instance $ih)))"#)?;
//! // `component`: a wasi:http/proxy component, e.g. `wasi_upgrade::upgrade` of a
//! // module built with wit-bindgen for wasi:http/proxy.
//! let server = wasi_upgrade::serve::Server::bind(&component, "127.0.0.1:0".parse()?)?;
//! println!("listening on http://{}/", server.local_addr());
//! # server.stopper().stop();
//! server.run()?; // until stopped
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fs::File;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::server::conn::http1;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use wasmtime::Store;
use wasmtime_wasi::WasiCtx;
use wasmtime_wasi::cli::OutputFile;
use wasmtime_wasi_http::WasiHttpView;
use wasmtime_wasi_http::io::TokioIo;
use wasmtime_wasi_http::p2::bindings::ProxyPre;
use wasmtime_wasi_http::p2::bindings::http::types::Scheme;
use wasmtime_wasi_http::p2::body::HyperOutgoingBody;

use crate::host::{HostError, Instance, compile, describe_failure};

/// A compiled component listening on a socket, not yet serving.
///
/// ```
/// # let component = wat::parse_str(r#"(component
/// # (import "wasi:http/types@0.2.0" (instance $t (export "incoming-request" (type (sub resource))) (export "response-outparam" (type (sub resource)))))
/// # (alias export $t "incoming-request" (type $rq)) (alias export $t "response-outparam" (type $ro))
/// # (core module $m (func (export "handle") (param i32 i32))) (core instance $i (instantiate $m))
/// # (func $h (param "request" (own $rq)) (param "response-out" (own $ro)) (canon lift (core func $i "handle")))
/// # (instance $ih (export "handle" (func $h))) (export "wasi:http/incoming-handler@0.2.0" (instance $ih)))"#)?;
/// use wasi_upgrade::serve::Server;
/// let server = Server::bind(&component, "127.0.0.1:0".parse()?)?;
/// let stopper = server.stopper();
/// let serving = std::thread::spawn(move || server.run());
/// // … send requests …
/// stopper.stop();
/// serving.join().unwrap()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Server {
    runtime: tokio::runtime::Runtime,
    listener: TcpListener,
    handler: Arc<Handler>,
    stop: Arc<Notify>,
}

/// Ends a [`Server::run`] from another thread.
///
/// ```
/// # let component = wat::parse_str(r#"(component
/// # (import "wasi:http/types@0.2.0" (instance $t (export "incoming-request" (type (sub resource))) (export "response-outparam" (type (sub resource)))))
/// # (alias export $t "incoming-request" (type $rq)) (alias export $t "response-outparam" (type $ro))
/// # (core module $m (func (export "handle") (param i32 i32))) (core instance $i (instantiate $m))
/// # (func $h (param "request" (own $rq)) (param "response-out" (own $ro)) (canon lift (core func $i "handle")))
/// # (instance $ih (export "handle" (func $h))) (export "wasi:http/incoming-handler@0.2.0" (instance $ih)))"#)?;
/// let server = wasi_upgrade::serve::Server::bind(&component, "127.0.0.1:0".parse()?)?;
/// let stopper: wasi_upgrade::serve::Stopper = server.stopper();
/// stopper.clone().stop();
/// server.run()?; // returns at once: the stop came first
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Stopper(Arc<Notify>);

impl Stopper {
    /// Makes `run` return after the connections it is serving have had
    /// their current request answered; a stop before `run` starts counts.
    ///
    /// ```
    /// # let component = wat::parse_str(r#"(component
    /// # (import "wasi:http/types@0.2.0" (instance $t (export "incoming-request" (type (sub resource))) (export "response-outparam" (type (sub resource)))))
    /// # (alias export $t "incoming-request" (type $rq)) (alias export $t "response-outparam" (type $ro))
    /// # (core module $m (func (export "handle") (param i32 i32))) (core instance $i (instantiate $m))
    /// # (func $h (param "request" (own $rq)) (param "response-out" (own $ro)) (canon lift (core func $i "handle")))
    /// # (instance $ih (export "handle" (func $h))) (export "wasi:http/incoming-handler@0.2.0" (instance $ih)))"#)?;
    /// let server = wasi_upgrade::serve::Server::bind(&component, "127.0.0.1:0".parse()?)?;
    /// server.stopper().stop();
    /// server.run()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn stop(&self) {
        self.0.notify_one();
    }
}

impl Server {
    /// Compiles `component`, which must export `wasi:http/incoming-handler`
    /// and import nothing outside `wasi:http/proxy`, and listens on `addr`
    /// (port 0 picks a free port; see [`Server::local_addr`]).
    ///
    /// The handlers' stdout and stderr go to this process's.
    ///
    /// ```
    /// # let component = wat::parse_str(r#"(component
    /// # (import "wasi:http/types@0.2.0" (instance $t (export "incoming-request" (type (sub resource))) (export "response-outparam" (type (sub resource)))))
    /// # (alias export $t "incoming-request" (type $rq)) (alias export $t "response-outparam" (type $ro))
    /// # (core module $m (func (export "handle") (param i32 i32))) (core instance $i (instantiate $m))
    /// # (func $h (param "request" (own $rq)) (param "response-out" (own $ro)) (canon lift (core func $i "handle")))
    /// # (instance $ih (export "handle" (func $h))) (export "wasi:http/incoming-handler@0.2.0" (instance $ih)))"#)?;
    /// let server = wasi_upgrade::serve::Server::bind(&component, "127.0.0.1:0".parse()?)?;
    /// assert!(server.local_addr().ip().is_loopback());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn bind(component: &[u8], addr: SocketAddr) -> Result<Server, HostError> {
        let (component, linker) = compile(component, wasmtime_wasi_http::p2::add_to_linker_async)?;
        let pre = linker
            .instantiate_pre(&component)
            .and_then(ProxyPre::new)
            .map_err(|e| HostError::new("the component is not a wasi:http/proxy handler", e))?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|e| HostError::new("starting the server's threads", e))?;
        let listener = runtime
            .block_on(TcpListener::bind(addr))
            .map_err(|e| HostError::new(format!("cannot listen on {addr}"), e))?;
        Ok(Server {
            runtime,
            listener,
            handler: Arc::new(Handler {
                pre,
                logs: Logs::Inherited,
            }),
            stop: Arc::new(Notify::new()),
        })
    }

    /// Sends the handlers' stdout and stderr, and the server's reports of
    /// failed requests, to these files instead of this process's streams.
    ///
    /// ```
    /// # let component = wat::parse_str(r#"(component
    /// # (import "wasi:http/types@0.2.0" (instance $t (export "incoming-request" (type (sub resource))) (export "response-outparam" (type (sub resource)))))
    /// # (alias export $t "incoming-request" (type $rq)) (alias export $t "response-outparam" (type $ro))
    /// # (core module $m (func (export "handle") (param i32 i32))) (core instance $i (instantiate $m))
    /// # (func $h (param "request" (own $rq)) (param "response-out" (own $ro)) (canon lift (core func $i "handle")))
    /// # (instance $ih (export "handle" (func $h))) (export "wasi:http/incoming-handler@0.2.0" (instance $ih)))"#)?;
    /// let logs = tempfile::tempdir()?;
    /// let stdout = std::fs::File::create(logs.path().join("stdout.log"))?;
    /// let stderr = std::fs::File::create(logs.path().join("stderr.log"))?;
    /// let server = wasi_upgrade::serve::Server::bind(&component, "127.0.0.1:0".parse()?)?
    ///     .log_to(stdout, stderr);
    /// # server.stopper().stop();
    /// server.run()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn log_to(mut self, stdout: File, stderr: File) -> Server {
        self.handler = Arc::new(Handler {
            pre: self.handler.pre.clone(),
            logs: Logs::Files {
                stdout: OutputFile::new(stdout),
                stderr: OutputFile::new(stderr),
            },
        });
        self
    }

    /// The address the server listens on.
    ///
    /// ```
    /// # let component = wat::parse_str(r#"(component
    /// # (import "wasi:http/types@0.2.0" (instance $t (export "incoming-request" (type (sub resource))) (export "response-outparam" (type (sub resource)))))
    /// # (alias export $t "incoming-request" (type $rq)) (alias export $t "response-outparam" (type $ro))
    /// # (core module $m (func (export "handle") (param i32 i32))) (core instance $i (instantiate $m))
    /// # (func $h (param "request" (own $rq)) (param "response-out" (own $ro)) (canon lift (core func $i "handle")))
    /// # (instance $ih (export "handle" (func $h))) (export "wasi:http/incoming-handler@0.2.0" (instance $ih)))"#)?;
    /// let server = wasi_upgrade::serve::Server::bind(&component, "127.0.0.1:0".parse()?)?;
    /// assert_ne!(server.local_addr().port(), 0, "port 0 picks a free port");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound TCP listener has an address")
    }

    /// A handle that ends [`Server::run`].
    ///
    /// ```
    /// # let component = wat::parse_str(r#"(component
    /// # (import "wasi:http/types@0.2.0" (instance $t (export "incoming-request" (type (sub resource))) (export "response-outparam" (type (sub resource)))))
    /// # (alias export $t "incoming-request" (type $rq)) (alias export $t "response-outparam" (type $ro))
    /// # (core module $m (func (export "handle") (param i32 i32))) (core instance $i (instantiate $m))
    /// # (func $h (param "request" (own $rq)) (param "response-out" (own $ro)) (canon lift (core func $i "handle")))
    /// # (instance $ih (export "handle" (func $h))) (export "wasi:http/incoming-handler@0.2.0" (instance $ih)))"#)?;
    /// let server = wasi_upgrade::serve::Server::bind(&component, "127.0.0.1:0".parse()?)?;
    /// let stopper = server.stopper();
    /// std::thread::spawn(move || stopper.stop());
    /// server.run()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn stopper(&self) -> Stopper {
        Stopper(self.stop.clone())
    }

    /// Serves requests until stopped (or, from the command line, until the
    /// process is interrupted). Must not be called from async code: it runs
    /// the server's own runtime.
    ///
    /// ```
    /// # let component = wat::parse_str(r#"(component
    /// # (import "wasi:http/types@0.2.0" (instance $t (export "incoming-request" (type (sub resource))) (export "response-outparam" (type (sub resource)))))
    /// # (alias export $t "incoming-request" (type $rq)) (alias export $t "response-outparam" (type $ro))
    /// # (core module $m (func (export "handle") (param i32 i32))) (core instance $i (instantiate $m))
    /// # (func $h (param "request" (own $rq)) (param "response-out" (own $ro)) (canon lift (core func $i "handle")))
    /// # (instance $ih (export "handle" (func $h))) (export "wasi:http/incoming-handler@0.2.0" (instance $ih)))"#)?;
    /// let server = wasi_upgrade::serve::Server::bind(&component, "127.0.0.1:0".parse()?)?;
    /// let address = server.local_addr();
    /// let stopper = server.stopper();
    /// let serving = std::thread::spawn(move || server.run());
    /// // The handler answers nothing, so the server answers 500 for it.
    /// let mut connection = std::net::TcpStream::connect(address)?;
    /// std::io::Write::write_all(&mut connection, b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")?;
    /// let mut response = String::new();
    /// std::io::Read::read_to_string(&mut connection, &mut response)?;
    /// assert!(response.starts_with("HTTP/1.1 500"), "{response}");
    /// stopper.stop();
    /// serving.join().unwrap()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn run(self) -> Result<(), HostError> {
        let Server {
            runtime,
            listener,
            handler,
            stop,
        } = self;
        runtime.block_on(async move {
            loop {
                let accepted = tokio::select! {
                    () = stop.notified() => return Ok(()),
                    accepted = listener.accept() => accepted,
                };
                let (client, _) = accepted.map_err(|e| HostError::new("accepting a connection", e))?;
                let handler = handler.clone();
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |request| {
                        let handler = handler.clone();
                        async move { Ok::<_, std::convert::Infallible>(handler.handle(request).await) }
                    });
                    // A client that goes away mid-request is its own business.
                    let _ = http1::Builder::new()
                        .keep_alive(true)
                        .serve_connection(TokioIo::new(client), service)
                        .await;
                });
            }
        })
    }
}

/// What every request's instance is made from.
struct Handler {
    pre: ProxyPre<Instance>,
    logs: Logs,
}

enum Logs {
    Inherited,
    Files {
        stdout: OutputFile,
        stderr: OutputFile,
    },
}

impl Handler {
    /// The handler's response, or a `500` saying why there is none.
    async fn handle(
        &self,
        request: hyper::Request<hyper::body::Incoming>,
    ) -> hyper::Response<HyperOutgoingBody> {
        let path = request.uri().path().to_owned();
        match self.respond(request).await {
            Ok(response) => response,
            Err(error) => {
                let message = format!("the handler failed on {path}: {}", describe_failure(&error));
                self.report(&message);
                let body = Full::new(Bytes::from(message + "\n"))
                    .map_err(|never| match never {})
                    .boxed_unsync();
                let mut response = hyper::Response::new(body);
                *response.status_mut() = hyper::StatusCode::INTERNAL_SERVER_ERROR;
                response
            }
        }
    }

    async fn respond(
        &self,
        request: hyper::Request<hyper::body::Incoming>,
    ) -> wasmtime::Result<hyper::Response<HyperOutgoingBody>> {
        let mut wasi = WasiCtx::builder();
        match &self.logs {
            Logs::Inherited => {
                wasi.inherit_stdout().inherit_stderr();
            }
            Logs::Files { stdout, stderr } => {
                wasi.stdout(stdout.clone()).stderr(stderr.clone());
            }
        }
        let mut store = Store::new(self.pre.engine(), Instance::new(wasi.build()));
        let (sender, receiver) = tokio::sync::oneshot::channel();
        let request = store
            .data_mut()
            .http()
            .new_incoming_request(Scheme::Http, request)?;
        let response_out = store.data_mut().http().new_response_outparam(sender)?;
        let pre = self.pre.clone();
        // The handler may go on streaming the body after it has set the
        // response, so it runs in a task of its own.
        let handling = tokio::spawn(async move {
            let proxy = pre.instantiate_async(&mut store).await?;
            proxy
                .wasi_http_incoming_handler()
                .call_handle(&mut store, request, response_out)
                .await
        });
        match receiver.await {
            Ok(Ok(response)) => Ok(response),
            Ok(Err(code)) => Err(wasmtime::format_err!(
                "the handler answered with an error: {code:?}"
            )),
            // The response was dropped unset: the handler returned without
            // setting one, or failed (e.g. trapped) first.
            Err(_) => match handling.await {
                Ok(Ok(())) => Err(wasmtime::format_err!(
                    "the handler returned without setting a response"
                )),
                Ok(Err(error)) => Err(error),
                Err(join_error) => Err(wasmtime::format_err!("{join_error}")),
            },
        }
    }

    /// Reports a failed request where the handlers' stderr goes.
    fn report(&self, message: &str) {
        let line = format!("wasi-upgrade: error: {message}\n");
        match &self.logs {
            Logs::Inherited => {
                let _ = std::io::stderr().write_all(line.as_bytes());
            }
            Logs::Files { stderr, .. } => {
                use wasmtime_wasi::cli::StdoutStream;
                let mut stream = stderr.p2_stream();
                let _ = stream.write(Bytes::from(line));
                let _ = stream.flush();
            }
        }
    }
}
