//! How every call from outside enters the adapter: each preview1 function
//! through `preview1_call`, and the host's lowering of import results
//! through `cabi_import_realloc`.

use crate::abi::{Errno, Result};
use crate::state::{State, guest};
use crate::traps;

/// Runs one preview1 call: starts it with an empty scratch arena and
/// flattens its outcome to the errno the program sees.
pub fn preview1_call(body: impl FnOnce(&State) -> Result<()>) -> Errno {
    State::with(|state| {
        state.arena.begin_call();
        // The table must exist before any scratch is used, since it lives in
        // the persistent part of the arena.
        if let Err(errno) = state.fds.ensure_stdio() {
            return errno;
        }
        match body(state) {
            Ok(()) => Errno::SUCCESS,
            Err(guest::OUTSIDE_MEMORY) => traps::pointer_outside_memory(),
            Err(guest::NOT_ALIGNED) => traps::pointer_not_aligned(),
            Err(errno) => errno,
        }
    })
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
