//! `poll_oneoff`.
//!
//! Each subscription is answered on its own, as POSIX `poll` answers each
//! fd. One the adapter can settle at once (a regular file, which is always
//! ready, or a bad fd or clock, which gets its own errno in its event) does
//! not wait, and the call then reports it together with whatever else is
//! ready at that moment. The rest become pollables that all go to a single
//! `wasi:io/poll.poll`. Native preview1 fails the whole call for one bad
//! subscription instead, so that one subscription hides the others.

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

fn read_subscription(subs: u32, index: u32) -> Result<Subscription> {
    use subscription::*;
    let record = guest::read_record::<{ SIZE as usize }>(guest::offset(subs, index, SIZE, 0)?)?;
    Ok(Subscription {
        userdata: record.u64_at(USERDATA as usize),
        tag: record.u8_at(TAG as usize),
        clock_id: record.u32_at(CLOCK_ID as usize),
        timeout: record.u64_at(CLOCK_TIMEOUT as usize),
        flags: record.u16_at(CLOCK_FLAGS as usize),
        fd: record.u32_at(FD as usize),
    })
}

/// When a subscription's event can happen.
enum Readiness {
    /// When the pollable is ready.
    Later(Pollable),
    /// Now, with this errno (`SUCCESS` for an fd that is always ready).
    Now(Errno),
    /// Never, as for writing to a listening socket.
    Never,
}

impl Subscription {
    fn is_relative_clock(&self) -> bool {
        self.tag == eventtype::CLOCK
            && self.flags & subscription::ABSTIME == 0
            && self.clock_id <= clockid::THREAD_CPUTIME
    }

    fn readiness(&self, state: &State) -> Readiness {
        match self.tag {
            eventtype::CLOCK => match self.timer() {
                Ok(timer) => Readiness::Later(timer),
                Err(errno) => Readiness::Now(errno),
            },
            eventtype::FD_READ | eventtype::FD_WRITE => match self.fd_readiness(state) {
                Ok(readiness) => readiness,
                Err(errno) => Readiness::Now(errno),
            },
            _ => Readiness::Now(Errno::INVAL),
        }
    }

    /// A clock subscription as a monotonic timer. 0.2 has timers on the
    /// monotonic clock only, so a deadline on another clock becomes the
    /// distance to it, as native does for realtime.
    fn timer(&self) -> Result<Pollable> {
        if self.clock_id > clockid::THREAD_CPUTIME {
            return Err(Errno::INVAL);
        }
        if self.flags & subscription::ABSTIME == 0 {
            return Ok(wasi_clocks::subscribe_duration(self.timeout));
        }
        if self.clock_id == clockid::MONOTONIC {
            return Ok(wasi_clocks::subscribe_instant(self.timeout));
        }
        let now = clocks::now(self.clock_id)?;
        Ok(wasi_clocks::subscribe_duration(
            self.timeout.saturating_sub(now),
        ))
    }

    fn fd_readiness(&self, state: &State) -> Result<Readiness> {
        let reading = self.tag == eventtype::FD_READ;
        let pollable = match state.fds.get(self.fd)? {
            FdEntry::File(_) => return Ok(Readiness::Now(Errno::SUCCESS)),
            FdEntry::Stdin { .. } if reading => state.fds.input_stream(self.fd)?.subscribe(),
            FdEntry::Stdout { .. } | FdEntry::Stderr { .. } if !reading => {
                state.fds.output_stream(self.fd)?.subscribe()
            }
            FdEntry::Listener(listener) if reading => listener.socket.subscribe(),
            FdEntry::Listener(_) => return Ok(Readiness::Never),
            FdEntry::Connection(connection) if reading => connection.input.subscribe(),
            FdEntry::Connection(connection) => connection.output.subscribe(),
            _ => return Err(Errno::BADF),
        };
        Ok(Readiness::Later(pollable))
    }

    /// The `nbytes` and flags of this subscription's event once it is ready.
    fn ready_event(&self, state: &State) -> Result<(u64, u16)> {
        if self.tag == eventtype::CLOCK {
            return Ok((0, 0));
        }
        let reading = self.tag == eventtype::FD_READ;
        match state.fds.get(self.fd)? {
            FdEntry::File(file) if reading => {
                let left = file.handle.stat()?.size.saturating_sub(file.position);
                Ok((left, if left == 0 { event::HANGUP } else { 0 }))
            }
            FdEntry::Connection(connection) if !reading => match connection.output.check_write() {
                Ok(room) => Ok((room, 0)),
                Err(_) => Ok((0, event::HANGUP)),
            },
            // Streams cannot say how much is waiting; native says 1 too.
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
    guest::write_bytes(guest::offset(events, index, event::SIZE, 0)?, &record)
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
const SETTLED: u32 = 1 << 31;
const NEVER: u32 = u32::MAX;

fn poll_oneoff_impl(state: &State, subs: u32, events: u32, count: u32, nevents: u32) -> Result<()> {
    if count == 0 {
        // Native preview1 refuses to sleep forever.
        return Err(Errno::INVAL);
    }
    // The count is the program's. Native copies the subscriptions and room
    // for as many events, and refuses more than its per-call budget; within
    // it, every subscription must be in memory before the count sizes
    // anything here.
    let arrays = u64::from(count) * u64::from(subscription::SIZE + event::SIZE);
    if arrays > NATIVE_COPY_BUDGET {
        return Err(Errno::NOMEM);
    }
    guest::check_range(subs, count * subscription::SIZE)?;
    let first = read_subscription(subs, 0)?;
    if count == 1 && first.is_relative_clock() {
        // Native preview1 treats a lone relative timeout as a plain sleep,
        // whatever the clock, and reports it with `nbytes = 1`.
        wasi_clocks::subscribe_duration(first.timeout).block();
        write_event(events, 0, &first, Errno::SUCCESS, 1, 0)?;
        return guest::write_u32(nevents, 1);
    }
    let count_words = count as usize;
    let mut outcomes = ScratchWords::new(state, count_words)?;
    // One pollable per subscription, and one timer that ends the wait at
    // once when some subscription is settled already.
    let mut set = PollableSet(ScratchWords::new(state, count_words + 1)?);
    let mut any_settled = false;
    for index in 0..count {
        let outcome = match read_subscription(subs, index)?.readiness(state) {
            // SAFETY: at most one push per subscription.
            Readiness::Later(pollable) => unsafe { set.push(pollable) },
            Readiness::Now(errno) => {
                any_settled = true;
                SETTLED | u32::from(errno.0)
            }
            Readiness::Never => NEVER,
        };
        // SAFETY: one push per subscription, `count` in all.
        unsafe { outcomes.push(outcome) };
    }
    if any_settled {
        // SAFETY: the extra slot allocated for this timer.
        unsafe { set.push(wasi_clocks::subscribe_duration(0)) };
    } else if set.0.len == 0 {
        // Nothing could ever happen: waiting would be sleeping forever.
        return Err(Errno::INVAL);
    }
    let ready = io::poll(set.0.as_slice());
    // SAFETY: the host lowered `ready.len` indices into scratch.
    let ready = unsafe { core::slice::from_raw_parts(ready.ptr as *const u32, ready.len) };
    let mut written = 0;
    for (index, &outcome) in (0..count).zip(outcomes.as_slice()) {
        let error = match outcome {
            NEVER => continue,
            settled if settled & SETTLED != 0 => Errno((settled & !SETTLED) as u16),
            pollable if ready.contains(&pollable) => Errno::SUCCESS,
            _ => continue,
        };
        let sub = read_subscription(subs, index)?;
        let (error, nbytes, flags) = match error {
            Errno::SUCCESS => match sub.ready_event(state) {
                Ok((nbytes, flags)) => (error, nbytes, flags),
                Err(errno) => (errno, 0, 0),
            },
            errno => (errno, 0, 0),
        };
        write_event(events, written, &sub, error, nbytes, flags)?;
        written += 1;
    }
    drop(set);
    guest::write_u32(nevents, written)
}

#[unsafe(no_mangle)]
pub extern "C" fn poll_oneoff(subs: u32, events: u32, count: u32, nevents: u32) -> Errno {
    preview1_call(|state| poll_oneoff_impl(state, subs, events, count, nevents))
}
