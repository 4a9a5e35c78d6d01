//! `clock_res_get` and `clock_time_get`.
//!
//! WASI 0.2 has no CPU-time clocks. The adapter answers them with the
//! monotonic time since the process started: the CPU time of a program that
//! never waits, and an upper bound for one that does. That keeps C's
//! `clock()` and `CLOCK_PROCESS_CPUTIME_ID` useful for measuring, where
//! native preview1 on Wasmtime answers `EBADF`. A single-threaded program's
//! thread clock is its process clock.

use crate::abi::{Errno, Result, clockid};
use crate::entry::preview1_call;
use crate::state::{State, guest};
use crate::wasi::clocks;

/// Remembers when the program started, for the CPU-time clocks. A library
/// (reactor) has no start; its clocks count from their first reading.
pub fn mark_process_start() {
    State::get().process_start.set(clocks::monotonic_now());
}

fn cpu_time() -> u64 {
    let start = &State::get().process_start;
    let now = clocks::monotonic_now();
    if start.get() == 0 {
        start.set(now);
    }
    now - start.get()
}

/// The resolution of clock `id`, in nanoseconds.
fn resolution(id: u32) -> Result<u64> {
    match id {
        clockid::REALTIME => clocks::wall_resolution().ok_or(Errno::OVERFLOW),
        clockid::MONOTONIC => Ok(clocks::monotonic_resolution()),
        clockid::PROCESS_CPUTIME | clockid::THREAD_CPUTIME => Ok(clocks::monotonic_resolution()),
        _ => Err(Errno::INVAL),
    }
}

/// The current time of clock `id`, in nanoseconds.
pub fn now(id: u32) -> Result<u64> {
    match id {
        clockid::REALTIME => clocks::wall_now().ok_or(Errno::OVERFLOW),
        clockid::MONOTONIC => Ok(clocks::monotonic_now()),
        clockid::PROCESS_CPUTIME | clockid::THREAD_CPUTIME => Ok(cpu_time()),
        _ => Err(Errno::INVAL),
    }
}

#[unsafe(no_mangle)]
pub extern "C" fn clock_res_get(id: u32, result: u32) -> Errno {
    preview1_call(|_| guest::write_u64(result, resolution(id)?))
}

#[unsafe(no_mangle)]
pub extern "C" fn clock_time_get(id: u32, _precision: u64, result: u32) -> Errno {
    preview1_call(|_| guest::write_u64(result, now(id)?))
}
