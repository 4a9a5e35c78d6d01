//! A TCP echo server on the listener its host puts at fd 3, the preview1
//! convention. It serves the number of connections given as its argument,
//! one after another, then exits with status 3. Connections 0 and 1 go
//! through `sock_recv` (0 with `RECV_WAITALL`) and `sock_send` with several
//! iovecs, the others through `std` (`fd_read` / `fd_write`); all echo in
//! small pieces, so the client's data arrives in partial reads. Connection
//! 2 is non-blocking and waits in `poll_oneoff` whenever it would block; it
//! greets its client with `ready` first, which the C server does not.
//! Connection 3 is accepted with `sock_accept(NONBLOCK)`. Prints only what
//! does not depend on timing.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::os::fd::{AsRawFd, FromRawFd};

use wasi_upgrade_test_programs::{clock_subscription, describe, fd_subscription};

const LISTENER: u32 = 3;

/// Blocks until `fd` is ready for `event` (reading also means a connection
/// waiting on a listener), through `poll_oneoff` with a long timeout beside it.
fn wait_until_ready(fd: u32, event: wasi::Eventtype) {
    let subscriptions = [
        fd_subscription(1, event, fd),
        clock_subscription(2, wasi::CLOCKID_MONOTONIC, 60_000_000_000, 0),
    ];
    let mut events: [wasi::Event; 2] = unsafe { std::mem::zeroed() };
    let n = unsafe { wasi::poll_oneoff(subscriptions.as_ptr(), events.as_mut_ptr(), 2) }
        .expect("poll_oneoff on the listener");
    let ready = events[..n]
        .iter()
        .any(|e| e.userdata == 1 && e.error == wasi::ERRNO_SUCCESS);
    assert!(ready, "fd {fd} not ready within 60s");
}

fn accept(listener: &TcpListener) -> TcpStream {
    loop {
        match listener.accept() {
            Ok((stream, _)) => return stream,
            Err(e) if e.kind() == ErrorKind::WouldBlock => wait_until_ready(LISTENER, wasi::EVENTTYPE_FD_READ),
            Err(e) => panic!("accept: {e}"),
        }
    }
}

/// Accepts through `sock_accept` itself, asking for a non-blocking connection.
fn accept_non_blocking() -> TcpStream {
    loop {
        match unsafe { wasi::sock_accept(LISTENER, wasi::FDFLAGS_NONBLOCK) } {
            Ok(fd) => return unsafe { TcpStream::from_raw_fd(fd as i32) },
            Err(wasi::ERRNO_AGAIN) => wait_until_ready(LISTENER, wasi::EVENTTYPE_FD_READ),
            Err(e) => panic!("sock_accept: {}", e.name()),
        }
    }
}

/// Echoes through `std`; a non-blocking stream waits in `poll_oneoff`
/// whenever it would block.
fn echo_with_std(mut stream: TcpStream) -> usize {
    let fd = stream.as_raw_fd() as u32;
    let mut piece = [0u8; 7];
    let mut total = 0;
    loop {
        let n = match stream.read(&mut piece) {
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::WouldBlock => {
                wait_until_ready(fd, wasi::EVENTTYPE_FD_READ);
                continue;
            }
            Err(e) => panic!("read: {e}"),
        };
        if n == 0 {
            break;
        }
        let mut sent = 0;
        while sent < n {
            match stream.write(&piece[sent..n]) {
                Ok(m) => sent += m,
                Err(e) if e.kind() == ErrorKind::WouldBlock => wait_until_ready(fd, wasi::EVENTTYPE_FD_WRITE),
                Err(e) => panic!("write: {e}"),
            }
        }
        total += n;
    }
    stream.shutdown(Shutdown::Write).expect("shutdown");
    total
}

/// Echoes through `sock_recv` (with `flags`) and `sock_send`, and says how
/// much each `sock_recv` returned.
fn echo_with_sock_calls(stream: TcpStream, flags: wasi::Riflags) -> (usize, Vec<usize>) {
    let fd = stream.as_raw_fd() as u32;
    let (mut head, mut tail) = ([0u8; 3], [0u8; 5]);
    let mut total = 0;
    let mut reads = Vec::new();
    loop {
        let iovecs = [
            wasi::Iovec { buf: head.as_mut_ptr(), buf_len: head.len() },
            wasi::Iovec { buf: tail.as_mut_ptr(), buf_len: tail.len() },
        ];
        let (n, _) = unsafe { wasi::sock_recv(fd, &iovecs, flags) }.expect("sock_recv");
        reads.push(n);
        if n == 0 {
            break;
        }
        let received: Vec<u8> = head.iter().chain(&tail).take(n).copied().collect();
        let mut sent = 0;
        while sent < n {
            let rest = &received[sent..];
            let split = rest.len().min(2);
            let ciovecs = [
                wasi::Ciovec { buf: rest.as_ptr(), buf_len: split },
                wasi::Ciovec { buf: rest[split..].as_ptr(), buf_len: rest.len() - split },
            ];
            sent += unsafe { wasi::sock_send(fd, &ciovecs, 0) }.expect("sock_send");
        }
        total += n;
    }
    unsafe { wasi::sock_shutdown(fd, wasi::SDFLAGS_WR) }.expect("sock_shutdown");
    (total, reads)
}

fn report_errors_on_the_wrong_fds() {
    let mut accepted = 0;
    let accept_stdout = unsafe { wasi::sock_accept(1, 0) }.map(|fd| accepted = fd);
    println!("sock_accept on stdout: {}", describe(&accept_stdout));
    let accept_closed = unsafe { wasi::sock_accept(99, 0) }.map(|fd| accepted = fd);
    println!("sock_accept on fd 99: {}", describe(&accept_closed));
    let shutdown_listener = unsafe { wasi::sock_shutdown(LISTENER, wasi::SDFLAGS_WR) };
    println!("sock_shutdown on the listener: {}", describe(&shutdown_listener));
    let mut byte = [0u8; 1];
    let iovecs = [wasi::Iovec { buf: byte.as_mut_ptr(), buf_len: 1 }];
    let recv_listener = unsafe { wasi::sock_recv(LISTENER, &iovecs, 0) }.map(|_| ());
    println!("sock_recv on the listener: {}", describe(&recv_listener));
    let seek_listener = unsafe { wasi::fd_seek(LISTENER, 0, wasi::WHENCE_CUR) };
    println!("fd_seek on the listener: {}", describe(&seek_listener.map(|_| ())));
    assert_eq!(accepted, 0);
}

fn main() {
    let connections: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .expect("usage: echo_server CONNECTIONS");
    let stat = unsafe { wasi::fd_fdstat_get(LISTENER) }.expect("fd_fdstat_get(3)");
    println!(
        "fd 3: {}, accept right {}, non-blocking {}",
        stat.fs_filetype.name(),
        stat.fs_rights_base & wasi::RIGHTS_SOCK_ACCEPT != 0,
        stat.fs_flags & wasi::FDFLAGS_NONBLOCK != 0
    );
    let prestat = unsafe { wasi::fd_prestat_get(LISTENER) }.map(|_| ());
    println!("fd_prestat_get(3): {}", describe(&prestat));
    report_errors_on_the_wrong_fds();

    let listener = unsafe { TcpListener::from_raw_fd(LISTENER as i32) };
    listener.set_nonblocking(true).expect("set_nonblocking");
    let mut total = 0;
    for index in 0..connections {
        let mut stream = if index == 3 { accept_non_blocking() } else { accept(&listener) };
        let stat = unsafe { wasi::fd_fdstat_get(stream.as_raw_fd() as u32) }.expect("fdstat");
        let peek = {
            let mut byte = [0u8; 1];
            let iovecs = [wasi::Iovec { buf: byte.as_mut_ptr(), buf_len: 1 }];
            unsafe { wasi::sock_recv(stream.as_raw_fd() as u32, &iovecs, wasi::RIFLAGS_RECV_PEEK) }.map(|_| ())
        };
        // Connection 2 is served without blocking, as event loops do. Its
        // client waits for `ready` before sending, so the first read must
        // find nothing there.
        let nonblocking = index == 2;
        stream.set_nonblocking(nonblocking).expect("set_nonblocking");
        if nonblocking {
            let early = stream.read(&mut [0u8; 1]).map_err(|e| e.kind());
            println!("connection 2 before its client sends: {early:?}");
            stream.write_all(b"ready\n").expect("greeting");
        }
        if index == 3 {
            // It was accepted non-blocking; `set_nonblocking(false)` above
            // has made it blocking again.
            println!(
                "connection 3 accepted with NONBLOCK: {}",
                stat.fs_flags & wasi::FDFLAGS_NONBLOCK != 0
            );
        }
        let echoed = match index {
            // The client sends connection 0 in pieces with pauses between:
            // with RECV_WAITALL every read but the last fills both iovecs.
            0 | 1 => {
                let flags = if index == 0 { wasi::RIFLAGS_RECV_WAITALL } else { 0 };
                let (echoed, reads) = echo_with_sock_calls(stream, flags);
                if index == 0 {
                    println!("connection 0 with RECV_WAITALL reads {reads:?}");
                }
                echoed
            }
            _ => echo_with_std(stream),
        };
        println!(
            "connection {index}: {}, peek {}, nonblocking {nonblocking}, echoed {echoed} bytes",
            stat.fs_filetype.name(),
            describe(&peek)
        );
        total += echoed;
    }
    println!("served {connections} connections, {total} bytes");
    std::process::exit(3);
}
