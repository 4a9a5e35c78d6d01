//! How every call from outside enters the adapter: each preview1 function
//! through `preview1_call`, and the host's lowering of import results
//! through `cabi_import_realloc`.

use crate::abi::{Errno, Result};
use crate::state::{State, guest};
use crate::traps;

/// Runs one preview1 call: starts it with an empty scratch arena and
/// flattens its outcome to the errno the program sees.
#[inline(always)]
pub fn preview1_call(body: impl FnOnce(&State) -> Result<()>) -> Errno {
    State::with(|state| {
        state.arena.begin_call();
        // The table must exist before any scratch is used, since it lives in
        // the persistent part of the arena.
        if state.fds.entries.get() == 0 {
            let errno = create_stdio(state);
            if errno != Errno::SUCCESS {
                return errno;
            }
        }
        answer(body(state))
    })
}

/// Runs one preview1 call that uses scratch but never the descriptor table
/// (which can be made at any later call, since scratch is empty again when
/// each call starts).
#[inline(always)]
pub fn preview1_call_without_fds(body: impl FnOnce(&State) -> Result<()>) -> Errno {
    State::with(|state| {
        state.arena.begin_call();
        answer(body(state))
    })
}

/// Runs one preview1 call that uses neither the arena (no import it makes
/// returns a list or string) nor a descriptor table it may have to create,
/// so it needs neither set up: the clocks, and `fd_write`'s small stdio
/// writes once the table exists. What is left of the entry is the region's
/// own check.
#[inline(always)]
pub fn preview1_call_without_state(body: impl FnOnce() -> Result<()>) -> Errno {
    answer(body())
}

/// The errno for a call's outcome; pointers native refuses trap instead.
#[inline(always)]
fn answer(outcome: Result<()>) -> Errno {
    match outcome {
        Ok(()) => Errno::SUCCESS,
        Err(guest::OUTSIDE_MEMORY) => traps::pointer_outside_memory(),
        Err(guest::NOT_ALIGNED) => traps::pointer_not_aligned(),
        Err(errno) => errno,
    }
}

/// The descriptor table's stdio entries, made at the first call that needs
/// the table. Out of line and answering a plain errno, so that the calls
/// that inline `preview1_call` need no stack frame for it.
#[cold]
#[inline(never)]
fn create_stdio(state: &State) -> Errno {
    match state.fds.ensure_stdio() {
        Ok(()) => Errno::SUCCESS,
        Err(errno) => errno,
    }
}

/// The allocator the host uses to lower every import result of the adapter.
/// Out of memory is unrecoverable for the host's lowering, so it traps.
#[unsafe(no_mangle)]
pub extern "C" fn cabi_import_realloc(
    old_ptr: *mut u8,
    old_len: usize,
    align: usize,
    new_len: usize,
) -> *mut u8 {
    // Results are lowered once and never resized.
    if !old_ptr.is_null() || old_len != 0 {
        traps::host_asked_to_resize_an_answer();
    }
    match State::with(|state| state.arena.import_alloc(align, new_len)) {
        Some(address) => address as *mut u8,
        None => traps::no_memory_left_for_an_answer_from_the_host(),
    }
}
