//! `poll_oneoff`.
//!
//! Every subscription becomes one pollable and all of them go to a single
//! `wasi:io/poll.poll`; the events of the ready ones are written in
//! subscription order. Regular files are always ready, as on native
//! preview1, so they get a timer that has already expired.

use crate::abi::{Errno, Result, clockid, event, eventtype, subscription};
use crate::clocks;
use crate::fd_table::Descriptor;
use crate::state::{self, State, guest};
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
    let at = |field| guest::offset(subs, index, SIZE, field);
    Ok(Subscription {
        userdata: guest::read_u64(at(USERDATA)?)?,
        tag: guest::read_u8(at(TAG)?)?,
        clock_id: guest::read_u32(at(CLOCK_ID)?)?,
        timeout: guest::read_u64(at(CLOCK_TIMEOUT)?)?,
        flags: guest::read_u16(at(CLOCK_FLAGS)?)?,
        fd: guest::read_u32(at(FD)?)?,
    })
}

impl Subscription {
    fn is_relative_clock(&self) -> bool {
        self.tag == eventtype::CLOCK && self.flags & subscription::ABSTIME == 0
    }

    /// The pollable that becomes ready when this subscription fires.
    fn subscribe(&self, state: &State) -> Result<Pollable> {
        match self.tag {
            eventtype::CLOCK => {
                let absolute = self.flags & subscription::ABSTIME != 0;
                match (self.clock_id, absolute) {
                    (clockid::MONOTONIC, true) => Ok(wasi_clocks::subscribe_instant(self.timeout)),
                    (clockid::MONOTONIC | clockid::REALTIME, false) => {
                        Ok(wasi_clocks::subscribe_duration(self.timeout))
                    }
                    // 0.2 has no realtime timers: wait out the distance to
                    // the deadline on the monotonic clock, as native does.
                    (clockid::REALTIME, true) => {
                        let now = clocks::now(clockid::REALTIME)?;
                        Ok(wasi_clocks::subscribe_duration(self.timeout.saturating_sub(now)))
                    }
                    _ => Err(Errno::INVAL),
                }
            }
            eventtype::FD_READ | eventtype::FD_WRITE => match state.fds.get(self.fd)? {
                Descriptor::File(_) => Ok(wasi_clocks::subscribe_duration(0)),
                Descriptor::Stdin { .. } if self.tag == eventtype::FD_READ => {
                    Ok(state.fds.input_stream(self.fd)?.subscribe())
                }
                Descriptor::Stdout { .. } | Descriptor::Stderr { .. } if self.tag == eventtype::FD_WRITE => {
                    Ok(state.fds.output_stream(self.fd)?.subscribe())
                }
                _ => Err(Errno::BADF),
            },
            _ => Err(Errno::INVAL),
        }
    }
}

fn write_event(events: u32, index: u32, sub: &Subscription, nbytes: u64, flags: u16) -> Result<()> {
    let mut record = [0u8; event::SIZE as usize];
    record[event::USERDATA as usize..][..8].copy_from_slice(&sub.userdata.to_le_bytes());
    record[event::TYPE as usize] = sub.tag;
    record[event::NBYTES as usize..][..8].copy_from_slice(&nbytes.to_le_bytes());
    record[event::FLAGS as usize..][..2].copy_from_slice(&flags.to_le_bytes());
    guest::write_bytes(guest::offset(events, index, event::SIZE, 0)?, &record)
}

/// The `nbytes` and flags native preview1 reports for a ready subscription:
/// clocks say 0; streams and files say 1 (native has no real count), and a
/// file read at its end also says `hangup`.
fn ready_event(state: &State, sub: &Subscription) -> Result<(u64, u16)> {
    if sub.tag == eventtype::CLOCK {
        return Ok((0, 0));
    }
    if sub.tag == eventtype::FD_READ {
        if let Descriptor::File(file) = state.fds.get(sub.fd)? {
            if file.handle.stat()?.size <= file.position {
                return Ok((1, event::HANGUP));
            }
        }
    }
    Ok((1, 0))
}

/// The pollables of one call, released however the call ends.
struct PollableSet {
    handles: *mut u32,
    len: usize,
}

impl PollableSet {
    fn handles(&self) -> &[u32] {
        // SAFETY: `handles` points at `len` initialised entries in scratch.
        unsafe { core::slice::from_raw_parts(self.handles, self.len) }
    }

    fn push(&mut self, pollable: Pollable) {
        // SAFETY: scratch was allocated for one entry per subscription, and
        // there is at most one push per subscription.
        unsafe { self.handles.add(self.len).write(pollable.handle()) };
        core::mem::forget(pollable);
        self.len += 1;
    }
}

impl Drop for PollableSet {
    fn drop(&mut self) {
        for &handle in self.handles() {
            drop(Pollable::from_handle(handle));
        }
    }
}

fn poll_oneoff_impl(state: &State, subs: u32, events: u32, count: u32, nevents: u32) -> Result<()> {
    if count == 0 {
        // Native preview1 refuses to sleep forever.
        return Err(Errno::INVAL);
    }
    let first = read_subscription(subs, 0)?;
    if count == 1 && first.is_relative_clock() {
        // Native preview1 treats a lone relative timeout as a plain sleep,
        // whatever the clock, and reports it with `nbytes = 1`.
        wasi_clocks::subscribe_duration(first.timeout).block();
        write_event(events, 0, &first, 1, 0)?;
        return guest::write_u32(nevents, 1);
    }
    let handles = state.arena.alloc_scratch(4, count as usize * 4)?;
    let mut set = PollableSet { handles: handles as *mut u32, len: 0 };
    for index in 0..count {
        set.push(read_subscription(subs, index)?.subscribe(state)?);
    }
    let ready = io::poll(set.handles());
    // SAFETY: the host lowered `ready.len` indices into scratch.
    let ready = unsafe { core::slice::from_raw_parts(ready.ptr as *const u32, ready.len) };
    let mut written = 0;
    for index in 0..count {
        if ready.contains(&index) {
            let sub = read_subscription(subs, index)?;
            let (nbytes, flags) = ready_event(state, &sub)?;
            write_event(events, written, &sub, nbytes, flags)?;
            written += 1;
        }
    }
    drop(set);
    guest::write_u32(nevents, written)
}

#[unsafe(no_mangle)]
pub extern "C" fn poll_oneoff(subs: u32, events: u32, count: u32, nevents: u32) -> Errno {
    state::call(|state| poll_oneoff_impl(state, subs, events, count, nevents))
}
