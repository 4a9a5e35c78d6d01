//! Runs an upgraded program (a `wasi:cli/command` component) on an embedded
//! Wasmtime through WASI 0.2 only, as `wasi-upgrade run` does.
//!
//! Wasmtime's own preview1 implementation is deliberately not linked: the
//! point of `run` is to show the program working through the adapter, as it
//! will on any other WASI 0.2 host.

use std::net::SocketAddr;
use std::path::PathBuf;

use wasmtime::{Store, Trap};
use wasmtime_wasi::p2::bindings::sync::Command;
use wasmtime_wasi::sockets::SocketAddrUse;
use wasmtime_wasi::{FsPerms, I32Exit, WasiCtx};

use crate::TCP_LISTEN_VARIABLE;
use crate::host::{HostError, Instance, compile, describe_failure};

/// What the program sees of the outside world.
pub struct Invocation {
    /// The program's arguments, its own name first.
    pub args: Vec<String>,
    /// The program's environment variables.
    pub env: Vec<(String, String)>,
    /// The host directories the program may use.
    pub preopens: Vec<Preopen>,
    /// Addresses to serve on: the adapter listens on each and hands the
    /// listeners to the program as fds 3, 4, …, as `wasmtime --tcplisten`
    /// did for preview1 servers.
    pub tcp_listen: Vec<SocketAddr>,
}

/// A host directory the program may use, under its name in the guest.
#[derive(Clone)]
pub struct Preopen {
    /// The directory on the host.
    pub host: PathBuf,
    /// Its name in the program.
    pub guest: String,
}

/// How a run ended, when it ran at all.
pub enum Outcome {
    /// The program returned or exited with this code.
    Exited(i32),
    /// The program trapped; the description fits on one line.
    Trapped(String),
}

/// Runs `component`, a `wasi:cli/command`, with the process's stdio.
///
/// Errors are the host's own (the component does not compile, a directory
/// cannot be opened); the program's fate is in the [`Outcome`].
pub fn run(component: &[u8], invocation: &Invocation) -> Result<Outcome, HostError> {
    let (component, linker) = compile(component, wasmtime_wasi::p2::add_to_linker_sync)?;

    let mut wasi = WasiCtx::builder();
    wasi.inherit_stdio()
        .args(&invocation.args)
        .envs(&invocation.env);
    if !invocation.tcp_listen.is_empty() {
        let addresses: Vec<String> = invocation
            .tcp_listen
            .iter()
            .map(ToString::to_string)
            .collect();
        wasi.env(TCP_LISTEN_VARIABLE, addresses.join(","));
        // The program may bind exactly the addresses it was given; it
        // cannot connect anywhere, since preview1 has no call for that.
        let allowed = invocation.tcp_listen.clone();
        wasi.allow_tcp(true)
            .socket_addr_check(move |address, used| {
                let permitted = match used {
                    SocketAddrUse::TcpBind => allowed.contains(&address),
                    SocketAddrUse::TcpListen | SocketAddrUse::TcpAccept => true,
                    SocketAddrUse::TcpConnect
                    | SocketAddrUse::UdpBind
                    | SocketAddrUse::UdpSend
                    | SocketAddrUse::UdpReceive => false,
                };
                Box::pin(async move { permitted })
            });
    }
    for preopen in &invocation.preopens {
        wasi.preopened_dir(&preopen.host, &preopen.guest, FsPerms::ReadWrite)
            .map_err(|e| {
                HostError::new(
                    format!("cannot open directory `{}`", preopen.host.display()),
                    e,
                )
            })?;
    }
    let mut store = Store::new(linker.engine(), Instance::new(wasi.build()));

    let command = Command::instantiate(&mut store, &component, &linker)
        .map_err(|e| HostError::new("the component cannot be instantiated", e))?;
    let ended = command.wasi_cli_run().call_run(&mut store);
    Ok(match ended {
        Ok(Ok(())) => Outcome::Exited(0),
        Ok(Err(())) => Outcome::Exited(1),
        Err(error) => match error.downcast_ref::<I32Exit>() {
            Some(I32Exit(code)) => Outcome::Exited(*code),
            None if error.is::<Trap>() => Outcome::Trapped(describe_failure(&error)),
            None => {
                return Err(HostError::new(
                    "the host failed while the program ran",
                    error,
                ));
            }
        },
    })
}
