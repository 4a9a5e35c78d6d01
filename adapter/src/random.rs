//! `random_get`.

use crate::abi::Errno;
use crate::state::{self, guest};
use crate::wasi::random;

/// `random_get`: host randomness, written straight into the program's buffer.
#[unsafe(no_mangle)]
pub extern "C" fn random_get(buf: u32, len: u32) -> Errno {
    state::call(|state| {
        let dest = guest::bytes_mut(buf, len)?;
        state.arena.redirect_next(dest.as_mut_ptr(), dest.len());
        let bytes = random::get_random_bytes(u64::from(len));
        state.arena.clear_redirect();
        if bytes.ptr != dest.as_ptr() {
            // SAFETY: lowered into scratch by this call.
            dest.copy_from_slice(unsafe { bytes.as_slice() }.get(..dest.len()).ok_or(Errno::IO)?);
        }
        Ok(())
    })
}
