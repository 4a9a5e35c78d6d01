//! `wasi:cli`: arguments, environment, exit, and the stdio streams.

use super::io::{InputStream, OutputStream};
use super::{RawList, ReturnArea};

// The `proxy` build serves the `wasi:http/proxy` world, which has no
// environment, exit or terminals: `absent` answers in their place.
#[cfg(feature = "proxy")]
use super::absent::cli::*;

#[cfg(not(feature = "proxy"))]
#[link(wasm_import_module = "wasi:cli/environment@0.2.12")]
unsafe extern "C" {
    #[link_name = "get-arguments"]
    fn get_arguments_import(ret: *mut u8);
    #[link_name = "get-environment"]
    fn get_environment_import(ret: *mut u8);
}

#[cfg(not(any(feature = "proxy", feature = "legacy-exit")))]
#[link(wasm_import_module = "wasi:cli/exit@0.2.12")]
unsafe extern "C" {
    #[link_name = "exit-with-code"]
    fn exit_with_code_import(code: u32);
}

// `exit-with-code` is new in WASI 0.2.12; the `legacy-exit` build, for
// components targeting an older 0.2 release, has only `exit(result)`.
#[cfg(all(feature = "legacy-exit", not(feature = "proxy")))]
#[link(wasm_import_module = "wasi:cli/exit@0.2.12")]
unsafe extern "C" {
    #[link_name = "exit"]
    fn exit_import(is_err: u32);
}

#[link(wasm_import_module = "wasi:cli/stdin@0.2.12")]
unsafe extern "C" {
    #[link_name = "get-stdin"]
    fn get_stdin_import() -> u32;
}

#[link(wasm_import_module = "wasi:cli/stdout@0.2.12")]
unsafe extern "C" {
    #[link_name = "get-stdout"]
    fn get_stdout_import() -> u32;
}

#[link(wasm_import_module = "wasi:cli/stderr@0.2.12")]
unsafe extern "C" {
    #[link_name = "get-stderr"]
    fn get_stderr_import() -> u32;
}

#[cfg(not(feature = "proxy"))]
#[link(wasm_import_module = "wasi:cli/terminal-input@0.2.12")]
unsafe extern "C" {
    #[link_name = "[resource-drop]terminal-input"]
    fn drop_terminal_input(handle: u32);
}

#[cfg(not(feature = "proxy"))]
#[link(wasm_import_module = "wasi:cli/terminal-output@0.2.12")]
unsafe extern "C" {
    #[link_name = "[resource-drop]terminal-output"]
    fn drop_terminal_output(handle: u32);
}

#[cfg(not(feature = "proxy"))]
#[link(wasm_import_module = "wasi:cli/terminal-stdin@0.2.12")]
unsafe extern "C" {
    #[link_name = "get-terminal-stdin"]
    fn get_terminal_stdin_import(ret: *mut u8);
}

#[cfg(not(feature = "proxy"))]
#[link(wasm_import_module = "wasi:cli/terminal-stdout@0.2.12")]
unsafe extern "C" {
    #[link_name = "get-terminal-stdout"]
    fn get_terminal_stdout_import(ret: *mut u8);
}

#[cfg(not(feature = "proxy"))]
#[link(wasm_import_module = "wasi:cli/terminal-stderr@0.2.12")]
unsafe extern "C" {
    #[link_name = "get-terminal-stderr"]
    fn get_terminal_stderr_import(ret: *mut u8);
}

/// `list<string>`, each element a pointer/length pair.
pub fn get_arguments() -> RawList {
    let mut ret = ReturnArea::new();
    // SAFETY: writes a `list<..>` (pointer, length) into `ret`.
    unsafe { get_arguments_import(ret.as_mut_ptr()) };
    ret.list_at(0)
}

/// `list<tuple<string, string>>`, each element two pointer/length pairs.
pub fn get_environment() -> RawList {
    let mut ret = ReturnArea::new();
    // SAFETY: writes a `list<..>` (pointer, length) into `ret`.
    unsafe { get_environment_import(ret.as_mut_ptr()) };
    ret.list_at(0)
}

/// Exits with `code`. Before WASI 0.2.12 (the `legacy-exit` build) only
/// success or failure can be reported, so every nonzero code becomes 1.
pub fn exit_with_code(code: u8) -> ! {
    // SAFETY: plain scalar call.
    #[cfg(any(feature = "proxy", not(feature = "legacy-exit")))]
    unsafe {
        exit_with_code_import(u32::from(code))
    };
    // SAFETY: `result` without payloads is lowered as its discriminant.
    #[cfg(all(feature = "legacy-exit", not(feature = "proxy")))]
    unsafe {
        exit_import(u32::from(code != 0))
    };
    // The host never returns from an exit; if one ever did, stopping here is
    // the only behaviour that cannot run the program past its own exit.
    crate::traps::host_returned_from_exit()
}

pub fn get_stdin() -> InputStream {
    // SAFETY: returns a new owned handle, which the fd table takes over.
    InputStream(unsafe { get_stdin_import() })
}

pub fn get_stdout() -> OutputStream {
    // SAFETY: returns a new owned handle, which the fd table takes over.
    OutputStream(unsafe { get_stdout_import() })
}

pub fn get_stderr() -> OutputStream {
    // SAFETY: returns a new owned handle, which the fd table takes over.
    OutputStream(unsafe { get_stderr_import() })
}

/// Which standard stream a terminal question is about.
#[derive(Clone, Copy)]
pub enum StdioKind {
    Stdin,
    Stdout,
    Stderr,
}

/// Whether the given standard stream is a terminal. The terminal resource
/// itself carries no information the adapter uses, so it is released at once.
pub fn is_terminal(kind: StdioKind) -> bool {
    let mut ret = ReturnArea::new();
    // SAFETY: each writes an `option<own<terminal-*>>` into `ret`.
    unsafe {
        match kind {
            StdioKind::Stdin => get_terminal_stdin_import(ret.as_mut_ptr()),
            StdioKind::Stdout => get_terminal_stdout_import(ret.as_mut_ptr()),
            StdioKind::Stderr => get_terminal_stderr_import(ret.as_mut_ptr()),
        }
    }
    if ret.u8_at(0) == 0 {
        return false;
    }
    let handle = ret.u32_at(4);
    // SAFETY: the option held a handle we now own and release once.
    unsafe {
        match kind {
            StdioKind::Stdin => drop_terminal_input(handle),
            StdioKind::Stdout | StdioKind::Stderr => drop_terminal_output(handle),
        }
    }
    true
}
