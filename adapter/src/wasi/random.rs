//! `wasi:random/random`.

use super::{RawBytes, ReturnArea};

#[link(wasm_import_module = "wasi:random/random@0.2.12")]
unsafe extern "C" {
    #[link_name = "get-random-bytes"]
    fn get_random_bytes_import(len: u64, ret: *mut u8);
}

/// `len` random bytes, placed wherever the import arena directs, with
/// `ret` for the host's answer.
pub fn get_random_bytes(len: u64, ret: &mut ReturnArea) -> RawBytes {
    // SAFETY: writes a `list<u8>` into `ret`.
    unsafe { get_random_bytes_import(len, ret.as_mut_ptr()) };
    RawBytes {
        ptr: ret.u32_at(0) as usize as *const u8,
        len: ret.u32_at(4) as usize,
    }
}
