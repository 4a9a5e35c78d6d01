//! `wasi:filesystem`: preopened directories and descriptors.

use super::{RawList, ReturnArea};

#[link(wasm_import_module = "wasi:filesystem/preopens@0.2.12")]
unsafe extern "C" {
    #[link_name = "get-directories"]
    fn get_directories_import(ret: *mut u8);
}

#[link(wasm_import_module = "wasi:filesystem/types@0.2.12")]
unsafe extern "C" {
    #[link_name = "[resource-drop]descriptor"]
    fn drop_descriptor_import(handle: u32);
}

/// Size of one `tuple<own<descriptor>, string>` in the preopens list.
pub const PREOPEN_ENTRY_BYTES: usize = 12;

/// `list<tuple<own<descriptor>, string>>`: a handle, then a string's
/// pointer and length. The caller takes ownership of every handle.
pub fn get_directories() -> RawList {
    let mut ret = ReturnArea::new();
    // SAFETY: writes a `list<..>` (pointer, length) into `ret`.
    unsafe { get_directories_import(ret.as_mut_ptr()) };
    ret.list_at(0)
}

/// A borrowed `descriptor`: the fd table owns the handle.
#[derive(Clone, Copy)]
pub struct Descriptor(pub u32);

impl Descriptor {
    /// Releases the handle; the caller must not use `self` again.
    pub fn drop_handle(self) {
        // SAFETY: the fd table hands each descriptor to exactly one drop.
        unsafe { drop_descriptor_import(self.0) }
    }
}
