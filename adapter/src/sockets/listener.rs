//! Listening sockets for servers, set up before `_start` runs.
//!
//! Preview1 hosts hand a server its listening socket as the first fd after
//! stdio (Wasmtime's old `--tcplisten`). WASI 0.2 has no way to pass a
//! socket into a component, but a component can make one: when the
//! environment has `WASI_UPGRADE_TCPLISTEN=ADDR[,ADDR…]`, the adapter binds
//! and listens on each address through `wasi:sockets` and puts the
//! listeners at fds 3, 4, … ahead of the preopened directories, in
//! non-blocking mode. Any 0.2
//! host that grants network access can therefore run such a server; the
//! program never sees the variable.
//!
//! Only the `listener` build has this (the CLI picks it for modules that
//! import `sock_accept`), so other programs do not import socket creation.
//!
//! There is no way to print a message without a data section, so a server
//! whose listeners cannot be set up exits before it starts, with
//! sysexits' codes: `EX_CONFIG` (78) for an address that does not parse,
//! `EX_OSERR` (71) for one that cannot be bound.

use crate::abi::fdflags;
use crate::args_env;
use crate::fd_table::{FdEntry, Listener, Sockets};
use crate::listen_variable::is_listen_variable;
use crate::state::State;
use crate::wasi::cli;
use crate::wasi::sockets::{self, FlatAddress};

const EX_CONFIG: u8 = 78;
const EX_OSERR: u8 = 71;

/// Creates the listeners the environment asks for, in order.
pub fn set_up(state: &State) {
    for index in 0.. {
        // Each address is parsed onto the stack and the environment's
        // scratch given back before the table may grow into the arena.
        let mark = state.arena.scratch_mark();
        let address = requested_address(index);
        state.arena.reset_scratch(mark);
        let address = match address {
            Requested::Address(address) => address,
            Requested::Malformed => cli::exit_with_code(EX_CONFIG),
            Requested::NoMore => return,
        };
        let Ok(socket) = sockets::listen(&address) else {
            cli::exit_with_code(EX_OSERR)
        };
        // Non-blocking, as Wasmtime's `--tcplisten` made them: Go's runtime
        // only polls a descriptor it is handed if it already is.
        let listener = FdEntry::Listener(Listener {
            socket,
            flags: fdflags::NONBLOCK,
            sockets: Sockets::Possible,
        });
        if state.fds.add_before_preopens(listener).is_err() {
            cli::exit_with_code(EX_OSERR)
        }
    }
}

enum Requested {
    Address(FlatAddress),
    Malformed,
    NoMore,
}

/// The `index`-th address of the variable.
fn requested_address(index: usize) -> Requested {
    // SAFETY: `value` is used only below, before this function returns and
    // before anything resets scratch.
    let mut variables = unsafe { args_env::variables() };
    let Some((_, value)) = variables.find(|(name, _)| is_listen_variable(name)) else {
        return Requested::NoMore;
    };
    match value.split(|&byte| byte == b',').nth(index) {
        Some(text) => parse(text).map_or(Requested::Malformed, Requested::Address),
        None => Requested::NoMore,
    }
}

/// `A.B.C.D:PORT` or `[IPV6]:PORT`.
fn parse(text: &[u8]) -> Option<FlatAddress> {
    let colon = text.iter().rposition(|&byte| byte == b':')?;
    let (host, port) = (text.get(..colon)?, text.get(colon + 1..)?);
    let port = u16::try_from(decimal(port)?).ok()?;
    let mut address = FlatAddress {
        port: u32::from(port),
        ..FlatAddress::default()
    };
    match host {
        [b'[', inner @ .., b']'] => {
            address.ipv6 = 1;
            // The flow info (words[0]) and scope id (words[9]) stay 0.
            parse_ipv6(inner, &mut address.words[1..9])?;
        }
        _ => parse_ipv4(host, &mut address.words[..4])?,
    }
    Some(address)
}

fn decimal(text: &[u8]) -> Option<u32> {
    if text.is_empty() || text.len() > 5 {
        return None;
    }
    text.iter().try_fold(0u32, |value, &byte| {
        byte.is_ascii_digit()
            .then(|| value * 10 + u32::from(byte - b'0'))
    })
}

fn parse_ipv4(text: &[u8], octets: &mut [u32]) -> Option<()> {
    let mut parts = text.split(|&byte| byte == b'.');
    for octet in octets.iter_mut() {
        let part = parts.next()?;
        if part.len() > 3 {
            return None;
        }
        *octet = u32::from(u8::try_from(decimal(part)?).ok()?);
    }
    parts.next().is_none().then_some(())
}

/// Eight 16-bit groups in hex, where one `::` may stand for a run of zeros.
fn parse_ipv6(text: &[u8], segments: &mut [u32]) -> Option<()> {
    let gap = text.windows(2).position(|pair| pair == [b':', b':']);
    let (head, tail) = match gap {
        Some(at) => (text.get(..at)?, text.get(at + 2..)?),
        None => (text, &[][..]),
    };
    let head_count = groups(head, segments)?;
    if gap.is_none() {
        return (head_count == segments.len()).then_some(());
    }
    let mut tail_segments = [0u32; 8];
    let tail_count = groups(tail, &mut tail_segments)?;
    // `::` stands for at least one group of zeros, already in `segments`.
    if head_count + tail_count >= segments.len() {
        return None;
    }
    let start = segments.len() - tail_count;
    segments
        .get_mut(start..)?
        .copy_from_slice(tail_segments.get(..tail_count)?);
    Some(())
}

/// Parses `:`-separated hex groups into `segments`; says how many there were.
fn groups(text: &[u8], segments: &mut [u32]) -> Option<usize> {
    if text.is_empty() {
        return Some(0);
    }
    let mut count = 0;
    for group in text.split(|&byte| byte == b':') {
        if group.is_empty() || group.len() > 4 {
            return None;
        }
        let value = group.iter().try_fold(0u32, |value, &byte| {
            Some(value * 16 + char::from(byte).to_digit(16)?)
        })?;
        *segments.get_mut(count)? = value;
        count += 1;
    }
    Some(count)
}
