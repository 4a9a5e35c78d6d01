//! Why an upgrade failed, told in one line that says what to do about it.
//!
//! Every message fits on one line because the command-line tool prints it
//! after `wasi-upgrade: error: `, and scripts grep such lines. An error
//! caused by a library's failure keeps that failure as its
//! [`source`](std::error::Error::source); [`one_line`] prints the whole chain.

use std::fmt;
use std::sync::Arc;

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
        /// What the decoder objected to; also the error's
        /// [`source`](std::error::Error::source).
        cause: Cause,
    },
    /// Building the component failed after the input passed every check.
    Encoding {
        /// The step that failed, e.g. "rewriting the memory instructions".
        step: &'static str,
        /// What failed inside that step; also the error's
        /// [`source`](std::error::Error::source).
        cause: Cause,
    },
}

/// The failure of a library underneath an [`Error`]. Two causes are
/// equal when they say the same thing.
#[derive(Debug, Clone)]
pub struct Cause(Arc<anyhow::Error>);

impl Cause {
    pub(crate) fn new(error: impl Into<anyhow::Error>) -> Cause {
        Cause(Arc::new(error.into()))
    }
}

/// Turns the failure of `step` into an [`Error::Encoding`].
pub(crate) fn encoding_failed<E: Into<anyhow::Error>>(
    step: &'static str,
) -> impl FnOnce(E) -> Error {
    move |error| Error::Encoding {
        step,
        cause: Cause::new(error),
    }
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for Cause {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

impl PartialEq for Cause {
    fn eq(&self, other: &Cause) -> bool {
        format!("{:#}", self.0) == format!("{:#}", other.0)
    }
}

impl Eq for Cause {}

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
            Error::EmbeddedWorld { .. } => f.write_str(
                "the WIT world embedded in the module (its `component-type` section) cannot be \
                 read (rebuild the module with its bindings generator)",
            ),
            Error::Encoding { step, .. } => write!(
                f,
                "building the component failed while {step} (if the module is a valid \
                 wasm32-wasip1 program, please report this as a wasi-upgrade bug)"
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Encoding { cause, .. } | Error::EmbeddedWorld { cause } => Some(cause),
            _ => None,
        }
    }
}

/// `error` and each of its causes, outermost first, joined by `: ` on one
/// line: how `wasi-upgrade` prints every error, whatever the underlying
/// libraries put in their messages.
pub fn one_line(error: &(dyn std::error::Error + 'static)) -> String {
    let mut line = join_lines(&error.to_string());
    let mut cause = error.source();
    while let Some(error) = cause {
        line.push_str(": ");
        line.push_str(&join_lines(&error.to_string()));
        cause = error.source();
    }
    line
}

/// Joins a multi-line message (a validator's report) into one line.
pub(crate) fn join_lines(text: &str) -> String {
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
                cause: Cause::new(anyhow::anyhow!("bad")),
            },
            Error::Encoding {
                step: "testing",
                cause: Cause::new(anyhow::anyhow!("a\n\n  b\n")),
            },
        ];
        for error in all {
            let text = error.to_string();
            assert!(!text.contains('\n'), "{text:?}");
        }
    }

    #[test]
    fn join_lines_joins_trimmed_lines() {
        assert_eq!(join_lines("outer\n\n  more\n"), "outer more");
    }

    #[test]
    fn an_encoding_error_keeps_its_cause() {
        let cause = anyhow::anyhow!("inner\nsecond line").context("outer");
        let error = Error::Encoding {
            step: "testing",
            cause: Cause::new(cause),
        };
        let source = std::error::Error::source(&error).expect("a source");
        assert_eq!(source.to_string(), "outer");
        assert_eq!(
            one_line(&error),
            format!("{error}: outer: inner second line")
        );
    }
}
