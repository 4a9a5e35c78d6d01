//! What a run produced, in a form two hosts' runs can be compared by.

use std::fmt;

use crate::fs_snapshot::DirSnapshot;

/// Everything observable about one run of a case on one host.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub exit: Exit,
    /// The contents of each preopened directory after the run, by guest path.
    pub preopens: Vec<(String, DirSnapshot)>,
}

/// How a run ended.
#[derive(Debug, Clone)]
pub enum Exit {
    /// `_start` / `run` returned (0) or the program exited with this code.
    Code(i32),
    /// The program trapped or a host call failed fatally.
    Trapped {
        /// The trap's kind when Wasmtime reported one; runs are compared by it.
        kind: Option<wasmtime::Trap>,
        /// The full error with its chain and backtrace, for the failure report.
        message: String,
    },
}

/// What trapped and why, in terms every host's report can be read in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrapCause {
    /// A preview1 call refused the program's arguments, as the preview1
    /// spec says a call must (native's host returns an error naming the
    /// reason; the adapter calls a trap function named for it). `function`
    /// is the preview1 function, where the report names it.
    Refused {
        reason: Refusal,
        function: Option<String>,
    },
    /// One of the adapter's other traps, by its function's name.
    Adapter(&'static str),
    /// The program's own code trapped, with Wasmtime's kind where known.
    Program(Option<wasmtime::Trap>),
}

/// Why a preview1 call refused to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    PointerOutsideMemory,
    PointerNotAligned,
    EnumValueOutOfRange,
    FlagBitsOutOfRange,
    ArgumentWiderThanItsType,
    ExitStatusOf126OrMore,
}

impl Refusal {
    const ALL: [Refusal; 6] = [
        Refusal::PointerOutsideMemory,
        Refusal::PointerNotAligned,
        Refusal::EnumValueOutOfRange,
        Refusal::FlagBitsOutOfRange,
        Refusal::ArgumentWiderThanItsType,
        Refusal::ExitStatusOf126OrMore,
    ];

    /// How native preview1's error (wiggle's `GuestError`, or
    /// `proc_exit`'s) says it.
    fn native_words(self) -> &'static [&'static str] {
        match self {
            Refusal::PointerOutsideMemory => &["Pointer out of bounds", "Pointer overflow"],
            Refusal::PointerNotAligned => &["Pointer not aligned"],
            Refusal::EnumValueOutOfRange => &["Invalid enum value"],
            Refusal::FlagBitsOutOfRange => &["Invalid flag value"],
            Refusal::ArgumentWiderThanItsType => &["Int conversion error"],
            Refusal::ExitStatusOf126OrMore => &["exit with invalid exit status"],
        }
    }

    /// The adapter's trap function for it (adapter/src/traps.rs).
    pub fn adapter_trap(self) -> &'static str {
        match self {
            Refusal::PointerOutsideMemory => "pointer_outside_memory",
            Refusal::PointerNotAligned => "pointer_not_aligned",
            Refusal::EnumValueOutOfRange => "enum_value_out_of_range",
            Refusal::FlagBitsOutOfRange => "flag_bits_out_of_range",
            Refusal::ArgumentWiderThanItsType => "argument_wider_than_its_type",
            Refusal::ExitStatusOf126OrMore => "exit_status_of_126_or_more",
        }
    }
}

/// The adapter's traps that are not refusals of a call (adapter/src/traps.rs).
const ADAPTER_TRAPS: &[&str] = &[
    "no_memory_left_for_the_adapter_region",
    "program_wrote_past_its_memory",
    "no_memory_left_for_an_answer_from_the_host",
    "host_asked_to_resize_an_answer",
    "host_returned_from_exit",
    "a_proxy_cannot_exit_before_its_handler_returns",
    "a_proxy_has_no_sockets",
    "adapter_bug",
];

impl TrapCause {
    /// Reads a trap's report. Native's names the refusal in its error chain
    /// and, for an argument it could not convert, the function ("In func
    /// wasi_snapshot_preview1::fd_seek at convert Whence: ..."); an upgraded
    /// run's names the adapter's trap function and the preview1 export it
    /// was called from in its backtrace.
    pub fn of(kind: Option<wasmtime::Trap>, message: &str) -> TrapCause {
        let refusal = Refusal::ALL.into_iter().find(|refusal| {
            refusal.native_words().iter().any(|w| message.contains(w))
                || has_frame(message, refusal.adapter_trap())
        });
        if let Some(reason) = refusal {
            return TrapCause::Refused {
                reason,
                function: preview1_function(message),
            };
        }
        match ADAPTER_TRAPS.iter().find(|name| has_frame(message, name)) {
            Some(name) => TrapCause::Adapter(name),
            None => TrapCause::Program(kind),
        }
    }

    /// The same trap: the same cause, and, for refusals whose reports both
    /// name the function, the same function.
    pub fn same_as(&self, other: &TrapCause) -> bool {
        match (self, other) {
            (
                TrapCause::Refused {
                    reason: a,
                    function: fa,
                },
                TrapCause::Refused {
                    reason: b,
                    function: fb,
                },
            ) => a == b && (fa.is_none() || fb.is_none() || fa == fb),
            (a, b) => a == b,
        }
    }
}

/// Whether a backtrace names function `name` (Wasmtime prints `!name`, V8
/// `at name (` or `.name (`).
fn has_frame(message: &str, name: &str) -> bool {
    [
        format!("!{name}\n"),
        format!(" {name} ("),
        format!(".{name} ("),
    ]
    .iter()
    .any(|frame| message.contains(frame.as_str()))
        || message
            .lines()
            .any(|line| line.trim_end().ends_with(&format!("!{name}")))
}

/// The preview1 function a trap's report names: native's conversion errors
/// say "In func wasi_snapshot_preview1::NAME"; an upgraded run's backtrace
/// has the adapter's export of that name.
fn preview1_function(message: &str) -> Option<String> {
    if let Some(at) = message.find("In func wasi_snapshot_preview1::") {
        let rest = &message[at + "In func wasi_snapshot_preview1::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        return Some(name);
    }
    wasi_upgrade::PREVIEW1_FUNCTIONS
        .iter()
        .flat_map(|row| row.names)
        .find(|name| has_frame(message, name))
        .map(|name| (*name).to_owned())
}

impl Exit {
    /// Two runs ended the same way: the same code, or the same trap (what
    /// trapped and why: see [`TrapCause`]; the rest of the messages are
    /// host-specific backtraces, so they are not compared).
    pub fn same_as(&self, other: &Exit) -> bool {
        match (self, other) {
            (Exit::Code(a), Exit::Code(b)) => a == b,
            (a @ Exit::Trapped { .. }, b @ Exit::Trapped { .. }) => a
                .trap_cause()
                .zip(b.trap_cause())
                .is_some_and(|(a, b)| a.same_as(&b)),
            _ => false,
        }
    }

    /// What trapped and why, for a trap.
    pub fn trap_cause(&self) -> Option<TrapCause> {
        match self {
            Exit::Trapped { kind, message } => Some(TrapCause::of(*kind, message)),
            Exit::Code(_) => None,
        }
    }

    /// Classifies the error a run ended with: an `I32Exit` anywhere in the
    /// chain is an exit with that code; anything else is a trap.
    pub fn from_error(error: wasmtime::Error) -> Exit {
        if let Some(exit) = error.downcast_ref::<wasmtime_wasi::I32Exit>() {
            return Exit::Code(exit.0);
        }
        Exit::Trapped {
            kind: error.downcast_ref::<wasmtime::Trap>().copied(),
            message: format!("{error:?}"),
        }
    }
}

impl fmt::Display for Exit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Exit::Code(code) => write!(f, "exited with {code}"),
            Exit::Trapped {
                kind: Some(kind),
                message,
            } => write!(
                f,
                "trapped ({kind:?}), {:?}:\n{message}",
                TrapCause::of(Some(*kind), message)
            ),
            Exit::Trapped {
                kind: None,
                message,
            } => write!(f, "failed, {:?}:\n{message}", TrapCause::of(None, message)),
        }
    }
}
