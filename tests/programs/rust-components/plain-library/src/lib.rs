//! A library with plain core exports and no WIT world: what a preview1
//! "reactor" built without bindings looks like.

use std::sync::atomic::{AtomicI32, Ordering};

/// How often the static constructors ran: `_initialize` runs them, so this
/// is how often `_initialize` ran.
static INITIALIZATIONS: AtomicI32 = AtomicI32::new(0);

extern "C" fn count_initialization() {
    INITIALIZATIONS.fetch_add(1, Ordering::SeqCst);
}

/// A static constructor, run by `__wasm_call_ctors` from `_initialize`.
#[used]
#[unsafe(link_section = ".init_array")]
static CONSTRUCTOR: extern "C" fn() = count_initialization;

unsafe extern "C" {
    /// Runs the static constructors; wasm-ld synthesises it.
    fn __wasm_call_ctors();
}

/// The reactor entry point, as wasi-libc's `crt1-reactor.o` defines it.
/// Without it (a plain Rust cdylib has none) wasm-ld wraps every export in
/// a call to the constructors, which would then run at every call.
#[unsafe(no_mangle)]
pub extern "C" fn _initialize() {
    // SAFETY: called once, by the host, before any other export.
    unsafe { __wasm_call_ctors() }
}

#[unsafe(no_mangle)]
pub extern "C" fn initializations() -> i32 {
    INITIALIZATIONS.load(Ordering::SeqCst)
}

#[unsafe(no_mangle)]
pub extern "C" fn add(a: i32, b: i32) -> i32 {
    a.wrapping_add(b)
}

/// Exported as `sum-of-squares`, since WIT names are kebab-case.
#[unsafe(no_mangle)]
pub extern "C" fn sum_of_squares(a: f64, b: f64) -> f64 {
    a * a + b * b
}

/// Uses preview1 through the adapter: the number of environment variables.
#[unsafe(no_mangle)]
pub extern "C" fn environment_size() -> i64 {
    std::env::vars().count() as i64
}
