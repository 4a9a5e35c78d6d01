//! `clock_res_get` and `clock_time_get`.
//!
//! WASI 0.2 has no CPU-time clocks, and neither has native preview1 on
//! Wasmtime: both answer `EBADF` for them, as here. A clock id past the four
//! preview1 defines traps, as native's argument conversion does.

use crate::abi::{Errno, Result, clockid};
use crate::arguments;
use crate::entry::preview1_call_without_state;
use crate::state::guest;
use crate::wasi::clocks;

/// The resolution of clock `id`, in nanoseconds.
fn resolution(id: u32) -> Result<u64> {
    match id {
        clockid::REALTIME => clocks::wall_resolution().ok_or(Errno::OVERFLOW),
        clockid::MONOTONIC => Ok(clocks::monotonic_resolution()),
        _ => Err(Errno::BADF),
    }
}

/// The current time of clock `id`, in nanoseconds.
pub fn now(id: u32) -> Result<u64> {
    match id {
        clockid::REALTIME => clocks::wall_now().ok_or(Errno::OVERFLOW),
        clockid::MONOTONIC => Ok(clocks::monotonic_now()),
        _ => Err(Errno::BADF),
    }
}

#[unsafe(no_mangle)]
pub extern "C" fn clock_res_get(id: u32, result: u32) -> Errno {
    let id = arguments::enum_value(id, 32, clockid::THREAD_CPUTIME);
    preview1_call_without_state(|| guest::write_u64(result, resolution(id)?))
}

#[unsafe(no_mangle)]
pub extern "C" fn clock_time_get(id: u32, _precision: u64, result: u32) -> Errno {
    let id = arguments::enum_value(id, 32, clockid::THREAD_CPUTIME);
    // The clock programs read most (Rust's `Instant`, Go's scheduler), with
    // nothing that needs a stack frame; the others out of line.
    if id == clockid::MONOTONIC {
        return preview1_call_without_state(|| guest::write_u64(result, clocks::monotonic_now()));
    }
    other_clock_time_get(id, result)
}

#[inline(never)]
fn other_clock_time_get(id: u32, result: u32) -> Errno {
    preview1_call_without_state(|| guest::write_u64(result, now(id)?))
}
