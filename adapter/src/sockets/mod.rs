//! `sock_*`, and the socket side of `fd_read` and `fd_write`.
//!
//! A preview1 program cannot create sockets; it serves on listeners its host
//! put in the fd table before it started (`listener`) and on the
//! connections it accepts from them. A connection is a `tcp-socket` with
//! its two streams; reads and writes go through the streams, so `fd_read`
//! and `fd_write` work on it as they do on pipes.

#[cfg(feature = "listener")]
pub mod listener;

use crate::abi::{Errno, Fd, Result, fdflags, riflags, sdflags};
use crate::arguments;
use crate::entry::preview1_call;
use crate::fd_table::{Connection, FdEntry, Listener};
use crate::iovecs::{Scatter, gather, scatter, total_len};
use crate::state::{State, guest};
use crate::wasi::io::StreamError;
use crate::wasi::sockets::{Shutdown, SocketError};

/// The errno of a failed stream operation on a connection: a closed stream
/// was shut down or closed by the peer, a failed one was broken.
fn stream_errno(error: StreamError) -> Errno {
    match error {
        StreamError::Closed => Errno::PIPE,
        StreamError::LastOperationFailed => Errno::CONNRESET,
    }
}

fn listener(state: &State, fd: Fd) -> Result<Listener> {
    match state.fds.get(fd)? {
        FdEntry::Listener(listener) => Ok(listener),
        // As on Linux, `accept` on a connected socket is invalid.
        FdEntry::Connection(_) => Err(Errno::INVAL),
        _ => Err(Errno::NOTSOCK),
    }
}

fn connection(state: &State, fd: Fd) -> Result<Connection> {
    match state.fds.get(fd)? {
        FdEntry::Connection(connection) => Ok(connection),
        // As on Linux: a listener has no connection to use or shut down.
        FdEntry::Listener(_) => Err(Errno::NOTCONN),
        _ => Err(Errno::NOTSOCK),
    }
}

/// Reads what has arrived into the iovecs, waiting for at least one byte
/// unless the connection is non-blocking. 0 means the peer is done sending.
pub fn receive(state: &State, connection: Connection, iovs: u32, count: u32) -> Result<u32> {
    let nonblocking = connection.flags & fdflags::NONBLOCK != 0;
    loop {
        let scatter = Scatter::prepare(state, iovs, count)?;
        if scatter.total == 0 {
            state.arena.clear_redirect();
            return Ok(0);
        }
        let wanted = u64::from(scatter.total);
        let result = if nonblocking {
            connection.input.read(wanted)
        } else {
            connection.input.blocking_read(wanted)
        };
        match result {
            Ok(bytes) if bytes.len > 0 => return scatter.finish(state, bytes),
            Ok(_) => {
                state.arena.clear_redirect();
                if nonblocking {
                    return Err(Errno::AGAIN);
                }
                connection.input.subscribe().block();
            }
            Err(StreamError::Closed) => {
                state.arena.clear_redirect();
                return Ok(0);
            }
            Err(error) => {
                state.arena.clear_redirect();
                return Err(stream_errno(error));
            }
        }
    }
}

/// `RECV_WAITALL`: waits until the iovecs are full or the peer stops
/// sending, then places everything at once.
fn receive_all(state: &State, connection: Connection, iovs: u32, count: u32) -> Result<u32> {
    let total = total_len(iovs, count)? as usize;
    let buffer = state.arena.alloc_scratch(1, total)? as *mut u8;
    let mut filled = 0usize;
    while filled < total {
        let dest = buffer.wrapping_add(filled);
        state.arena.redirect_next(dest, total - filled);
        match connection.input.blocking_read((total - filled) as u64) {
            Ok(bytes) => {
                if !core::ptr::eq(bytes.ptr, dest) && bytes.len > 0 {
                    // SAFETY: the host lowered `bytes` into scratch of this
                    // call, and it fits in the rest of `buffer`, which is
                    // separate scratch of `total` bytes.
                    unsafe {
                        core::ptr::copy_nonoverlapping(
                            bytes.ptr,
                            dest,
                            bytes.len.min(total - filled),
                        )
                    };
                }
                filled += bytes.len.min(total - filled);
            }
            Err(StreamError::Closed) => break,
            Err(error) if filled == 0 => {
                state.arena.clear_redirect();
                return Err(stream_errno(error));
            }
            Err(_) => break,
        }
    }
    state.arena.clear_redirect();
    // SAFETY: the first `filled` bytes of `buffer` were written above.
    scatter(iovs, count, unsafe {
        core::slice::from_raw_parts(buffer, filled)
    })
}

/// Sends the iovecs: all of them, or, on a non-blocking connection, as much
/// as the stream takes now.
pub fn send(state: &State, connection: Connection, iovs: u32, count: u32) -> Result<u32> {
    // SAFETY: the bytes go to the host within this call; nothing resets
    // scratch or writes the program's memory before then.
    let bytes = unsafe { gather(state, iovs, count) }?;
    if bytes.is_empty() {
        return Ok(0);
    }
    if connection.flags & fdflags::NONBLOCK == 0 {
        connection.output.write_all(bytes).map_err(stream_errno)?;
        return Ok(bytes.len() as u32);
    }
    match connection.output.write_some(bytes).map_err(stream_errno)? {
        0 => Err(Errno::AGAIN),
        sent => Ok(sent as u32),
    }
}

fn accept(state: &State, fd: Fd, flags: u32, result_fd: u32) -> Result<()> {
    let listener = listener(state, fd)?;
    if flags & !u32::from(fdflags::NONBLOCK) != 0 {
        return Err(Errno::INVAL);
    }
    state.fds.reserve_one()?;
    let accepted = loop {
        match listener.socket.accept() {
            Ok(accepted) => break accepted,
            Err(SocketError::WOULD_BLOCK) if listener.flags & fdflags::NONBLOCK == 0 => {
                listener.socket.subscribe().block()
            }
            Err(error) => return Err(error.into()),
        }
    };
    let fd = state.fds.insert(FdEntry::Connection(Connection {
        socket: accepted.socket,
        input: accepted.input,
        output: accepted.output,
        flags: flags as u16,
        sockets: listener.sockets,
    }))?;
    guest::write_u32(result_fd, fd)
}

fn recv(
    state: &State,
    fd: Fd,
    iovs: u32,
    count: u32,
    flags: u32,
    datalen: u32,
    oflags: u32,
) -> Result<()> {
    let connection = connection(state, fd)?;
    let flags = flags as u16;
    // A stream cannot give bytes back once read.
    if flags & riflags::RECV_PEEK != 0 {
        return Err(Errno::NOTSUP);
    }
    let waits_for_all =
        flags & riflags::RECV_WAITALL != 0 && connection.flags & fdflags::NONBLOCK == 0;
    let n = if waits_for_all {
        receive_all(state, connection, iovs, count)?
    } else {
        receive(state, connection, iovs, count)?
    };
    guest::write_u32(datalen, n)?;
    // No `roflags` apply to a stream socket.
    guest::write_u16(oflags, 0)
}

fn shutdown(state: &State, fd: Fd, how: u32) -> Result<()> {
    let connection = connection(state, fd)?;
    let how = match how as u8 {
        sdflags::RD => Shutdown::Receive,
        sdflags::WR => Shutdown::Send,
        both if both == sdflags::RD | sdflags::WR => Shutdown::Both,
        _ => return Err(Errno::INVAL),
    };
    connection
        .socket
        .shutdown(how)
        .map_err(|error| match error {
            SocketError::INVALID_STATE => Errno::NOTCONN,
            error => error.into(),
        })
}

#[unsafe(no_mangle)]
pub extern "C" fn sock_accept(fd: Fd, flags: u32, result_fd: u32) -> Errno {
    let flags = arguments::flags(flags, 16, fdflags::ALL.into());
    preview1_call(|state| accept(state, fd, flags, result_fd))
}

#[unsafe(no_mangle)]
pub extern "C" fn sock_recv(
    fd: Fd,
    ri_data: u32,
    ri_data_len: u32,
    ri_flags: u32,
    ro_datalen: u32,
    ro_flags: u32,
) -> Errno {
    let ri_flags = arguments::flags(
        ri_flags,
        16,
        (riflags::RECV_PEEK | riflags::RECV_WAITALL).into(),
    );
    preview1_call(|state| {
        recv(
            state,
            fd,
            ri_data,
            ri_data_len,
            ri_flags,
            ro_datalen,
            ro_flags,
        )
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn sock_send(
    fd: Fd,
    si_data: u32,
    si_data_len: u32,
    si_flags: u32,
    so_datalen: u32,
) -> Errno {
    let si_flags = arguments::integer(si_flags, 16);
    preview1_call(|state| {
        let connection = connection(state, fd)?;
        // Preview1 defines no `siflags`.
        if si_flags != 0 {
            return Err(Errno::INVAL);
        }
        guest::write_u32(so_datalen, send(state, connection, si_data, si_data_len)?)
    })
}

#[unsafe(no_mangle)]
pub extern "C" fn sock_shutdown(fd: Fd, how: u32) -> Errno {
    let how = arguments::flags(how, 8, (sdflags::RD | sdflags::WR).into());
    preview1_call(|state| shutdown(state, fd, how))
}
