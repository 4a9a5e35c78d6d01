//! `poll_oneoff`, answering as native preview1 on Wasmtime does.
//!
//! Native checks the subscriptions in order and fails the whole call at the
//! first it cannot poll: a CPU-time clock (`EINVAL`), an fd that is not open
//! or cannot be polled in that direction (`EBADF`). Then it reports the
//! subscriptions ready at the first moment any is, which depends on how its
//! host makes each one ready. The adapter reproduces that moment without
//! relying on the host's timing, in the looks native takes:
//!
//! 1. its first look: files (a write is ready at once; a read starts on a
//!    blocking thread, which may finish while native still looks),
//!    and streams (stdio, sockets) that are ready at once;
//! 2. after yielding once: clocks whose deadline has passed (Wasmtime's
//!    expired timers yield once before they are ready), and streams ready
//!    by then;
//! 3. otherwise, whatever the host's `poll` finds ready first among the
//!    running clocks and streams.
//!
//! Native itself is not the same on every run where a file read meets
//! something else ready (`tests/README.md`, "poll-mixed-readiness"): the
//! adapter always gives the answer where the read finished in time.
//!
//! A file read's event says `nbytes` 1 and flags `HANGUP` at its end, a
//! write's `nbytes` 1, as native's do.

use crate::abi::{Errno, NATIVE_COPY_BUDGET, Result, clockid, event, eventtype, subscription};
use crate::clocks;
use crate::entry::preview1_call;
use crate::fd_table::FdEntry;
use crate::state::{State, guest};
use crate::wasi::clocks as wasi_clocks;
use crate::wasi::io::{self, Pollable};

/// One subscription as read from the program.
struct Subscription {
    userdata: u64,
    tag: u8,
    clock_id: u32,
    timeout: u64,
    flags: u16,
    fd: u32,
}

/// Reads subscription `index`, refusing the values native's reading
/// refuses (`EINVAL`): an unknown event type, clock id or clock flag.
fn read_subscription(subs: u32, index: u32) -> Result<Subscription> {
    use subscription::*;
    let record = guest::read_record::<{ SIZE as usize }>(guest::offset(subs, index, SIZE, 0)?, 8)?;
    let sub = Subscription {
        userdata: record.u64_at(USERDATA as usize),
        tag: record.u8_at(TAG as usize),
        clock_id: record.u32_at(CLOCK_ID as usize),
        timeout: record.u64_at(CLOCK_TIMEOUT as usize),
        flags: record.u16_at(CLOCK_FLAGS as usize),
        fd: record.u32_at(FD as usize),
    };
    let valid = match sub.tag {
        eventtype::CLOCK => sub.clock_id <= clockid::THREAD_CPUTIME && sub.flags & !ABSTIME == 0,
        eventtype::FD_READ | eventtype::FD_WRITE => true,
        _ => false,
    };
    if valid { Ok(sub) } else { Err(Errno::INVAL) }
}

/// How a subscription becomes ready (see the module docs).
enum Readiness {
    /// A file: at native's first look.
    File,
    /// A clock whose deadline has passed: after native yields once.
    Expired,
    /// A stream, socket or running clock: when its pollable is.
    Later(Pollable),
    /// Never, as for writing to a listening socket.
    Never,
}

impl Subscription {
    fn is_relative_clock(&self) -> bool {
        self.tag == eventtype::CLOCK && self.flags & subscription::ABSTIME == 0
    }

    /// How this subscription becomes ready, or the errno with which native
    /// fails the whole call because of it.
    fn readiness(&self, state: &State) -> Result<Readiness> {
        if self.tag == eventtype::CLOCK {
            return self.timer();
        }
        let reading = self.tag == eventtype::FD_READ;
        let entry = state.fds.get(self.fd)?;
        let pollable = match entry {
            FdEntry::File(_) => return Ok(Readiness::File),
            FdEntry::Stdin { .. } if reading => state.fds.input_stream(self.fd, entry)?.subscribe(),
            FdEntry::Stdout { .. } | FdEntry::Stderr { .. } if !reading => {
                state.fds.output_stream(self.fd, entry)?.subscribe()
            }
            FdEntry::Listener(listener) if reading => listener.socket.subscribe(),
            FdEntry::Listener(_) => return Ok(Readiness::Never),
            FdEntry::Connection(connection) if reading => connection.input.subscribe(),
            FdEntry::Connection(connection) => connection.output.subscribe(),
            _ => return Err(Errno::BADF),
        };
        Ok(Readiness::Later(pollable))
    }

    /// A clock subscription as a monotonic timer. 0.2 has timers on the
    /// monotonic clock only, so a realtime deadline becomes the distance to
    /// it, as native makes it; native has no CPU-time timers (`EINVAL`).
    fn timer(&self) -> Result<Readiness> {
        let absolute = self.flags & subscription::ABSTIME != 0;
        let remaining = match self.clock_id {
            clockid::MONOTONIC if absolute => {
                self.timeout.saturating_sub(wasi_clocks::monotonic_now())
            }
            clockid::REALTIME if absolute => {
                self.timeout.saturating_sub(clocks::now(self.clock_id)?)
            }
            clockid::MONOTONIC | clockid::REALTIME => self.timeout,
            _ => return Err(Errno::INVAL),
        };
        Ok(match remaining {
            0 => Readiness::Expired,
            _ if absolute && self.clock_id == clockid::MONOTONIC => {
                Readiness::Later(wasi_clocks::subscribe_instant(self.timeout))
            }
            remaining => Readiness::Later(wasi_clocks::subscribe_duration(remaining)),
        })
    }

    /// The `nbytes` and flags of this subscription's event once it is ready.
    fn ready_event(&self, state: &State) -> Result<(u64, u16)> {
        if self.tag == eventtype::CLOCK {
            return Ok((0, 0));
        }
        let reading = self.tag == eventtype::FD_READ;
        match state.fds.get(self.fd)? {
            FdEntry::File(file) if reading => {
                let at_end = file.handle.stat()?.size <= file.position;
                Ok((1, if at_end { event::HANGUP } else { 0 }))
            }
            FdEntry::Connection(connection) if !reading => match connection.output.check_write() {
                Ok(room) => Ok((room, 0)),
                Err(_) => Ok((0, event::HANGUP)),
            },
            // Native cannot say how much is waiting or fits, and says 1.
            _ => Ok((1, 0)),
        }
    }
}

fn write_event(
    events: u32,
    index: u32,
    sub: &Subscription,
    error: Errno,
    nbytes: u64,
    flags: u16,
) -> Result<()> {
    let mut record = [0u8; event::SIZE as usize];
    record[event::USERDATA as usize..][..8].copy_from_slice(&sub.userdata.to_le_bytes());
    record[event::ERROR as usize..][..2].copy_from_slice(&error.0.to_le_bytes());
    record[event::TYPE as usize] = sub.tag;
    record[event::NBYTES as usize..][..8].copy_from_slice(&nbytes.to_le_bytes());
    record[event::FLAGS as usize..][..2].copy_from_slice(&flags.to_le_bytes());
    guest::write_record(guest::offset(events, index, event::SIZE, 0)?, 8, &record)
}

/// An array of `u32` in this call's scratch.
struct ScratchWords {
    words: *mut u32,
    len: usize,
}

impl ScratchWords {
    fn new(state: &State, capacity: usize) -> Result<ScratchWords> {
        let bytes = capacity.checked_mul(4).ok_or(Errno::NOMEM)?;
        let words = state.arena.alloc_scratch(4, bytes)? as *mut u32;
        Ok(ScratchWords { words, len: 0 })
    }

    fn as_slice(&self) -> &[u32] {
        // SAFETY: `words` points at `len` initialised entries in scratch.
        unsafe { core::slice::from_raw_parts(self.words, self.len) }
    }

    /// # Safety
    /// Fewer than `capacity` words may have been pushed so far.
    unsafe fn push(&mut self, word: u32) {
        // SAFETY: guaranteed by the caller: there is room for one more.
        unsafe { self.words.add(self.len).write(word) };
        self.len += 1;
    }
}

/// The pollables of one call, released however the call ends.
struct PollableSet(ScratchWords);

impl PollableSet {
    /// Adds `pollable` and says its index.
    ///
    /// # Safety
    /// As `ScratchWords::push`.
    unsafe fn push(&mut self, pollable: Pollable) -> u32 {
        // SAFETY: guaranteed by the caller.
        unsafe { self.0.push(pollable.handle()) };
        core::mem::forget(pollable);
        self.0.len as u32 - 1
    }
}

impl Drop for PollableSet {
    fn drop(&mut self) {
        for &handle in self.0.as_slice() {
            drop(Pollable::from_handle(handle));
        }
    }
}

/// What became of each subscription, by index: the index of its pollable,
/// or one of these.
const FILE: u32 = u32::MAX - 2;
const EXPIRED: u32 = u32::MAX - 1;
const NEVER: u32 = u32::MAX;

/// The looks native takes (see the module docs): whether `outcome` is ready
/// at look `look` (1 or 2), given the pollables found ready at that look.
fn ready_at(look: u32, outcome: u32, ready_pollables: &[u32]) -> bool {
    match outcome {
        FILE => true,
        EXPIRED => look >= 2,
        NEVER => false,
        pollable => ready_pollables.contains(&pollable),
    }
}

fn poll_oneoff_impl(state: &State, subs: u32, events: u32, count: u32, nevents: u32) -> Result<()> {
    if count == 0 {
        // Native preview1 refuses to sleep forever.
        return Err(Errno::INVAL);
    }
    if count == 1 {
        let first = read_subscription(subs, 0)?;
        if first.is_relative_clock() {
            // Native preview1 treats a lone relative timeout as a plain
            // sleep, whatever the clock, and reports it with `nbytes = 1`.
            wasi_clocks::subscribe_duration(first.timeout).block();
            write_event(events, 0, &first, Errno::SUCCESS, 1, 0)?;
            return guest::write_u32(nevents, 1);
        }
    }
    // The count is the program's. Native copies the subscriptions and room
    // for as many events, and refuses more than its per-call budget.
    let arrays = u64::from(count) * u64::from(subscription::SIZE + event::SIZE);
    if arrays > NATIVE_COPY_BUDGET {
        return Err(Errno::NOMEM);
    }
    let count_words = count as usize;
    let mut outcomes = ScratchWords::new(state, count_words)?;
    let mut set = PollableSet(ScratchWords::new(state, count_words)?);
    for index in 0..count {
        let outcome = match read_subscription(subs, index)?.readiness(state)? {
            // SAFETY: at most one push per subscription.
            Readiness::Later(pollable) => unsafe { set.push(pollable) },
            Readiness::File => FILE,
            Readiness::Expired => EXPIRED,
            Readiness::Never => NEVER,
        };
        // SAFETY: one push per subscription, `count` in all.
        unsafe { outcomes.push(outcome) };
    }
    // The pollables ready at each look; if no look finds anything ready,
    // those the host's poll finds ready first.
    let mut ready = ScratchWords::new(state, count_words)?;
    let mut look = 1;
    loop {
        ready.len = 0;
        for (index, &handle) in (0..).zip(set.0.as_slice()) {
            if io::is_ready(handle) {
                // SAFETY: at most one push per pollable, `count` in all.
                unsafe { ready.push(index) };
            }
        }
        let found = |o: &u32| ready_at(look, *o, ready.as_slice());
        if outcomes.as_slice().iter().any(found) {
            break;
        }
        if look < 2 {
            look += 1;
            continue;
        }
        // Only running clocks and streams are left (every other kind is
        // ready by the second look).
        if set.0.len == 0 {
            // Nothing could ever happen: waiting would be sleeping forever.
            return Err(Errno::INVAL);
        }
        let polled = io::poll(set.0.as_slice());
        // SAFETY: the host lowered `polled.len` indices into scratch.
        let polled = unsafe { core::slice::from_raw_parts(polled.ptr as *const u32, polled.len) };
        ready.len = 0;
        for &index in polled.iter().take(count_words) {
            // SAFETY: at most `count` indices are kept.
            unsafe { ready.push(index) };
        }
        break;
    }
    let mut written = 0;
    for (index, &outcome) in (0..count).zip(outcomes.as_slice()) {
        if !ready_at(look, outcome, ready.as_slice()) {
            continue;
        }
        let sub = read_subscription(subs, index)?;
        let (nbytes, flags) = sub.ready_event(state)?;
        write_event(events, written, &sub, Errno::SUCCESS, nbytes, flags)?;
        written += 1;
    }
    drop(set);
    guest::write_u32(nevents, written)
}

#[unsafe(no_mangle)]
pub extern "C" fn poll_oneoff(subs: u32, events: u32, count: u32, nevents: u32) -> Errno {
    preview1_call(|state| poll_oneoff_impl(state, subs, events, count, nevents))
}
