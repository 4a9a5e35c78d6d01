//! Why an upgrade failed, told in one line that says what to do about it.
//!
//! Every message fits on one line because the command-line tool prints it
//! after `wasi-upgrade: error: `, and scripts grep such lines.

use std::fmt;

/// Why [`upgrade`](crate::upgrade) could not turn a module into a component.
///
/// ```
/// use wasi_upgrade::{Error, Options};
/// let error = wasi_upgrade::upgrade(b"#!/bin/sh", &Options::default()).unwrap_err();
/// assert_eq!(error, Error::NotWasm);
/// // What the command line prints after `wasi-upgrade: error: `.
/// assert!(error.to_string().starts_with("the input is not WebAssembly"));
/// assert!(!error.to_string().contains('\n'));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The input is neither a WebAssembly binary nor WebAssembly text.
    NotWasm,
    /// The input stops in the middle of the module: an incomplete file.
    Truncated {
        /// How many bytes the input has.
        len: usize,
    },
    /// The input is complete but is not a valid module.
    Malformed {
        /// What the validator objected to, with its offset.
        message: String,
    },
    /// The input looks like WebAssembly text but does not parse.
    InvalidText {
        /// What the text parser objected to, with its line and column.
        message: String,
    },
    /// The input is a component already.
    AlreadyComponent,
    /// A memory of the module is 64-bit.
    Memory64,
    /// The module is built for threads (`wasm32-wasip1-threads`): it has a
    /// shared memory or imports `wasi.thread-spawn`.
    Threads,
    /// The module imports something no WASI preview1 host provides.
    ForeignImport {
        /// The import's module name.
        module: String,
        /// The import's field name.
        name: String,
    },
    /// The module has no linear memory at all.
    NoMemory,
    /// The module has more than one memory (the multi-memory proposal).
    SeveralMemories {
        /// How many memories it defines and imports.
        count: usize,
    },
    /// The module's memory has pages of another size than 64 KiB (the
    /// custom-page-sizes proposal).
    CustomPageSize {
        /// The page size in bytes.
        bytes: u64,
    },
    /// The module imports its memory instead of defining it.
    ImportedMemory {
        /// The import's module name.
        module: String,
        /// The import's field name.
        name: String,
    },
    /// The module exports its memory, but not as `memory`.
    MemoryExportedAs {
        /// The name it exports it under.
        name: String,
    },
    /// The module has a memory but does not export it as `memory`.
    MemoryNotExported,
    /// A command was asked for, but the module exports no `_start`.
    NoStartExport,
    /// A proxy was asked for, but the module does not export
    /// `wasi:http/incoming-handler`.
    NoIncomingHandler,
    /// The module exports `_start` and `wasi:http/incoming-handler`, so it
    /// could be a command or a proxy; the caller must choose.
    AmbiguousWorld,
    /// The module embeds a WIT world (a `component-type` section) that
    /// cannot be read.
    EmbeddedWorld {
        /// What the decoder objected to, on one line.
        message: String,
    },
    /// Building the component failed after the input passed every check.
    Encoding {
        /// The encoder's message and its context, on one line.
        message: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NotWasm => f.write_str(
                "the input is not WebAssembly (no `\\0asm` magic, and not WebAssembly text): \
                 pass a .wasm module built for wasm32-wasip1",
            ),
            Error::Truncated { len } => write!(
                f,
                "the module is truncated (it ends after {len} bytes, before the module is \
                 complete): the file is incomplete, so build or copy it again"
            ),
            Error::Malformed { message } => write!(
                f,
                "the module is malformed: {message}; rebuild it for wasm32-wasip1"
            ),
            Error::InvalidText { message } => {
                write!(f, "the WebAssembly text does not parse: {message}")
            }
            Error::AlreadyComponent => f.write_str(
                "the input is already a component and needs no upgrade: \
                 run it directly on a WASI 0.2 host (e.g. `wasi-upgrade run` or `wasmtime run`)",
            ),
            Error::Memory64 => f.write_str(
                "the module uses a 64-bit memory (memory64), which WASI preview1 does not have: \
                 build it for wasm32-wasip1",
            ),
            Error::Threads => f.write_str(
                "the module is built for threads (wasm32-wasip1-threads: a shared memory and \
                 `wasi.thread-spawn`), which the component model cannot run yet: components \
                 cannot share a memory between threads and WASI 0.2 has no way to spawn one; \
                 build it for wasm32-wasip1 without threads",
            ),
            Error::ForeignImport { module, name } => write!(
                f,
                "the module imports `{module}.{name}`, which is not part of WASI preview1 \
                 (`wasi_snapshot_preview1`, or snapshot 0's `wasi_unstable`) and which no WASI host \
                 provides: provide it by \
                 linking it into the module, or build without it, before upgrading"
            ),
            Error::NoMemory => f.write_str(
                "the module has no memory, but WASI preview1 passes all data through one: \
                 build it as a wasm32-wasip1 program, which exports `memory`",
            ),
            Error::SeveralMemories { count } => write!(
                f,
                "the module has {count} memories (multi-memory), but WASI preview1 passes all \
                 data through a single memory: build it with one memory"
            ),
            Error::CustomPageSize { bytes } => write!(
                f,
                "the module's memory has {bytes}-byte pages (custom-page-sizes), which WASI \
                 preview1 does not have: build it with the standard 64 KiB pages"
            ),
            Error::ImportedMemory { module, name } => write!(
                f,
                "the module imports its memory (`{module}.{name}`), but a WASI preview1 program \
                 defines and exports its own: link it without --import-memory"
            ),
            Error::MemoryExportedAs { name } => write!(
                f,
                "the module exports its memory as `{name}`, but WASI preview1 requires the name \
                 `memory`: export it under that name"
            ),
            Error::MemoryNotExported => f.write_str(
                "the module does not export its memory as `memory`, which WASI preview1 \
                 requires: export it under that name",
            ),
            Error::NoStartExport => f.write_str(
                "the module exports no `_start` function, so it cannot be a command: \
                 upgrade it as a reactor (library) instead",
            ),
            Error::NoIncomingHandler => f.write_str(
                "the module does not implement `wasi:http/incoming-handler`, so it cannot be an \
                 HTTP proxy: build it with wit-bindgen for the `wasi:http/proxy` world, or \
                 upgrade it as a command or reactor",
            ),
            Error::AmbiguousWorld => f.write_str(
                "the module exports both `_start` (a program) and `wasi:http/incoming-handler` \
                 (an HTTP handler), so it could become either: choose with `--world command` or \
                 `--world proxy`",
            ),
            Error::EmbeddedWorld { message } => write!(
                f,
                "the WIT world embedded in the module (its `component-type` section) cannot be \
                 read: {message}; rebuild the module with its bindings generator"
            ),
            Error::Encoding { message } => write!(
                f,
                "building the component failed: {message}; if the module is a valid \
                 wasm32-wasip1 program, please report this as a wasi-upgrade bug"
            ),
        }
    }
}

impl std::error::Error for Error {}

/// Joins a multi-line message (an error chain, a validator's report) into
/// one line, so that the single-line promise of [`Error`]'s `Display` holds
/// whatever the underlying libraries print.
pub(crate) fn one_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_is_one_line() {
        let all = [
            Error::NotWasm,
            Error::Truncated { len: 7 },
            Error::Malformed {
                message: "bad".into(),
            },
            Error::InvalidText {
                message: "bad".into(),
            },
            Error::AlreadyComponent,
            Error::Memory64,
            Error::Threads,
            Error::ForeignImport {
                module: "env".into(),
                name: "f".into(),
            },
            Error::NoMemory,
            Error::SeveralMemories { count: 2 },
            Error::CustomPageSize { bytes: 1 },
            Error::ImportedMemory {
                module: "env".into(),
                name: "memory".into(),
            },
            Error::MemoryExportedAs { name: "mem".into() },
            Error::MemoryNotExported,
            Error::NoStartExport,
            Error::NoIncomingHandler,
            Error::AmbiguousWorld,
            Error::EmbeddedWorld {
                message: "bad".into(),
            },
            Error::Encoding {
                message: one_line("a\n\n  b\n"),
            },
        ];
        for error in all {
            let text = error.to_string();
            assert!(!text.contains('\n'), "{text:?}");
        }
    }

    #[test]
    fn one_line_joins_trimmed_lines() {
        assert_eq!(
            one_line("outer\n\nCaused by:\n    inner\n"),
            "outer Caused by: inner"
        );
    }
}
