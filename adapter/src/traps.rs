//! The adapter's own traps. Each is a function of its own, synthesised by
//! the finishing step and named after its reason (`region_layout::TRAPS`),
//! so the host's backtrace says why the adapter stopped the program.

#[link(wasm_import_module = "wasi-upgrade:region")]
unsafe extern "C" {
    #[link_name = "no_memory_left_for_an_answer_from_the_host"]
    fn no_memory_left_for_an_answer_from_the_host_import() -> !;
    #[link_name = "host_asked_to_resize_an_answer"]
    fn host_asked_to_resize_an_answer_import() -> !;
    #[link_name = "host_returned_from_exit"]
    fn host_returned_from_exit_import() -> !;
    #[cfg(feature = "proxy")]
    #[link_name = "a_proxy_cannot_exit_before_its_handler_returns"]
    fn a_proxy_cannot_exit_before_its_handler_returns_import() -> !;
    #[cfg(feature = "proxy")]
    #[link_name = "a_proxy_has_no_sockets"]
    fn a_proxy_has_no_sockets_import() -> !;
    #[link_name = "adapter_bug"]
    fn adapter_bug_import() -> !;
    #[link_name = "pointer_outside_memory"]
    fn pointer_outside_memory_import() -> !;
    #[link_name = "pointer_not_aligned"]
    fn pointer_not_aligned_import() -> !;
    #[link_name = "enum_value_out_of_range"]
    fn enum_value_out_of_range_import() -> !;
    #[link_name = "flag_bits_out_of_range"]
    fn flag_bits_out_of_range_import() -> !;
    #[link_name = "exit_status_of_126_or_more"]
    fn exit_status_of_126_or_more_import() -> !;
    #[link_name = "argument_wider_than_its_type"]
    fn argument_wider_than_its_type_import() -> !;
}

/// Memory is full, so the host's answer to an import cannot be lowered.
#[inline(always)]
pub fn no_memory_left_for_an_answer_from_the_host() -> ! {
    // SAFETY: the replacement body is a lone `unreachable`.
    unsafe { no_memory_left_for_an_answer_from_the_host_import() }
}

/// The host called `cabi_import_realloc` to resize, which lowering never does.
#[inline(always)]
pub fn host_asked_to_resize_an_answer() -> ! {
    // SAFETY: as above.
    unsafe { host_asked_to_resize_an_answer_import() }
}

/// `exit` returned; running the program past its own exit is never right.
#[inline(always)]
pub fn host_returned_from_exit() -> ! {
    // SAFETY: as above.
    unsafe { host_returned_from_exit_import() }
}

/// `proc_exit` in a proxy, whose world cannot end an instance early.
#[cfg(feature = "proxy")]
#[inline(always)]
pub fn a_proxy_cannot_exit_before_its_handler_returns() -> ! {
    // SAFETY: as above.
    unsafe { a_proxy_cannot_exit_before_its_handler_returns_import() }
}

/// A socket import reached in a proxy, which never has a socket.
#[cfg(feature = "proxy")]
#[inline(always)]
pub fn a_proxy_has_no_sockets() -> ! {
    // SAFETY: as above.
    unsafe { a_proxy_has_no_sockets_import() }
}

/// A panic: a bug in the adapter.
#[inline(always)]
pub fn adapter_bug() -> ! {
    // SAFETY: as above.
    unsafe { adapter_bug_import() }
}

// Native preview1 (wiggle) traps rather than answering an errno in the
// cases below, as the preview1 spec asks; the adapter traps the same way.

/// A pointer or array argument the call needs does not lie in memory (or
/// its end passes 2^32).
#[inline(always)]
pub fn pointer_outside_memory() -> ! {
    // SAFETY: as above.
    unsafe { pointer_outside_memory_import() }
}

/// A pointer argument is not aligned to the type it points at.
#[inline(always)]
pub fn pointer_not_aligned() -> ! {
    // SAFETY: as above.
    unsafe { pointer_not_aligned_import() }
}

/// An enum argument (`whence`, `advice`, a clock id, a signal) has no such
/// value.
#[inline(always)]
pub fn enum_value_out_of_range() -> ! {
    // SAFETY: as above.
    unsafe { enum_value_out_of_range_import() }
}

/// An enum or flags argument does not fit the integer its type is held in
/// (a `whence` of 256).
#[inline(always)]
pub fn argument_wider_than_its_type() -> ! {
    // SAFETY: as above.
    unsafe { argument_wider_than_its_type_import() }
}

/// A flags argument (`oflags`, `fdflags`, rights, ...) has bits the type
/// does not define.
#[inline(always)]
pub fn flag_bits_out_of_range() -> ! {
    // SAFETY: as above.
    unsafe { flag_bits_out_of_range_import() }
}

/// `proc_exit` with a status preview1 does not allow: 126 and above are
/// reserved for the shell's own meanings.
#[inline(always)]
pub fn exit_status_of_126_or_more() -> ! {
    // SAFETY: as above.
    unsafe { exit_status_of_126_or_more_import() }
}
