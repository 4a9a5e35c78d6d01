//! `clock_res_get` and `clock_time_get`.

use crate::abi::{Errno, Result, clockid};
use crate::state::{self, guest};
use crate::wasi::clocks;

/// The resolution of clock `id`, in nanoseconds.
fn resolution(id: u32) -> Result<u64> {
    match id {
        clockid::REALTIME => clocks::wall_resolution().ok_or(Errno::OVERFLOW),
        clockid::MONOTONIC => Ok(clocks::monotonic_resolution()),
        // Native preview1 on Wasmtime has no CPU-time clocks either.
        clockid::PROCESS_CPUTIME | clockid::THREAD_CPUTIME => Err(Errno::BADF),
        _ => Err(Errno::INVAL),
    }
}

/// The current time of clock `id`, in nanoseconds.
pub fn now(id: u32) -> Result<u64> {
    match id {
        clockid::REALTIME => clocks::wall_now().ok_or(Errno::OVERFLOW),
        clockid::MONOTONIC => Ok(clocks::monotonic_now()),
        clockid::PROCESS_CPUTIME | clockid::THREAD_CPUTIME => Err(Errno::BADF),
        _ => Err(Errno::INVAL),
    }
}

#[unsafe(no_mangle)]
pub extern "C" fn clock_res_get(id: u32, result: u32) -> Errno {
    state::call(|_| guest::write_u64(result, resolution(id)?))
}

#[unsafe(no_mangle)]
pub extern "C" fn clock_time_get(id: u32, _precision: u64, result: u32) -> Errno {
    state::call(|_| guest::write_u64(result, now(id)?))
}
