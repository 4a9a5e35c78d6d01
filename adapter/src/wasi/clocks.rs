//! `wasi:clocks`: the monotonic and wall clocks.

use super::ReturnArea;
use super::io::Pollable;

#[link(wasm_import_module = "wasi:clocks/monotonic-clock@0.2.12")]
unsafe extern "C" {
    #[link_name = "now"]
    fn monotonic_now_import() -> u64;
    #[link_name = "resolution"]
    fn monotonic_resolution_import() -> u64;
    #[link_name = "subscribe-instant"]
    fn subscribe_instant_import(when: u64) -> u32;
    #[link_name = "subscribe-duration"]
    fn subscribe_duration_import(after: u64) -> u32;
}

#[link(wasm_import_module = "wasi:clocks/wall-clock@0.2.12")]
unsafe extern "C" {
    #[link_name = "now"]
    fn wall_now_import(ret: *mut u8);
    #[link_name = "resolution"]
    fn wall_resolution_import(ret: *mut u8);
}

pub fn monotonic_now() -> u64 {
    // SAFETY: plain scalar call.
    unsafe { monotonic_now_import() }
}

pub fn monotonic_resolution() -> u64 {
    // SAFETY: plain scalar call.
    unsafe { monotonic_resolution_import() }
}

pub fn subscribe_instant(when: u64) -> Pollable {
    // SAFETY: returns a new owned pollable.
    Pollable::from_handle(unsafe { subscribe_instant_import(when) })
}

pub fn subscribe_duration(after: u64) -> Pollable {
    // SAFETY: returns a new owned pollable.
    Pollable::from_handle(unsafe { subscribe_duration_import(after) })
}

pub fn wall_now() -> Option<u64> {
    let mut ret = ReturnArea::new();
    // SAFETY: writes a `datetime { seconds: u64, nanoseconds: u32 }`.
    unsafe { wall_now_import(ret.as_mut_ptr()) };
    ret.datetime_at(0)
}

pub fn wall_resolution() -> Option<u64> {
    let mut ret = ReturnArea::new();
    // SAFETY: `ret` fits the `datetime` the import writes.
    unsafe { wall_resolution_import(ret.as_mut_ptr()) };
    ret.datetime_at(0)
}
