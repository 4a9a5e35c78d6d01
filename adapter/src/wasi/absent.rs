//! The answers of the `proxy` build for the interfaces `wasi:http/proxy`
//! does not have: `wasi:cli/environment`, `exit` and `terminal-*`, and all
//! of `wasi:filesystem` and `wasi:sockets`.
//!
//! Each function stands in for the import of the same name and signature in
//! `cli.rs` or `filesystem.rs`, and lowers exactly what a host that has the
//! interface but nothing behind it would: no arguments, no variables, no
//! preopened directories, no terminals. Replacing the imports rather than
//! the wrappers above them keeps every preview1 function identical in all
//! builds, so the proxy's errnos are the ones the command adapter gives on
//! such a host (with no preopens no descriptor can ever be opened, so every
//! fd and path function answers `EBADF` by itself). Keeping the stand-ins
//! together in this one file makes it the complete list of what a proxy
//! cannot do.

/// `wasi:cli/environment`: no arguments and no variables.
pub mod cli {
    /// `get-arguments`: an empty `list<string>`.
    pub unsafe fn get_arguments_import(ret: *mut u8) {
        // SAFETY: the caller's return area holds a list (pointer, length).
        unsafe { super::empty_list(ret) }
    }

    /// `get-environment`: an empty `list<tuple<string, string>>`.
    pub unsafe fn get_environment_import(ret: *mut u8) {
        // SAFETY: the caller's return area holds a list (pointer, length).
        unsafe { super::empty_list(ret) }
    }

    /// `exit-with-code`. A proxy instance ends when its handler returns; the
    /// world has no way to stop it early, not even with success, so exiting
    /// traps (the host answers the request with an error).
    pub unsafe fn exit_with_code_import(_code: u32) {
        crate::traps::a_proxy_cannot_exit_before_its_handler_returns()
    }

    /// `get-terminal-stdin`: `none`, no terminal.
    pub unsafe fn get_terminal_stdin_import(ret: *mut u8) {
        // SAFETY: the caller's return area holds an `option` discriminant.
        unsafe { ret.write(0) }
    }

    /// `get-terminal-stdout`: `none`.
    pub unsafe fn get_terminal_stdout_import(ret: *mut u8) {
        // SAFETY: the caller's return area holds an `option` discriminant.
        unsafe { ret.write(0) }
    }

    /// `get-terminal-stderr`: `none`.
    pub unsafe fn get_terminal_stderr_import(ret: *mut u8) {
        // SAFETY: the caller's return area holds an `option` discriminant.
        unsafe { ret.write(0) }
    }

    /// No terminal handle is ever handed out, so there is none to release.
    pub unsafe fn drop_terminal_input(_handle: u32) {}

    /// As above.
    pub unsafe fn drop_terminal_output(_handle: u32) {}
}

/// `wasi:filesystem`: no preopened directories, and so no descriptors.
#[allow(clippy::too_many_arguments)]
pub mod filesystem {
    use super::bad_descriptor;

    /// `get-directories`: an empty list.
    pub unsafe fn get_directories_import(ret: *mut u8) {
        // SAFETY: the caller's return area holds a list (pointer, length).
        unsafe { super::empty_list(ret) }
    }

    // With no preopens no handle exists, so nothing below is ever reached;
    // each still answers as a host would for a handle it does not know.

    pub unsafe fn drop_descriptor(_handle: u32) {}
    pub unsafe fn drop_directory_entry_stream(_handle: u32) {}

    /// Declares, for each import, a stand-in taking the same arguments and
    /// answering `err(bad-descriptor)` in the return area it is given
    /// (every `result<_, error-code>` return area has the 9 bytes
    /// `bad_descriptor` writes).
    macro_rules! answering_bad_descriptor {
        ($($name:ident($($arg:ty),*);)*) => {
            $(
                pub unsafe fn $name($(_: $arg,)* ret: *mut u8) {
                    // SAFETY: the caller's return area holds a `result<_, error-code>`.
                    unsafe { bad_descriptor(ret) }
                }
            )*
        };
    }

    answering_bad_descriptor! {
        read_import(u32, u64, u64);
        write_import(u32, *const u8, usize, u64);
        append_via_stream_import(u32);
        advise_import(u32, u64, u64, u32);
        sync_data_import(u32);
        sync_import(u32);
        get_flags_import(u32);
        get_type_import(u32);
        set_size_import(u32, u64);
        set_times_import(u32, u32, u64, u32, u32, u64, u32);
        read_directory_import(u32);
        create_directory_at_import(u32, *const u8, usize);
        stat_import(u32);
        stat_at_import(u32, u32, *const u8, usize);
        set_times_at_import(u32, u32, *const u8, usize, u32, u64, u32, u32, u64, u32);
        link_at_import(u32, u32, *const u8, usize, u32, *const u8, usize);
        open_at_import(u32, u32, *const u8, usize, u32, u32);
        readlink_at_import(u32, *const u8, usize);
        remove_directory_at_import(u32, *const u8, usize);
        rename_at_import(u32, *const u8, usize, u32, *const u8, usize);
        symlink_at_import(u32, *const u8, usize, *const u8, usize);
        unlink_file_at_import(u32, *const u8, usize);
        metadata_hash_import(u32);
        metadata_hash_at_import(u32, u32, *const u8, usize);
        read_directory_entry_import(u32);
    }
}

/// `wasi:sockets/tcp`: with no environment there is no listener, so no
/// socket handle ever exists and none of these can be reached.
pub mod sockets {
    pub unsafe fn accept_import(_: u32, _: *mut u8) {
        crate::traps::a_proxy_has_no_sockets()
    }
    pub unsafe fn subscribe_import(_: u32) -> u32 {
        crate::traps::a_proxy_has_no_sockets()
    }
    pub unsafe fn shutdown_import(_: u32, _: u32, _: *mut u8) {
        crate::traps::a_proxy_has_no_sockets()
    }
    pub unsafe fn drop_tcp_socket(_: u32) {}
}

/// Lowers an empty list: a null pointer and a zero length.
///
/// # Safety
/// `ret` must be valid for 8 bytes of writes, 4-aligned.
unsafe fn empty_list(ret: *mut u8) {
    // SAFETY: guaranteed by the caller.
    unsafe { (ret as *mut [u32; 2]).write([0, 0]) }
}

/// `error-code.bad-descriptor`, as its WIT discriminant.
const BAD_DESCRIPTOR: u8 = 3;

/// Lowers `err(bad-descriptor)` for any `result<T, error-code>`. The error
/// payload starts at T's alignment (1, 4 or 8 for every T the adapter
/// imports), so the code is written at all three offsets and whichever the
/// caller decodes reads it.
///
/// # Safety
/// `ret` must be valid for 9 bytes of writes.
unsafe fn bad_descriptor(ret: *mut u8) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        ret.write(1);
        ret.add(1).write(BAD_DESCRIPTOR);
        ret.add(4).write(BAD_DESCRIPTOR);
        ret.add(8).write(BAD_DESCRIPTOR);
    }
}
