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
/// Returning `Ok` only after `_start` returns is exactly preview1's "falling
/// off the end of `_start` exits with 0".
#[unsafe(export_name = "wasi:cli/run@0.2.12#run")]
pub extern "C" fn run() -> u32 {
    #[cfg(feature = "listener")]
    crate::state::call(|state| {
        crate::sockets::listener::set_up(state);
        Ok(())
    });
    // SAFETY: `_start` is the program's entry point, called once by the host.
    unsafe { _start() };
    0
}

/// Exits with exactly `code`. Native preview1 refuses statuses of 126 and
/// above by trapping, so the adapter traps there too.
#[unsafe(no_mangle)]
pub extern "C" fn proc_exit(code: u32) -> ! {
    if code >= 126 {
        crate::traps::exit_status_of_126_or_more()
    }
    cli::exit_with_code(code as u8)
}

/// WASI 0.2 has no signals; native preview1 answers `ENOTSUP` as well, for
/// every signal it defines (0 to 30).
#[unsafe(no_mangle)]
pub extern "C" fn proc_raise(signal: u32) -> Errno {
    crate::arguments::enum_value(signal, 8, SIGNAL_MAX);
    Errno::NOTSUP
}

/// The last preview1 `signal` (`SIGSYS`).
const SIGNAL_MAX: u32 = 30;

/// WASI 0.2 has no scheduler hint: returning at once is what native does.
#[unsafe(no_mangle)]
pub extern "C" fn sched_yield() -> Errno {
    Errno::SUCCESS
}
