//! `random_get`.

use crate::abi::Errno;
use crate::entry::preview1_call_without_fds;
use crate::state::guest;
use crate::wasi::random;

/// `random_get`: host randomness, written straight into the program's buffer.
#[unsafe(no_mangle)]
pub extern "C" fn random_get(buf: u32, len: u32) -> Errno {
    preview1_call_without_fds(|state| {
        let direct = guest::direct_destination(buf, len)?;
        if let Some(dest) = direct {
            state.arena.redirect_next(dest, len as usize);
        }
        // SAFETY: nothing else refers to the answer's room while this call
        // has the host fill it and reads it (see `State`).
        let answer = unsafe { &mut *state.answer.get() };
        let bytes = random::get_random_bytes(u64::from(len), answer);
        state.arena.clear_redirect();
        if direct.is_some_and(|dest| bytes.ptr == dest.cast_const()) {
            return Ok(());
        }
        // SAFETY: lowered into scratch by this call.
        let bytes = unsafe { bytes.as_slice() };
        guest::write_bytes(buf, bytes.get(..len as usize).ok_or(Errno::IO)?)
    })
}
