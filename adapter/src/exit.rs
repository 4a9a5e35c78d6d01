//! The process: running `_start`, exiting, signals and yielding.

use crate::abi::Errno;
use crate::wasi::cli;

#[link(wasm_import_module = "__main_module__")]
unsafe extern "C" {
    fn _start();
}

/// `wasi:cli/run#run` for the command flavour.
///
/// It must not keep anything on the adapter's stack while `_start` runs: the
/// program may grow memory, which moves the region and with it this frame.
/// The finishing step checks this: only `run` calls `_start`, and `run`
/// has not moved the stack pointer when it does.
/// Returning `Ok` only after `_start` returns is exactly preview1's "falling
/// off the end of `_start` exits with 0".
#[unsafe(export_name = "wasi:cli/run@0.2.12#run")]
pub extern "C" fn run() -> u32 {
    crate::clocks::mark_process_start();
    #[cfg(feature = "listener")]
    set_up_listeners();
    // SAFETY: `_start` is the program's entry point, called once by the host.
    unsafe { _start() };
    0
}

/// Kept out of `run`, so that whatever frame it needs is gone before
/// `_start` runs: the finishing step (`adapter-build/src/finish_adapter.rs`)
/// rejects a `run` that moves the stack pointer before calling `_start`.
#[cfg(feature = "listener")]
#[inline(never)]
fn set_up_listeners() {
    crate::entry::preview1_call(|state| {
        crate::sockets::listener::set_up(state);
        Ok(())
    });
}

/// Exits with exactly `code`. Native preview1 traps on codes of 126 and
/// above; `exit-with-code` carries the full byte, so the adapter keeps it
/// (larger values keep their low byte, as POSIX `exit` does).
#[unsafe(no_mangle)]
pub extern "C" fn proc_exit(code: u32) -> ! {
    cli::exit_with_code(code as u8)
}

/// WASI 0.2 has no signals; native preview1 answers `ENOTSUP` as well.
#[unsafe(no_mangle)]
pub extern "C" fn proc_raise(_signal: u32) -> Errno {
    Errno::NOTSUP
}

/// WASI 0.2 has no scheduler hint: returning at once is what native does.
#[unsafe(no_mangle)]
pub extern "C" fn sched_yield() -> Errno {
    Errno::SUCCESS
}
