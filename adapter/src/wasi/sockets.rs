//! `wasi:sockets`: TCP sockets, as far as a preview1 program can use them.
//!
//! Preview1 has no call that creates a socket: a program only ever gets
//! listeners its host handed it and the connections it accepts on them. So
//! the adapter needs the creating half (`tcp-create-socket`,
//! `instance-network`, binding and listening) only to set up those
//! listeners, and the rest (accept, subscribe, shutdown, drop) for what the
//! program does with them.

use super::ReturnArea;
use super::io::{InputStream, OutputStream, Pollable};

// The `proxy` build serves `wasi:http/proxy`, which has no sockets; no
// socket ever exists there, so `absent` only has to fill in the names.
#[cfg(feature = "proxy")]
use super::absent::sockets::*;

#[cfg(not(feature = "proxy"))]
#[link(wasm_import_module = "wasi:sockets/tcp@0.2.12")]
unsafe extern "C" {
    #[link_name = "[method]tcp-socket.accept"]
    fn accept_import(handle: u32, ret: *mut u8);
    #[link_name = "[method]tcp-socket.subscribe"]
    fn subscribe_import(handle: u32) -> u32;
    #[link_name = "[method]tcp-socket.shutdown"]
    fn shutdown_import(handle: u32, how: u32, ret: *mut u8);
    #[link_name = "[resource-drop]tcp-socket"]
    fn drop_tcp_socket(handle: u32);
}

#[cfg(feature = "listener")]
#[link(wasm_import_module = "wasi:sockets/tcp@0.2.12")]
unsafe extern "C" {
    #[link_name = "[method]tcp-socket.start-bind"]
    fn start_bind_import(
        handle: u32,
        network: u32,
        case: u32,
        port: u32,
        w0: u32,
        w1: u32,
        w2: u32,
        w3: u32,
        w4: u32,
        w5: u32,
        w6: u32,
        w7: u32,
        w8: u32,
        w9: u32,
        ret: *mut u8,
    );
    #[link_name = "[method]tcp-socket.finish-bind"]
    fn finish_bind_import(handle: u32, ret: *mut u8);
    #[link_name = "[method]tcp-socket.start-listen"]
    fn start_listen_import(handle: u32, ret: *mut u8);
    #[link_name = "[method]tcp-socket.finish-listen"]
    fn finish_listen_import(handle: u32, ret: *mut u8);
}

#[cfg(feature = "listener")]
#[link(wasm_import_module = "wasi:sockets/tcp-create-socket@0.2.12")]
unsafe extern "C" {
    #[link_name = "create-tcp-socket"]
    fn create_tcp_socket_import(family: u32, ret: *mut u8);
}

#[cfg(feature = "listener")]
#[link(wasm_import_module = "wasi:sockets/instance-network@0.2.12")]
unsafe extern "C" {
    #[link_name = "instance-network"]
    fn instance_network_import() -> u32;
}

#[cfg(feature = "listener")]
#[link(wasm_import_module = "wasi:sockets/network@0.2.12")]
unsafe extern "C" {
    #[link_name = "[resource-drop]network"]
    fn drop_network(handle: u32);
}

/// `wasi:sockets/network.error-code`, as its WIT discriminant.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct SocketError(pub u8);

impl SocketError {
    pub const WOULD_BLOCK: SocketError = SocketError(8);
    pub const INVALID_STATE: SocketError = SocketError(9);
}

/// `result<_, error-code>`: discriminant at 0, code at 1.
fn unit_result(ret: &ReturnArea) -> Result<(), SocketError> {
    if ret.u8_at(0) == 0 {
        Ok(())
    } else {
        Err(SocketError(ret.u8_at(1)))
    }
}

/// `shutdown-type`.
#[derive(Clone, Copy)]
#[repr(u32)]
pub enum Shutdown {
    Receive = 0,
    Send = 1,
    Both = 2,
}

/// A borrowed `tcp-socket`: the fd table owns the handle.
#[derive(Clone, Copy)]
#[repr(transparent)]
pub struct TcpSocket(pub u32);

/// What `accept` hands over: the connection and its two streams, each owned
/// by the caller from then on.
pub struct Accepted {
    pub socket: TcpSocket,
    pub input: InputStream,
    pub output: OutputStream,
}

impl TcpSocket {
    /// Takes one pending connection, or `would-block` if there is none.
    pub fn accept(self) -> Result<Accepted, SocketError> {
        let mut ret = ReturnArea::new();
        // SAFETY: live handle; the host writes a `result<tuple<tcp-socket,
        // input-stream, output-stream>, error-code>`.
        unsafe { accept_import(self.0, ret.as_mut_ptr()) };
        if ret.u8_at(0) != 0 {
            return Err(SocketError(ret.u8_at(4)));
        }
        Ok(Accepted {
            socket: TcpSocket(ret.u32_at(4)),
            input: InputStream(ret.u32_at(8)),
            output: OutputStream(ret.u32_at(12)),
        })
    }

    pub fn subscribe(self) -> Pollable {
        // SAFETY: live handle; the result is a new owned pollable.
        Pollable::from_handle(unsafe { subscribe_import(self.0) })
    }

    pub fn shutdown(self, how: Shutdown) -> Result<(), SocketError> {
        let mut ret = ReturnArea::new();
        // SAFETY: live handle; the host writes a `result<_, error-code>`.
        unsafe { shutdown_import(self.0, how as u32, ret.as_mut_ptr()) };
        unit_result(&ret)
    }

    /// Releases the handle; the caller must not use `self` again, and must
    /// have released the socket's streams first (they are its children).
    pub fn drop_handle(self) {
        // SAFETY: the fd table hands each socket to exactly one drop.
        unsafe { drop_tcp_socket(self.0) }
    }
}

/// An `ip-socket-address` flattened as the canonical ABI passes it: the case,
/// then the IPv6 payload's eleven slots, of which IPv4 uses the first five
/// (port, then the four address bytes).
#[cfg(feature = "listener")]
#[derive(Clone, Copy, Default)]
pub struct FlatAddress {
    pub ipv6: u32,
    pub port: u32,
    /// IPv4: the four bytes. IPv6: flow info, then the eight segments; the
    /// scope id follows.
    pub words: [u32; 10],
}

/// Creates a TCP socket of the address's family, bound to it and listening.
#[cfg(feature = "listener")]
pub fn listen(address: &FlatAddress) -> Result<TcpSocket, SocketError> {
    let mut ret = ReturnArea::new();
    // SAFETY: the host writes a `result<tcp-socket, error-code>`.
    unsafe { create_tcp_socket_import(address.ipv6, ret.as_mut_ptr()) };
    if ret.u8_at(0) != 0 {
        return Err(SocketError(ret.u8_at(4)));
    }
    let socket = TcpSocket(ret.u32_at(4));
    let bound = bind_and_listen(socket, address);
    if bound.is_err() {
        socket.drop_handle();
    }
    bound.map(|()| socket)
}

#[cfg(feature = "listener")]
fn bind_and_listen(socket: TcpSocket, address: &FlatAddress) -> Result<(), SocketError> {
    let mut ret = ReturnArea::new();
    // SAFETY: returns a new owned `network`, dropped below.
    let network = unsafe { instance_network_import() };
    let [w0, w1, w2, w3, w4, w5, w6, w7, w8, w9] = address.words;
    // SAFETY: live handles, and the address flattened as the canonical ABI
    // passes it; the host writes a `result<_, error-code>`.
    unsafe {
        start_bind_import(
            socket.0,
            network,
            address.ipv6,
            address.port,
            w0,
            w1,
            w2,
            w3,
            w4,
            w5,
            w6,
            w7,
            w8,
            w9,
            ret.as_mut_ptr(),
        )
    };
    // SAFETY: the network was only borrowed by `start-bind`.
    unsafe { drop_network(network) };
    unit_result(&ret)?;
    // SAFETY: `socket.0` is a live handle, and `finish` passes a return area
    // that holds a `result<_, error-code>`.
    finish(socket, |ret| unsafe { finish_bind_import(socket.0, ret) })?;
    // SAFETY: `socket.0` is a live handle and `ret` fits the result.
    unsafe { start_listen_import(socket.0, ret.as_mut_ptr()) };
    unit_result(&ret)?;
    // SAFETY: as for `finish-bind` above.
    finish(socket, |ret| unsafe { finish_listen_import(socket.0, ret) })
}

/// Completes a two-phase socket operation, waiting while it says `would-block`.
#[cfg(feature = "listener")]
fn finish(socket: TcpSocket, call: impl Fn(*mut u8)) -> Result<(), SocketError> {
    loop {
        let mut ret = ReturnArea::new();
        call(ret.as_mut_ptr());
        match unit_result(&ret) {
            Err(SocketError::WOULD_BLOCK) => socket.subscribe().block(),
            done => return done,
        }
    }
}
