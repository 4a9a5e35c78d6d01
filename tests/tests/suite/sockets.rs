//! Preview1 servers upgraded and serving on Wasmtime's WASI 0.2 host, with
//! this test as their client over loopback.
//!
//! No current host runs a preview1 server natively (Wasmtime 48's preview1
//! can no longer hand a program a socket), so the oracle here is what a real
//! client sees: every byte echoed back in order over several connections,
//! two of them open at once, with data sent in pieces and half-closed.

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use wasi_upgrade::TCP_LISTEN_VARIABLE;
use wasi_upgrade_tests::{Case, Exit, Outcome, WasmtimeServer};

/// The connections each server is told to serve, and the bytes the client
/// sends on them in total.
const CONNECTIONS: usize = 4;

/// An address on IPv4 loopback that was free a moment ago.
fn free_address() -> SocketAddr {
    free_address_on(Ipv4Addr::LOCALHOST.into())
}

fn free_address_on(ip: IpAddr) -> SocketAddr {
    let probe = TcpListener::bind((ip, 0)).expect("binding a probe listener");
    probe.local_addr().expect("the probe's address")
}

/// Connects, retrying while the server is still starting. A server that
/// stops answering fails the test after a minute instead of hanging it.
fn connect(address: SocketAddr) -> TcpStream {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        match TcpStream::connect(address) {
            Ok(stream) => {
                stream
                    .set_read_timeout(Some(Duration::from_secs(60)))
                    .expect("setting a read timeout");
                return stream;
            }
            Err(e) if Instant::now() < deadline => {
                let _ = e;
                thread::sleep(Duration::from_millis(20));
            }
            Err(e) => panic!("the server never listened on {address}: {e}"),
        }
    }
}

/// Sends `pieces` with pauses between them, half-closes, and returns
/// everything the server sent back until it closed its side.
fn exchange(mut stream: TcpStream, pieces: &[&[u8]]) -> Vec<u8> {
    let reader = {
        let mut stream = stream.try_clone().expect("cloning the client stream");
        thread::spawn(move || {
            let mut echoed = Vec::new();
            stream.read_to_end(&mut echoed).expect("reading the echo");
            echoed
        })
    };
    for piece in pieces {
        stream.write_all(piece).expect("sending");
        stream.flush().expect("flushing");
        thread::sleep(Duration::from_millis(10));
    }
    stream.shutdown(Shutdown::Write).expect("half-closing");
    reader.join().expect("the reader thread")
}

fn large_payload() -> Vec<u8> {
    (0..300_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect()
}

/// Whether the server greets the third connection with `ready` before it
/// expects data (the Rust one, to check a read that would block).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Greeting {
    None,
    ReadyOnThird,
}

/// Runs the client side against a server listening on `address`; returns
/// how many bytes it sent.
fn act_as_client(address: SocketAddr, greeting: Greeting) -> usize {
    let mut sent = 0;
    // One connection at a time: small pieces that arrive in partial reads.
    let pieces: &[&[u8]] = &[b"hello", b", ", b"partial ", b"world\n"];
    let echoed = exchange(connect(address), pieces);
    assert_eq!(
        echoed,
        pieces.concat(),
        "connection 0 echoed something else"
    );
    sent += echoed.len();

    // A large transfer, echoed while it is still being sent.
    let payload = large_payload();
    let echoed = exchange(
        connect(address),
        &payload.chunks(65_536).collect::<Vec<_>>(),
    );
    assert!(
        echoed == payload,
        "connection 1 echoed {} of {} bytes, or other bytes",
        echoed.len(),
        payload.len()
    );
    sent += echoed.len();

    // Two connections open at once: the second waits in the backlog and has
    // sent everything before the server accepts it.
    let mut first = connect(address);
    let second = connect(address);
    let second_done = thread::spawn(move || exchange(second, &[b"queued ", b"behind the first"]));
    if greeting == Greeting::ReadyOnThird {
        let mut ready = [0u8; 6];
        first.read_exact(&mut ready).expect("reading the greeting");
        assert_eq!(&ready, b"ready\n");
    }
    let echoed = exchange(first, &[b"served ", b"first"]);
    assert_eq!(echoed, b"served first");
    sent += echoed.len();
    let echoed = second_done.join().expect("the second client");
    assert_eq!(echoed, b"queued behind the first");
    sent += echoed.len();
    sent
}

/// Serves `case` (whose program is a server) on a fresh IPv4 address while
/// this test is its client; returns the server's outcome and the bytes sent.
fn serve(case: Case, greeting: Greeting) -> (Outcome, usize) {
    serve_on(case, free_address(), greeting)
}

fn serve_on(case: Case, address: SocketAddr, greeting: Greeting) -> (Outcome, usize) {
    let case = listening_on(case.args([CONNECTIONS.to_string()]), &address.to_string());
    let server = thread::spawn(move || wasi_upgrade_tests::run(&WasmtimeServer, &case));
    let sent = act_as_client(address, greeting);
    let outcome = server
        .join()
        .expect("the server thread")
        .expect("running the server");
    (outcome, sent)
}

fn listening_on(case: Case, addresses: &str) -> Case {
    case.env([(TCP_LISTEN_VARIABLE, addresses)])
}

/// The server exited with `code` after reporting every byte the client sent,
/// and printed each of `expected`.
fn assert_served(outcome: &Outcome, sent: usize, code: i32, expected: &[&str]) {
    let stdout = String::from_utf8_lossy(&outcome.stdout);
    let stderr = String::from_utf8_lossy(&outcome.stderr);
    assert!(
        outcome.exit.same_as(&Exit::Code(code)),
        "exit {:?}, not {code}; stdout:\n{stdout}\nstderr:\n{stderr}",
        outcome.exit
    );
    let served = format!("served {CONNECTIONS} connections, {sent} bytes");
    for line in expected.iter().copied().chain([served.as_str()]) {
        assert!(
            stdout.contains(line),
            "no `{line}` in stdout:\n{stdout}\nstderr:\n{stderr}"
        );
    }
}

#[test]
fn rust_echo_server() {
    let (outcome, sent) = serve(Case::new("rust/echo_server"), Greeting::ReadyOnThird);
    let expected = [
        "fd 3: SOCKET_STREAM, accept right true, non-blocking true",
        "fd_prestat_get(3): errno BADF",
        "sock_accept on stdout: errno NOTSOCK",
        "sock_accept on fd 99: errno BADF",
        "sock_shutdown on the listener: errno NOTCONN",
        "sock_recv on the listener: errno NOTCONN",
        "fd_seek on the listener: errno SPIPE",
        "connection 0: SOCKET_STREAM, peek errno NOTSUP, nonblocking false, echoed 21 bytes",
        "connection 1: SOCKET_STREAM, peek errno NOTSUP, nonblocking false, echoed 300000 bytes",
        "connection 2 before its client sends: Err(WouldBlock)",
        "connection 2: SOCKET_STREAM, peek errno NOTSUP, nonblocking true, echoed 12 bytes",
        "connection 0 with RECV_WAITALL reads [8, 8, 5, 0]",
        "connection 3 accepted with NONBLOCK: true",
        "connection 3: SOCKET_STREAM, peek errno NOTSUP, nonblocking false, echoed 23 bytes",
    ];
    assert_served(&outcome, sent, 3, &expected);
}

#[test]
fn c_echo_server() {
    let (outcome, sent) = serve(Case::new("c/c_echo_server"), Greeting::None);
    let expected = [
        "fstat(3): ok",
        "fd 3 is a socket: 1",
        "accept on stdout: ENOTSOCK",
        "shutdown on the listener: ENOTCONN",
        "O_NONBLOCK at start: 1",
        "fcntl(F_SETFL, blocking): ok",
        "O_NONBLOCK now set: 0",
        "connection 0: echoed 21 bytes",
        "connection 1: echoed 300000 bytes",
        "connection 2: echoed 12 bytes",
        "connection 3: echoed 23 bytes",
    ];
    assert_served(&outcome, sent, 4, &expected);
}

#[test]
fn rust_echo_server_on_ipv6_loopback() {
    let address = free_address_on(Ipv6Addr::LOCALHOST.into());
    let (outcome, sent) = serve_on(
        Case::new("rust/echo_server"),
        address,
        Greeting::ReadyOnThird,
    );
    assert_served(&outcome, sent, 3, &[]);
}

/// A listener that cannot be set up ends the server before `_start`, with
/// sysexits' `EX_CONFIG` for an address that does not parse and `EX_OSERR`
/// for one that cannot be bound; the program prints nothing.
#[test]
fn a_listener_that_cannot_be_set_up_ends_the_server_before_it_starts() {
    let taken = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("binding a listener");
    let taken = taken.local_addr().expect("its address").to_string();
    for (addresses, code) in [
        ("127.0.0.1", 78),
        ("127.0.0.1:99999", 78),
        ("localhost:8080", 78),
        ("[::1:8080", 78),
        ("1.2.3.4.5:80", 78),
        (taken.as_str(), 71),
    ] {
        let case = listening_on(Case::new("rust/echo_server").args(["1"]), addresses);
        let outcome = wasi_upgrade_tests::run(&WasmtimeServer, &case).expect("running the server");
        assert!(
            outcome.exit.same_as(&Exit::Code(code)) && outcome.stdout.is_empty(),
            "{TCP_LISTEN_VARIABLE}={addresses}: exit {:?} (not {code}), stdout {:?}",
            outcome.exit,
            String::from_utf8_lossy(&outcome.stdout)
        );
    }
}

/// The variable is the adapter's: a server's environment does not show it.
/// `rust/listener_env` imports `sock_accept`, so it gets the listener build,
/// which reads the variable; the listener at fd 3 shows it did.
#[test]
fn the_listen_variable_is_hidden_from_the_program() {
    let address = free_address().to_string();
    let case = listening_on(
        Case::new("rust/listener_env").env([("VISIBLE", "yes")]),
        &address,
    );
    let outcome =
        wasi_upgrade_tests::run(&WasmtimeServer, &case).expect("running rust/listener_env");
    let stdout = String::from_utf8_lossy(&outcome.stdout);
    assert_eq!(
        stdout,
        "fd 3: ok \"SOCKET_STREAM\"\n\
         sock_accept with no client: errno AGAIN\n\
         1 variables:\n\
         VISIBLE=yes\n",
        "stderr: {}",
        String::from_utf8_lossy(&outcome.stderr)
    );
    assert!(outcome.exit.same_as(&Exit::Code(0)), "{:?}", outcome.exit);
}

#[test]
fn go_echo_server() {
    let (outcome, sent) = serve(Case::new("go/echo_server"), Greeting::None);
    assert_served(
        &outcome,
        sent,
        5,
        &["listening: *net.TCPListener", "echoed [12 21 23 300000]"],
    );
}
